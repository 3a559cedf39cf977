// The per-step model inputs for a left-padded batch, as transformers builds them: input_ids, attention_mask (1 = real
// token, 0 = padding) and position_ids = cumsum(attention_mask) - 1 with padded positions set to 1 (masked_fill in
// transformers' prepare_inputs_for_generation and transformers.js; any valid index works since padding is masked).

/** A row-major int64 matrix, ready for an ORT tensor: new Tensor('int64', t.data, t.dims). */
export interface Int64Tensor {
  data: BigInt64Array;
  /** [rows, columns] */
  dims: [number, number];
}

/** The value position_ids holds at padded positions. */
export const PADDED_POSITION_ID = 1n;

/** Left-pads ragged prompts to the longest: input_ids [B, T] with `padTokenId`, and each row's padding length [B]. */
export function leftPad(
  prompts: readonly (readonly number[])[],
  padTokenId: number,
): { inputIds: Int64Tensor; padLengths: number[] } {
  const batch = prompts.length;
  const width = Math.max(0, ...prompts.map((p) => p.length));
  const data = new BigInt64Array(batch * width).fill(BigInt(padTokenId));
  const padLengths = prompts.map((prompt, b) => {
    const pad = width - prompt.length;
    for (let t = 0; t < prompt.length; t++) data[b * width + pad + t] = BigInt(prompt[t]!);
    return pad;
  });
  return { inputIds: { data, dims: [batch, width] }, padLengths };
}

/** attention_mask [B, width]: 0 over each row's left padding, 1 after (generated tokens are always attended). */
export function attentionMask(padLengths: readonly number[], width: number): Int64Tensor {
  const data = new BigInt64Array(padLengths.length * width);
  padLengths.forEach((pad, b) => data.fill(1n, b * width + Math.min(pad, width), (b + 1) * width));
  return { data, dims: [padLengths.length, width] };
}

/** position_ids [B, last] for the last `last` columns of mask [B, W]: cumsum(mask) - 1, padded positions 1. */
export function positionIds(mask: Int64Tensor, last: number): Int64Tensor {
  const [batch, width] = mask.dims;
  const data = new BigInt64Array(batch * last);
  for (let b = 0; b < batch; b++) {
    let sum = 0n;
    for (let w = 0; w < width; w++) {
      const bit = mask.data[b * width + w]!;
      sum += bit;
      const t = w - (width - last);
      if (t >= 0) data[b * last + t] = bit === 0n ? PADDED_POSITION_ID : sum - 1n;
    }
  }
  return { data, dims: [batch, last] };
}

/** input_ids [B, 1] for a decode step. */
export function columnOf(tokenIds: readonly number[]): Int64Tensor {
  return { data: BigInt64Array.from(tokenIds, (id) => BigInt(id)), dims: [tokenIds.length, 1] };
}

/** A matrix as nested arrays of numbers (for tests and messages). */
export function toRows(tensor: Int64Tensor): number[][] {
  const [rows, columns] = tensor.dims;
  return Array.from({ length: rows }, (_, r) =>
    Array.from(tensor.data.subarray(r * columns, (r + 1) * columns), Number),
  );
}
