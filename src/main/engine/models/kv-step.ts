// The KV cache of one generate() call (KvStep): growing buffers fed whole as past_key_values each step, the new
// positions appended from the graph's new_key_values; a TokenFeeder gives each step's token and soft-prompt inputs.
import { BugError } from '../../../shared/errors';
import type { Int64Tensor, StepFunction, StepInput } from '../generate';
import { tensor, type Tensor } from '../graph';
import type { EngineSession } from '../runtime';
import { addedName, LOGITS, NUM_LOGITS_TO_KEEP, pastName } from './inference-graph';
import type { ModelRunner } from './model-runner';

/** A step's token inputs: input_ids, attention_mask and position_ids with the virtual tokens, the soft prompt feeds. */
export interface TokenFeeder {
  /** Virtual positions the prefill puts in the cache (n, or the longest soft prompt of a per-row batch). */
  readonly virtual: number;
  /** ids [B, T], mask [B, W] and positions [B, T] over the tokens; `first` at the prefill. */
  feeds(ids: Int64Tensor, mask: Int64Tensor, positions: Int64Tensor, first: boolean): Record<string, Tensor>;
}

/**
 * The KV cache of one generation, held here in growing buffers (per layer and part [B, Hkv, capacity, D], the first
 * `cached` positions used) and fed whole as past_key_values each step: ORT reads inputs in place, and the graph
 * returns only the new positions, which are appended here.
 */
export class KvStep {
  private buffers: Float32Array[] = [];
  private capacity = 0;
  /** Positions in the cache: past tokens plus the n virtual tokens. */
  private cached = 0;

  constructor(
    private readonly runner: ModelRunner,
    /** The run's constant feeds (LoRA). */
    private readonly spec: Record<string, Tensor>,
    private readonly tokens: TokenFeeder,
    /** The session of a step; `first`: the prefill (an int8 prefill session may serve it). */
    private readonly session: (first: boolean) => Promise<EngineSession>,
  ) {}

  readonly step: StepFunction = async (input: StepInput): Promise<Float32Array> => {
    const [batch] = input.inputIds.dims;
    const n = this.tokens.virtual;
    const first = input.step === 0;
    if (first) {
      this.reset();
    } else if (input.pastLength + n !== this.cached) {
      throw new BugError(
        `KvStep: step ${input.step} says ${input.pastLength} past positions, the cache holds ${this.cached - n} (+${n} virtual)`,
      );
    }
    const tokens = this.tokens.feeds(input.inputIds, input.attentionMask, input.positionIds, first);
    const keep = { [NUM_LOGITS_TO_KEEP]: tensor('int64', [], BigInt64Array.of(1n)) };
    const feeds = {
      ...this.spec,
      ...tokens,
      ...(first ? this.runner.emptyPast(batch) : this.pastFeeds(batch)),
      ...keep,
    };
    const out = await (await this.session(first)).run(feeds);
    this.append(batch, out);
    return (out[LOGITS] as Tensor<'float32'>).data;
  };

  /** Drops the cache (memory) between generations. */
  reset(): void {
    this.buffers = [];
    this.capacity = 0;
    this.cached = 0;
  }

  private pastFeeds(batch: number): Record<string, Tensor> {
    const { num_key_value_heads: Hkv, head_dim: D, num_hidden_layers: L } = this.runner.model.config;
    const feeds: Record<string, Tensor> = {};
    for (let i = 0; i < L; i++) {
      feeds[pastName(i, 'key')] = tensor(
        'float32',
        [batch, Hkv, this.capacity, D],
        this.buffers[2 * i] as Float32Array,
      );
      feeds[pastName(i, 'value')] = tensor(
        'float32',
        [batch, Hkv, this.capacity, D],
        this.buffers[2 * i + 1] as Float32Array,
      );
    }
    return feeds;
  }

  /**
   * Copies new_key_values [B, m, Hkv*D] to positions cached..cached+m of each (b, kv head) row of the [B, Hkv,
   * capacity, D] buffers, growing first.
   */
  private append(batch: number, out: Record<string, Tensor>): void {
    const { num_key_value_heads: Hkv, head_dim: D, num_hidden_layers: L } = this.runner.model.config;
    const m = out[addedName(0, 'key')]?.dims[1] as number;
    const needed = this.cached + m;
    if (needed > this.capacity) this.grow(batch * Hkv, D, Math.max(needed + 32, Math.ceil(this.capacity * 1.5)));
    for (let i = 0; i < L; i++) {
      for (const [p, part] of (['key', 'value'] as const).entries()) {
        const added = out[addedName(i, part)]?.data as Float32Array;
        const buffer = this.buffers[2 * i + p] as Float32Array;
        for (let b = 0; b < batch; b++) {
          for (let s = 0; s < m; s++) {
            const from = (b * m + s) * Hkv * D;
            for (let h = 0; h < Hkv; h++) {
              const to = ((b * Hkv + h) * this.capacity + this.cached + s) * D;
              buffer.set(added.subarray(from + h * D, from + (h + 1) * D), to);
            }
          }
        }
      }
    }
    this.cached = needed;
  }

  private grow(rows: number, D: number, capacity: number): void {
    const L = this.runner.model.config.num_hidden_layers;
    this.buffers = Array.from({ length: 2 * L }, (_, j) => {
      const next = new Float32Array(rows * capacity * D);
      const old = this.buffers[j];
      if (old)
        for (let r = 0; r < rows; r++)
          next.set(old.subarray(r * this.capacity * D, (r * this.capacity + this.cached) * D), r * capacity * D);
      return next;
    });
    this.capacity = capacity;
  }
}
