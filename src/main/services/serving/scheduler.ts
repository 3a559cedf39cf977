// The endpoint's scheduler: a bounded queue in front of the engine, at most `maxConcurrent` engine runs at once. With
// batching on, waiting requests that share a batch key (one base model at one weight format) go to the engine as one
// batched `generate` of up to `maxBatch` rows, one run per key at a time; each row keeps its own release (adapters and
// soft prompt) and decoding (max_tokens, stop, temperature, top_p, seed), which the engine applies per row. With
// batching off every request is its own run.
import type { GeneratedRow } from '../../../shared/contract/generation';
import type { DecodingOverrides } from '../../../shared/decoding-settings';
import { CancelledError, UserError } from '../../../shared/errors';
import type { EngineClient } from '../../engine/client';
import type { AdapterFolderRef, GenerationPrompt, ModelRef } from '../../engine/generation-protocol';

export interface SchedulerLimits {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly batching: boolean;
  readonly maxBatch: number;
}

export interface GenerationJob {
  /** Jobs with equal keys (the base model) may share an engine run. */
  readonly key: string;
  readonly model: ModelRef;
  readonly prompt: GenerationPrompt;
  /** Decoding without the seed; the row's own in a shared run. */
  readonly settings: DecodingOverrides;
  readonly seed: number;
  readonly adapterFolders: AdapterFolderRef[];
  readonly onDelta: (delta: string) => void;
  readonly signal: AbortSignal;
}

export interface JobResult {
  readonly row: GeneratedRow;
  readonly queueMs: number;
  /** From arrival to the first token (queue wait included). */
  readonly ttftMs: number | null;
  readonly batchSize: number;
}

interface Waiting {
  readonly job: GenerationJob;
  readonly arrivedAt: number;
  readonly resolve: (result: JobResult) => void;
  readonly reject: (error: unknown) => void;
  firstTokenAt?: number;
  dispatchedAt?: number;
}

export class QueueFullError extends UserError {
  constructor(limit: number) {
    super(`The queue is full (${limit} requests waiting)`, {
      code: 'rate_limit_exceeded',
      hint: 'Retry after a moment, or raise the queue limit in the serving settings.',
    });
  }
}

export class Scheduler {
  private readonly queue: Waiting[] = [];
  private readonly busyKeys = new Set<string>();
  private runs = 0;
  private active = 0;

  constructor(
    private readonly engine: EngineClient,
    private readonly limits: SchedulerLimits,
    private readonly onChange: () => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get activeRequests(): number {
    return this.active;
  }

  get queuedRequests(): number {
    return this.queue.length;
  }

  /** Generates the job's one row; rejects with QueueFullError at once when the queue is full. */
  submit(job: GenerationJob): Promise<JobResult> {
    if (job.signal.aborted) return Promise.reject(new CancelledError());
    return new Promise<JobResult>((resolve, reject) => {
      const waiting: Waiting = { job, arrivedAt: this.now(), resolve, reject };
      this.queue.push(waiting);
      this.pump();
      if (this.queue.includes(waiting) && this.queue.length > this.limits.maxQueue) {
        this.queue.splice(this.queue.indexOf(waiting), 1);
        reject(new QueueFullError(this.limits.maxQueue));
        return;
      }
      job.signal.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(waiting);
          if (at < 0) return; // generating: the run's own abort handling applies
          this.queue.splice(at, 1);
          reject(new CancelledError());
          this.onChange();
        },
        { once: true },
      );
      this.onChange();
    });
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length && this.runs < this.limits.maxConcurrent;) {
      const head = this.queue[i]!;
      if (this.limits.batching && this.busyKeys.has(head.job.key)) {
        i++; // its key's run is under way: it waits to join the next one
        continue;
      }
      const room = this.limits.batching ? this.limits.maxBatch : 1;
      const batch: Waiting[] = [];
      for (let j = i; j < this.queue.length && batch.length < room;) {
        if (this.queue[j]!.job.key === head.job.key) batch.push(...this.queue.splice(j, 1));
        else j++;
      }
      void this.run(batch);
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    const key = batch[0]!.job.key;
    const { model } = batch[0]!.job;
    this.active += batch.length;
    this.runs++;
    if (this.limits.batching) this.busyKeys.add(key);
    const controller = new AbortController();
    const started = this.now();
    let open = batch.length;
    for (const w of batch) {
      w.dispatchedAt = started;
      // One row cannot be cancelled alone: the run stops when every row's caller has gone.
      w.job.signal.addEventListener('abort', () => --open === 0 && controller.abort(), { once: true });
    }
    this.onChange();
    try {
      const out = await this.engine.request(
        'generate',
        {
          model,
          prompts: batch.map((w) => w.job.prompt),
          seeds: batch.map((w) => w.job.seed),
          rows: batch.map((w) => ({ settings: w.job.settings, adapterFolders: w.job.adapterFolders })),
          stream: true,
        },
        {
          signal: controller.signal,
          onProgress: (e) => {
            const w = batch[e.row];
            if (!w || w.job.signal.aborted) return;
            w.firstTokenAt ??= this.now();
            if (e.delta !== '') w.job.onDelta(e.delta);
          },
        },
      );
      batch.forEach((w, b) => {
        const row = out.rows[b];
        if (!row) return w.reject(new CancelledError());
        w.resolve({
          row,
          queueMs: started - w.arrivedAt,
          ttftMs: w.firstTokenAt === undefined ? null : w.firstTokenAt - w.arrivedAt,
          batchSize: batch.length,
        });
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.active -= batch.length;
      this.runs--;
      this.busyKeys.delete(key);
      this.pump();
      this.onChange();
    }
  }
}
