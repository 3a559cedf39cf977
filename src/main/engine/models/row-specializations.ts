// Feeds of the per-row inference graph (InferenceGraphOptions.perRow), for a batch whose rows carry different
// adapters and soft prompts. The K distinct adapters are stacked, each module padded with zeros to the largest rank of
// the batch, at least 1 (zero rows of A and columns of B only add exact zeros); each row's soft prompt is left-padded to the
// longest, the padding masked by attention_mask, so a row attends to exactly what it attends to alone.
import { BugError } from '../../../shared/errors';
import type { Int64Tensor } from '../generate';
import { tensor, type Tensor } from '../graph';
import type { DecoderConfig } from './config';
import { ATTENTION_MASK, INPUT_IDS, POSITION_IDS, SOFT_PROMPT, SOFT_PROMPT_POSITION_IDS } from './inference-graph';
import { LORA_INDEX, LORA_SCALING, loraFeatures, loraInputName, type LoraAdapter, type LoraModule } from './lora';

/**
 * LoRA feeds of a per-row batch: lora.{i}.{module}.A [K, r, in] and .B [K, out, r] of the K distinct adapters of
 * `adapters` [B] (null: none, a zero adapter with scaling 0), lora_scaling [K] and lora_index [B]. Rows holding the
 * same adapter object share its slot.
 */
export function rowLoraFeeds(
  config: DecoderConfig,
  targets: readonly LoraModule[],
  adapters: readonly (LoraAdapter | null)[],
): Record<string, Tensor> {
  const distinct = [...new Set(adapters)];
  const K = distinct.length;
  const feeds: Record<string, Tensor> = {};
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const module of targets) {
      const f = loraFeatures(config, module);
      const pairs = distinct.map((adapter) => adapter?.layers[i]?.[module] ?? null);
      // At least rank 1: ORT's batched MatMul over an inner dim of 0 returned garbage (NaN), not zeros.
      const r = Math.max(1, ...pairs.map((p) => p?.A.dims[0] ?? 0));
      const A = new Float32Array(K * r * f.in); // [K, r, in]
      const B = new Float32Array(K * f.out * r); // [K, out, r]
      pairs.forEach((pair, k) => {
        if (!pair) return;
        const rank = pair.A.dims[0] as number;
        A.set(pair.A.data, k * r * f.in); // rows rank..r-1 stay zero
        for (let o = 0; o < f.out; o++) B.set(pair.B.data.subarray(o * rank, (o + 1) * rank), (k * f.out + o) * r); // columns rank..r-1 stay zero
      });
      feeds[loraInputName(i, module, 'A')] = tensor('float32', [K, r, f.in], A);
      feeds[loraInputName(i, module, 'B')] = tensor('float32', [K, f.out, r], B);
    }
  }
  feeds[LORA_SCALING] = tensor(
    'float32',
    [K],
    Float32Array.from(distinct, (adapter) => adapter?.scaling ?? 0),
  );
  feeds[LORA_INDEX] = tensor(
    'int64',
    [adapters.length],
    BigInt64Array.from(adapters, (adapter) => BigInt(distinct.indexOf(adapter))),
  );
  return feeds;
}

/**
 * Token inputs of a per-row batch whose rows have soft prompts `softPrompts` [B] ([n_b, C] or null), N = max n_b:
 * each row's mask gets N - n_b zeros then n_b ones before its token mask, its positions shift by n_b (its virtual
 * tokens are at 0..n_b-1, as alone), and the prefill feeds soft_prompt [B, N, C] with the row's embeddings last.
 */
export class RowSoftPrompts {
  /** N: the virtual positions the prefill adds to every row's cache. */
  readonly virtual: number;
  private readonly lengths: number[]; // [B] n_b

  constructor(
    private readonly softPrompts: readonly (Tensor<'float32'> | null)[],
    private readonly hiddenSize: number,
  ) {
    this.lengths = softPrompts.map((soft) => soft?.dims[0] ?? 0);
    this.virtual = Math.max(0, ...this.lengths);
  }

  feeds(ids: Int64Tensor, mask: Int64Tensor, positions: Int64Tensor, first: boolean): Record<string, Tensor> {
    const [batch, length] = ids.dims;
    if (batch !== this.lengths.length)
      throw new BugError(`per-row step: ${batch} rows, but ${this.lengths.length} soft prompts`);
    const N = this.virtual;
    const C = this.hiddenSize;
    const width = mask.dims[1];
    const fullMask = new BigInt64Array(batch * (N + width)); // [B, N + width]
    const shifted = new BigInt64Array(batch * length); // [B, T]
    for (let b = 0; b < batch; b++) {
      const n = this.lengths[b] as number;
      fullMask.fill(1n, b * (N + width) + N - n, b * (N + width) + N);
      fullMask.set(mask.data.subarray(b * width, (b + 1) * width), b * (N + width) + N);
      for (let t = 0; t < length; t++) shifted[b * length + t] = (positions.data[b * length + t] as bigint) + BigInt(n);
    }
    const virtual = first ? N : 0;
    const soft = new Float32Array(batch * virtual * C); // [B, N, C] at the prefill, [B, 0, C] after
    const softPositions = new BigInt64Array(batch * virtual); // [B, N]: 0..n_b-1 on the row's last n_b slots
    if (first) {
      this.softPrompts.forEach((prompt, b) => {
        const n = this.lengths[b] as number;
        if (prompt) soft.set(prompt.data, (b * N + N - n) * C);
        for (let j = 0; j < n; j++) softPositions[b * N + N - n + j] = BigInt(j);
      });
    }
    return {
      [INPUT_IDS]: tensor('int64', [batch, length], ids.data),
      [ATTENTION_MASK]: tensor('int64', [batch, N + width], fullMask),
      [POSITION_IDS]: tensor('int64', [batch, length], shifted),
      [SOFT_PROMPT]: tensor('float32', [batch, virtual, C], soft),
      [SOFT_PROMPT_POSITION_IDS]: tensor('int64', [batch, virtual], softPositions),
    };
  }
}
