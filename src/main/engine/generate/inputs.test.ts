// Step inputs for a left-padded batch: padding, attention mask and position ids as transformers computes them.
import { describe, expect, it } from 'vitest';
import { attentionMask, leftPad, positionIds, toRows } from './inputs';

describe('left padding', () => {
  it('pads ragged prompts on the left, masks the padding and numbers positions from each row start', () => {
    const { inputIds, padLengths } = leftPad([[5, 6, 7], [8], [9, 10]], 0);
    expect(toRows(inputIds)).toEqual([
      [5, 6, 7],
      [0, 0, 8],
      [0, 9, 10],
    ]);
    expect(padLengths).toEqual([0, 2, 1]);
    const mask = attentionMask(padLengths, 3);
    expect(toRows(mask)).toEqual([
      [1, 1, 1],
      [0, 0, 1],
      [0, 1, 1],
    ]);
    // cumsum(mask) - 1, padded positions 1 (transformers' masked_fill_(attention_mask == 0, 1))
    expect(toRows(positionIds(mask, 3))).toEqual([
      [0, 1, 2],
      [1, 1, 0],
      [1, 0, 1],
    ]);
  });

  it('continues positions for decode steps from the grown mask', () => {
    const mask = attentionMask([0, 2, 1], 5); // 3 prompt columns + 2 generated
    expect(toRows(mask)).toEqual([
      [1, 1, 1, 1, 1],
      [0, 0, 1, 1, 1],
      [0, 1, 1, 1, 1],
    ]);
    expect(toRows(positionIds(mask, 1))).toEqual([[4], [2], [3]]);
    expect(positionIds(mask, 1).dims).toEqual([3, 1]);
  });

  it('uses the pad id given and int64 data ready for ORT', () => {
    const { inputIds } = leftPad([[1], [2, 3, 4]], 99);
    expect(inputIds.data).toBeInstanceOf(BigInt64Array);
    expect(inputIds.dims).toEqual([2, 3]);
    expect(toRows(inputIds)[0]).toEqual([99, 99, 1]);
  });
});
