// Messages between the render host (main thread) and the render worker: one batch of rows over one template per
// request, a result per row, and a heartbeat while a long batch runs (the host's watchdog listens for it).
import type { TemplateFailure } from './plain-errors';
import type { RenderLimits, TemplateWarning } from './parse';

export interface RenderBatch {
  readonly source: string;
  /** Each row's template variables (structured-cloned to the worker). */
  readonly rows: readonly Record<string, unknown>[];
  readonly warnUndefined: boolean;
  /** Names deliberately unset, with why (see RenderOptions.hidden). */
  readonly hidden?: Readonly<Record<string, string>>;
  /** Stop at the first failing row (training: one bad row fails the job). A limit hit always stops the batch. */
  readonly stopOnError?: boolean;
  readonly limits?: Partial<RenderLimits>;
}

export type RowResult =
  | { readonly ok: true; readonly text: string; readonly warnings: TemplateWarning[] }
  | { readonly ok: false; readonly failure: TemplateFailure };

export type ToWorker = { readonly id: number; readonly batch: RenderBatch };

export type FromWorker =
  | { readonly id: number; readonly kind: 'done'; readonly results: RowResult[] }
  /** The template does not parse: no row was rendered. */
  | { readonly id: number; readonly kind: 'unparsable'; readonly failure: TemplateFailure }
  | { readonly id: number; readonly kind: 'alive'; readonly rowsDone: number }
  /** The worker has the batch: its silence counts from here, not from a start that a busy machine makes slow. */
  | { readonly id: number; readonly kind: 'started' };
