// Test helpers for model outputs: left-padded int64 batches and the largest absolute difference of two arrays.
import { attentionMask, leftPad, type Int64Tensor } from '../../generate';

export function leftPadded(
  prompts: readonly (readonly number[])[],
  padTokenId: number,
): { inputIds: Int64Tensor; attentionMask: Int64Tensor } {
  const { inputIds, padLengths } = leftPad(prompts, padTokenId);
  return { inputIds, attentionMask: attentionMask(padLengths, inputIds.dims[1]) };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(max) ? Infinity : max;
}
