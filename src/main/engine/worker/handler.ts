// What an engine method's implementation looks like inside the worker: validated params in, a result out,
// progress and cancellation through its context. One handler per entry of the protocol's method table.
import type { z } from 'zod';
import type { EngineMethod, WorkerConfig } from '../protocol';

export interface HandlerContext<G> {
  readonly config: WorkerConfig;
  progress(data: G): void;
  /**
   * Call between steps: yields to the event loop so a cancel message can arrive, then throws CancelledError if this
   * request was cancelled. An ORT run cannot be interrupted, so cancellation always lands at such a boundary.
   */
  checkpoint(): Promise<void>;
}

export type Handler<P, R, G> = (params: P, ctx: HandlerContext<G>) => Promise<R>;

export type HandlerTable<T extends Record<string, EngineMethod>> = {
  readonly [K in keyof T]: Handler<z.output<T[K]['params']>, z.input<T[K]['result']>, z.input<T[K]['progress']>>;
};
