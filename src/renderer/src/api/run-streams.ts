// Following generation runs from a view (the Playground, the prompt preview, Try live): launching them, routing each
// run's generation.onToken / onFinished events to the key that owns it, cancelling, and cancelling what is left when
// the view goes away. Events that arrive before the launch call has answered with the run id are held and replayed.
import { useEffect, useMemo, useRef } from 'react';
import type { Api, GenerationFinished, GenerationResult, TokenDelta } from '../../../shared/contract';
import { fromErrorShape } from '../../../shared/errors';
import { useApi } from './context';

/** What happened to a run: a token of its text, its result, or why it ended without one (cancelled included). */
export type RunUpdate =
  | { readonly kind: 'token'; readonly token: TokenDelta }
  | { readonly kind: 'finished'; readonly result: GenerationResult }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The answers to one launch: the call's value once the run id is known, or why the call failed. */
export interface LaunchHandlers<T> {
  started(value: T): void;
  failed(error: unknown): void;
}

/**
 * What happens when a generation.cancel call itself fails (e.g. the link is down): 'report' leaves the rejection to
 * the ErrorReporter's snackbar, 'ignore' drops it. Cancels made because the view went away always ignore it.
 */
export type CancelFailures = 'report' | 'ignore';

type RunEvent = { kind: 'token'; payload: TokenDelta } | { kind: 'finished'; payload: GenerationFinished };

type Generation = Pick<Api['generation'], 'onToken' | 'onFinished' | 'cancel'>;

/** One round of runs at a time, each owned by a key (a slot of the view); no React, so it is tested on its own. */
export class RunStreams<K> {
  /** runId -> key, for the runs of this round that have not finished. */
  private readonly owners = new Map<string, K>();
  /** Events for run ids not known yet, kept while some launch is in flight. */
  private held: RunEvent[] = [];
  private launching = 0;
  private cancelWanted = false;

  constructor(
    private readonly generation: Generation,
    private readonly onUpdate: (key: K, update: RunUpdate) => void,
    private readonly cancelFailures: CancelFailures,
  ) {}

  /** True while a launch is in flight or a launched run has not finished. */
  get active(): boolean {
    return this.launching > 0 || this.owners.size > 0;
  }

  /** Whether cancel() was called during this round. */
  get cancelRequested(): boolean {
    return this.cancelWanted;
  }

  /** Subscribes to the generation events; returns the unsubscribe. */
  listen(): () => void {
    const offToken = this.generation.onToken((payload) => this.route({ kind: 'token', payload }));
    const offFinished = this.generation.onFinished((payload) => this.route({ kind: 'finished', payload }));
    return () => {
      offToken();
      offFinished();
    };
  }

  /** Opens a new round, unless one is still going (then false: one round at a time). */
  begin(): boolean {
    if (this.active) return false;
    this.cancelWanted = false;
    this.held = [];
    return true;
  }

  /** Launches one run for `key` in the round begin() opened; settles once it has started or failed to. */
  async launch<T extends { readonly runId: string }>(
    key: K,
    call: () => Promise<T>,
    on: LaunchHandlers<T>,
  ): Promise<void> {
    this.launching++;
    try {
      let value: T;
      try {
        value = await call();
      } catch (error) {
        on.failed(error);
        return;
      }
      const { runId } = value;
      this.owners.set(runId, key);
      on.started(value);
      const early = this.held.filter((e) => e.payload.runId === runId);
      this.held = this.held.filter((e) => e.payload.runId !== runId);
      for (const event of early) this.deliver(key, event);
      if (this.cancelWanted && this.owners.has(runId)) this.cancelRun(runId, this.cancelFailures);
    } finally {
      this.launching--;
      if (this.launching === 0) this.held = [];
    }
  }

  /** Cancels every run of the round, and a run still launching as soon as its id is known; false when none is. */
  cancel(): boolean {
    if (!this.active) return false;
    this.cancelWanted = true;
    for (const runId of this.owners.keys()) this.cancelRun(runId, this.cancelFailures);
    return true;
  }

  /** The view went away: nobody would see the rest of its runs. */
  cancelOwned(): void {
    for (const runId of this.owners.keys()) this.cancelRun(runId, 'ignore');
  }

  private route(event: RunEvent): void {
    const { runId } = event.payload;
    if (this.owners.has(runId)) this.deliver(this.owners.get(runId) as K, event);
    else if (this.launching > 0) this.held.push(event);
  }

  private deliver(key: K, event: RunEvent): void {
    if (event.kind === 'token') {
      this.onUpdate(key, { kind: 'token', token: event.payload });
      return;
    }
    const f = event.payload;
    this.owners.delete(f.runId);
    this.onUpdate(
      key,
      f.ok ? { kind: 'finished', result: f.result } : { kind: 'failed', error: fromErrorShape(f.error) },
    );
  }

  private cancelRun(runId: string, failures: CancelFailures): void {
    const cancelling = this.generation.cancel({ runId });
    if (failures === 'ignore') cancelling.catch(() => undefined);
  }
}

/** The part of a run's view that streaming fills in: its phase and row 0's text and token count so far. */
interface Streamed {
  readonly phase: string;
  readonly text: string;
  readonly generatedTokens: number;
}

/** Row 0's delta appended while the run is 'running'; the same object otherwise (React then skips the render). */
export function withToken<V extends Streamed>(view: V, token: TokenDelta): V {
  if (token.row !== 0 || view.phase !== 'running') return view;
  return { ...view, text: view.text + token.delta, generatedTokens: token.generatedTokens };
}

/** Row 0 of the result replaces what was streamed (the final text and count), when the result has a row 0. */
export function withResult<V extends Streamed>(view: V, result: GenerationResult): V {
  const row = result.rows[0];
  return { ...view, text: row?.text ?? view.text, generatedTokens: row?.generatedTokens ?? view.generatedTokens };
}

/** RunStreams for a component: listening while it is mounted, cancelling its runs when it unmounts. */
export function useRunStreams<K>(
  onUpdate: (key: K, update: RunUpdate) => void,
  cancelFailures: CancelFailures,
): RunStreams<K> {
  const api = useApi();
  const onUpdateRef = useRef(onUpdate);
  onUpdateRef.current = onUpdate;
  const streams = useMemo(
    () => new RunStreams<K>(api.generation, (key, update) => onUpdateRef.current(key, update), cancelFailures),
    [api, cancelFailures],
  );
  useEffect(() => {
    const stop = streams.listen();
    return () => {
      stop();
      streams.cancelOwned();
    };
  }, [streams]);
  return streams;
}
