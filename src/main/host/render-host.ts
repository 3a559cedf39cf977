// The main-process owner of the render worker, where every prompt template renders (services/templates/render.ts).
// Requests run one at a time on one worker thread; one that is cancelled, or silent for longer than a render may take,
// gets its worker terminated (stopped for real, whatever it was doing) and the next request a fresh one.
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../../shared/errors';
import { RENDER_LIMITS, TemplateFailureError } from '../engine/templates/parse';
import { explainRenderError } from '../engine/templates/plain-errors';
import type { FromWorker, RenderBatch, RowResult, ToWorker } from '../engine/templates/render-protocol';
import type { TemplateRenderer } from '../services/templates/render';

export interface RenderHostOptions {
  /** Silence (no row finished, no heartbeat) after which the worker is deemed stuck and terminated. */
  readonly watchdogMs?: number;
  /** Time a worker has to take up a batch (start its thread, load the renderer) before the watchdog counts. */
  readonly startMs?: number;
  /** V8 heap of the worker; a render that needs more ends the worker (reported as a memory limit). */
  readonly memoryMb?: number;
}

interface Job {
  readonly id: number;
  readonly batch: RenderBatch;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((rowsDone: number) => void) | undefined;
  readonly resolve: (results: RowResult[]) => void;
  readonly reject: (error: unknown) => void;
}

const STUCK_HINT =
  'Look for a loop that never ends, a loop inside a loop over long lists, or a macro that calls itself.';

export class RenderHost implements TemplateRenderer {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout; detach: () => void } | null = null;
  private nextId = 1;
  private disposed = false;
  private readonly watchdogMs: number;
  private readonly startMs: number;
  private readonly memoryMb: number;
  /** Workers started and terminated so far (tests read them to see that a stuck one was stopped and replaced). */
  started = 0;
  terminated = 0;

  constructor(
    private readonly script: string,
    options: RenderHostOptions = {},
  ) {
    // A row's own clock stops it after RENDER_LIMITS.timeMs; the watchdog is the backstop for what that clock cannot
    // interrupt, so it waits well beyond it (a busy machine is slow, not stuck).
    this.watchdogMs = options.watchdogMs ?? 3 * RENDER_LIMITS.timeMs;
    // Starting a thread and loading the renderer is not the template's time; on a loaded machine it takes seconds.
    this.startMs = Math.max(this.watchdogMs, options.startMs ?? 60_000);
    this.memoryMb = options.memoryMb ?? 512;
  }

  /**
   * Renders the batch's rows in order; a row's failure is its result. Rejects with TemplateFailureError when the
   * template does not parse or the worker had to be stopped, and with CancelledError when `signal` aborts.
   */
  render(batch: RenderBatch, signal?: AbortSignal, onProgress?: (rowsDone: number) => void): Promise<RowResult[]> {
    if (this.disposed) return Promise.reject(new CancelledError('The renderer is shut down'));
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      // The listener goes when the job settles: a long run passes one signal to many renders.
      const onAbort = (): void => this.abort(job);
      const detach = (): void => signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        id: this.nextId++,
        batch,
        signal,
        onProgress,
        resolve: (results) => {
          detach();
          resolve(results);
        },
        reject: (error) => {
          detach();
          reject(error);
        },
      };
      this.queue.push(job);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  /** Terminates the worker; queued and running renders reject with CancelledError. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new CancelledError('The renderer is shut down'));
    if (this.current)
      this.finish(this.current.job, () => this.current!.job.reject(new CancelledError('The renderer is shut down')));
    await this.stopWorker();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(new CancelledError());
    } else if (this.current?.job === job) {
      // Stopped for real: the thread ends mid-render, then the caller hears of it.
      this.finish(job, () => this.restart(() => job.reject(new CancelledError())));
    }
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    const worker = this.ensureWorker();
    const onMessage = (message: FromWorker): void => {
      if (message.id !== job.id) return;
      if (message.kind === 'started' || message.kind === 'alive') {
        this.rearm(job);
        return message.kind === 'alive' ? job.onProgress?.(message.rowsDone) : undefined;
      }
      this.finish(job, () =>
        message.kind === 'done' ? job.resolve(message.results) : job.reject(new TemplateFailureError(message.failure)),
      );
      this.pump();
    };
    worker.on('message', onMessage);
    const timer = setTimeout(() => this.stuck(job), this.startMs);
    this.current = { job, timer, detach: () => worker.off('message', onMessage) };
    worker.postMessage({ id: job.id, batch: job.batch } satisfies ToWorker);
  }

  /** The job's worker spoke: the watchdog counts its silence from now. */
  private rearm(job: Job): void {
    if (this.current?.job !== job) return;
    clearTimeout(this.current.timer);
    this.current.timer = setTimeout(() => this.stuck(job), this.watchdogMs);
  }

  private stuck(job: Job): void {
    const error = new TemplateFailureError({
      code: 'template-too-long',
      line: null,
      column: null,
      hint: STUCK_HINT,
      message: `The template was stopped: it ran for over ${Math.round(this.watchdogMs / 1000)} seconds without finishing`,
    });
    this.finish(job, () => this.restart(() => job.reject(error)));
  }

  /** Terminates the worker, then settles the job it was running and goes on with the queue on a fresh worker. */
  private restart(settle: () => void): void {
    void this.stopWorker()
      .then(settle, settle)
      .finally(() => this.pump());
  }

  private finish(job: Job, settle: () => void): void {
    if (this.current?.job !== job) return;
    clearTimeout(this.current.timer);
    this.current.detach();
    this.current = null;
    settle();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      stdout: false,
      stderr: false,
    });
    this.started += 1;
    worker.unref(); // an idle renderer never keeps the process alive
    // A worker that dies on its own (out of memory, a bug) fails what it was rendering; the next request starts anew.
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const running = this.current?.job;
      if (running)
        this.finish(running, () =>
          running.reject(new TemplateFailureError(explainRenderError(error, running.batch.source))),
        );
      this.pump();
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    await worker.terminate();
    this.terminated += 1;
  }
}
