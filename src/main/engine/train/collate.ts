// Data collation: rendered (prompt, target) pairs -> token ids with labels on the target part only (-100 elsewhere),
// right-padded batches with attention masks, the HF-shifted target rows the loss reads. Over-long rows are reported.
import { BugError } from '../../../shared/errors';
import { i64, type Tensor } from '../graph';

/** transformers' ignore_index: a label that contributes no loss. */
export const IGNORE_INDEX = -100;

/** One training row, already rendered through the prompt template. */
export interface TrainingPair {
  prompt: string;
  target: string;
}

/** A tokenized row: ids and labels of equal length (labels = ids on the target part, IGNORE_INDEX on the prompt). */
export interface TokenizedRow {
  /** Index of the row in the caller's data (for messages). */
  row: number;
  ids: number[];
  labels: number[];
}

export interface TextEncoder {
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
}

export interface TokenizeOptions {
  /** Longest sequence allowed, virtual tokens included (n + prompt + target). */
  maxLength: number;
  /** Virtual tokens of the soft prompt (0 without one). */
  numVirtualTokens: number;
  /** Appended to every target so the model learns to stop (null: none). */
  eosTokenId: number | null;
}

export interface TooLongRow {
  row: number;
  /** n + prompt + target tokens. */
  tokens: number;
}

/**
 * Prompt encoded with the tokenizer's special tokens (BOS, as transformers does for raw text), target without, then
 * EOS. Rows longer than maxLength are not cut: they are returned in tooLong, and left out of rows.
 */
export function tokenizePairs(
  tokenizer: TextEncoder,
  pairs: readonly TrainingPair[],
  options: TokenizeOptions,
): { rows: TokenizedRow[]; tooLong: TooLongRow[] } {
  const rows: TokenizedRow[] = [];
  const tooLong: TooLongRow[] = [];
  pairs.forEach((pair, row) => {
    const prompt = tokenizer.encode(pair.prompt, { addSpecialTokens: true });
    const target = [
      ...tokenizer.encode(pair.target, { addSpecialTokens: false }),
      ...(options.eosTokenId === null ? [] : [options.eosTokenId]),
    ];
    const tokens = options.numVirtualTokens + prompt.length + target.length;
    if (tokens > options.maxLength) tooLong.push({ row, tokens });
    else rows.push({ row, ids: [...prompt, ...target], labels: [...prompt.map(() => IGNORE_INDEX), ...target] });
  });
  return { rows, tooLong };
}

/** One micro-batch as session feeds, plus counts for loss weighting and throughput. */
export interface Batch {
  inputIds: Tensor<'int64'>; // [B, T]
  attentionMask: Tensor<'int64'>; // [B, n+T], virtual tokens first (always 1), then 1 per token, 0 per pad
  positionIds: Tensor<'int64'>; // [B, T] = n + t
  targetRows: Tensor<'int64'>; // [N] flat rows b * (n+T) + s of the logits that predict a target
  targetIds: Tensor<'int64'>; // [N]
  /** N: target tokens in this micro-batch. */
  targets: number;
  /** Real (non-pad) tokens, virtual tokens excluded. */
  tokens: number;
  /** The caller's row indices in batch order. */
  rows: number[];
}

/**
 * Right padding with padId. HF shift: with labels prefixed by n ignored virtual-token labels, the logits at sequence
 * position s predict label s + 1, so label j of a row is predicted by position n + j - 1 (j >= 1 when n = 0).
 */
export function collate(rows: readonly TokenizedRow[], numVirtualTokens: number, padId: number): Batch {
  if (rows.length === 0) throw new BugError('collate: an empty batch');
  const n = numVirtualTokens;
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.ids.length));
  const S = n + T;
  const ids: number[] = [];
  const mask: number[] = [];
  const positions: number[] = [];
  const targetRows: number[] = [];
  const targetIds: number[] = [];
  rows.forEach((r, b) => {
    if (r.labels.length !== r.ids.length)
      throw new BugError(`collate: row ${r.row} has ${r.ids.length} ids and ${r.labels.length} labels`);
    for (let i = 0; i < n; i++) mask.push(1);
    for (let t = 0; t < T; t++) {
      const real = t < r.ids.length;
      ids.push(real ? (r.ids[t] as number) : padId);
      mask.push(real ? 1 : 0);
      positions.push(n + t);
      const label = real ? (r.labels[t] as number) : IGNORE_INDEX;
      if (label !== IGNORE_INDEX && n + t - 1 >= 0) {
        targetRows.push(b * S + n + t - 1);
        targetIds.push(label);
      }
    }
  });
  return {
    inputIds: i64([B, T], ids),
    attentionMask: i64([B, S], mask),
    positionIds: i64([B, T], positions),
    targetRows: i64([targetRows.length], targetRows),
    targetIds: i64([targetIds.length], targetIds),
    targets: targetRows.length,
    tokens: rows.reduce((s, r) => s + r.ids.length, 0),
    rows: rows.map((r) => r.row),
  };
}

/** Splits rows (in the given order) into micro-batches of batchSize (the last may be smaller). */
export function microBatches<R>(rows: readonly R[], batchSize: number): R[][] {
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += batchSize) out.push(rows.slice(i, i + batchSize));
  return out;
}
