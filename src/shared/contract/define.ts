// How a service contract is written: zod schemas for every argument, result and event payload.
// From one definition come the typed client (renderer, both transports) and the implementation type (main).
import type { z } from 'zod';
import type { UserRole } from './users';

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly arg: A;
  readonly result: R;
}

export type EventName = `on${string}`;

export interface ServiceSpec<
  N extends string = string,
  M extends Record<string, MethodSpec> = Record<string, MethodSpec>,
  E extends Record<EventName, z.ZodType> = Record<EventName, z.ZodType>,
> {
  readonly name: N;
  readonly methods: M;
  readonly events: E;
}

export function method<A extends z.ZodType, R extends z.ZodType>(arg: A, result: R): MethodSpec<A, R> {
  return { arg, result };
}

export function defineService<
  const N extends string,
  M extends Record<string, MethodSpec>,
  E extends Record<EventName, z.ZodType> = Record<never, z.ZodType>,
>(name: N, methods: M, events?: E): ServiceSpec<N, M, E> {
  return { name, methods, events: (events ?? {}) as E };
}

export type Unsubscribe = () => void;

/** What a caller sees: one promise-returning method per contract method, one `onX(listener)` per event. */
export type ServiceClient<S extends ServiceSpec> = {
  readonly [K in keyof S['methods']]: (
    arg: z.input<S['methods'][K]['arg']>,
  ) => Promise<z.output<S['methods'][K]['result']>>;
} & {
  readonly [K in keyof S['events']]: (listener: (payload: z.output<S['events'][K]>) => void) => Unsubscribe;
};

/**
 * Who is behind a call, as the dispatcher resolved it: a local caller with no profile (no workspace open, or nobody
 * signed in), the signed-in profile, or a reviewer on a share link (who reaches only that round's reviewer methods).
 */
export type Actor =
  | { readonly kind: 'app' }
  | { readonly kind: 'profile'; readonly userId: string; readonly role: UserRole }
  | { readonly kind: 'link'; readonly userId: string; readonly roundId: string };

/** Who is calling, as the transport knows it; the dispatcher adds the resolved actor (and its user id). */
export interface CallContext {
  readonly transport: 'ipc' | 'http' | 'cli' | 'test';
  /** Set by the dispatcher from the actor; services read the caller from here when set. */
  readonly userId?: string;
  /** Set only by the review share server, from a reviewer's token. */
  readonly reviewerLink?: { readonly userId: string; readonly roundId: string };
  readonly actor?: Actor;
}

/** What main implements: methods get validated arguments and the caller's context. */
export type ServiceImpl<S extends ServiceSpec> = {
  readonly [K in keyof S['methods']]: (
    arg: z.output<S['methods'][K]['arg']>,
    ctx: CallContext,
  ) => Promise<z.input<S['methods'][K]['result']>>;
};

/** A service raises its events through this sink; transports forward them to every client. */
export interface EventSink<S extends ServiceSpec> {
  emit<K extends keyof S['events'] & string>(event: K, payload: z.input<S['events'][K]>): void;
}
