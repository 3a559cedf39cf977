// Logits processors and warpers against hand-computed HF results, and the partial-selection versions against a
// full-sort reference on vocabulary-sized rows.
import { describe, expect, it } from 'vitest';
import {
  applyMinP,
  applyRepetitionPenalty,
  applyTemperature,
  applyTopK,
  applyTopP,
  argmax,
  sampleToken,
  softmax,
} from './logits';
import { Pcg32 } from './random';
import { kthLargest } from './select';
import { kept, referenceTopK, referenceTopP } from './testing/reference';

const logOf = (probs: number[]): Float32Array => Float32Array.from(probs, Math.log);

/** A vocabulary-sized row [V]: peaked like real logits, with ties (values rounded to 1/64). */
function randomRow(vocab: number, seed: number, spread = 3): Float32Array {
  const rng = Pcg32.fromSeed(seed);
  return Float32Array.from({ length: vocab }, () => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
    return Math.round(gaussian * spread * 64) / 64;
  });
}

describe('applyRepetitionPenalty', () => {
  it('matches HF test_repetition_penalty_dist_process', () => {
    const vocab = 10;
    const rowA = new Float32Array(vocab).fill(1 / vocab);
    rowA[0] = -1 / vocab;
    applyRepetitionPenalty(rowA, [0, 1], 2);
    expect(rowA[0]).toBeCloseTo((-1 / vocab) * 2, 7);
    expect(rowA[1]).toBeCloseTo(1 / vocab / 2, 7);
    expect(rowA[2]).toBeCloseTo(1 / vocab, 7);
    const rowB = new Float32Array(vocab).fill(1 / vocab);
    rowB[5] = 4 / vocab;
    applyRepetitionPenalty(rowB, [5, 0], 2);
    expect(rowB[0]).toBeCloseTo(1 / vocab / 2, 7);
    expect(rowB[5]).toBeCloseTo(4 / vocab / 2, 7);
  });

  it('divides positive, multiplies negative, once per distinct id, zero stays zero', () => {
    const row = Float32Array.from([2, -1, 0.5, 3, -2, 0]);
    applyRepetitionPenalty(row, [0, 1, 1, 4, 0, 5], 1.5);
    expect(Array.from(row)).toEqual([Math.fround(2 / 1.5), -1.5, 0.5, 3, -3, 0]);
  });

  it('is off at 1', () => {
    const row = Float32Array.from([2, -1]);
    applyRepetitionPenalty(row, [0, 1], 1);
    expect(Array.from(row)).toEqual([2, -1]);
  });
});

describe('applyTemperature', () => {
  it('divides by the temperature', () => {
    const row = Float32Array.from([1, -2, 0.5]);
    applyTemperature(row, 0.5);
    expect(Array.from(row)).toEqual([2, -4, 1]);
  });
});

describe('applyTopK', () => {
  it('keeps the k largest (HF ramp case)', () => {
    const row = Float32Array.from({ length: 10 }, (_, i) => i);
    applyTopK(row, 3);
    expect(kept(row)).toEqual([7, 8, 9]);
  });

  it('keeps every token tied with the k-th, as HF does', () => {
    const row = Float32Array.from([1, 3, 2, 3, 2]);
    applyTopK(row, 3);
    expect(kept(row)).toEqual([1, 2, 3, 4]);
    const single = Float32Array.from([1, 3, 3, 2]);
    applyTopK(single, 1);
    expect(kept(single)).toEqual([1, 2]);
  });

  it('is off at 0 and when k covers the vocabulary', () => {
    const row = Float32Array.from([1, 2, 3]);
    applyTopK(row, 0);
    applyTopK(row, 3);
    expect(kept(row)).toEqual([0, 1, 2]);
  });

  it('agrees with a full sort on vocabulary-sized rows', () => {
    for (const [seed, k] of [
      [1, 1],
      [2, 50],
      [3, 1000],
    ] as const) {
      const row = randomRow(150_000, seed);
      const expected = referenceTopK(row, k);
      applyTopK(row, k);
      expect(kept(row)).toEqual(kept(expected));
    }
  });
});

describe('applyTopP', () => {
  it('matches HF test_top_p_dist_warper (top_p 0.8)', () => {
    const a = logOf([0.3, 0.1, 0.1, 0.5]);
    applyTopP(a, 0.8);
    expect(kept(a)).toEqual([0, 3]);
    const b = logOf([0.15, 0.3, 0.3, 0.25]);
    applyTopP(b, 0.8);
    expect(kept(b)).toEqual([1, 2, 3]);
  });

  it('keeps the smallest set reaching top_p, and at least one token', () => {
    // probabilities 0.05, 0.5, 0.15, 0.3: sorted 0.5, 0.3, 0.15, 0.05 (cumulative 0.5, 0.8, 0.95, 1)
    const probs = [0.05, 0.5, 0.15, 0.3];
    const cases: [number, number[]][] = [
      [0.3, [1]],
      [0.6, [1, 3]],
      [0.9, [1, 2, 3]],
      [0.99, [0, 1, 2, 3]],
    ];
    for (const [topP, expected] of cases) {
      const row = logOf(probs);
      applyTopP(row, topP);
      expect(kept(row), `top_p ${topP}`).toEqual(expected);
    }
  });

  it('breaks ties by the lower id', () => {
    const row = logOf([0.25, 0.25, 0.25, 0.25]);
    applyTopP(row, 0.5);
    expect(kept(row)).toEqual([0, 1]);
  });

  it('works after top-k on the remaining tokens', () => {
    const row = logOf([0.4, 0.3, 0.2, 0.1]);
    applyTopK(row, 2); // renormalized: 0.4/0.7, 0.3/0.7
    applyTopP(row, 0.5);
    expect(kept(row)).toEqual([0]);
  });

  it('keeps the first half of a flat 150k row at 0.5 (ties by id, bucketed path)', () => {
    const row = new Float32Array(150_000);
    applyTopP(row, 0.5);
    const left = kept(row);
    expect(left.length).toBe(75_000);
    expect(left[left.length - 1]).toBe(74_999);
  });

  it('agrees with a full sort on vocabulary-sized rows, small and large nuclei', () => {
    for (const [seed, spread, topP] of [
      [4, 3, 0.9],
      [5, 1, 0.5],
      [6, 6, 0.95],
      [7, 0.5, 0.99],
    ] as const) {
      const row = randomRow(150_000, seed, spread);
      const expected = referenceTopP(row, topP);
      applyTopP(row, topP);
      expect(kept(row), `seed ${seed}`).toEqual(kept(expected));
    }
  });
});

describe('applyMinP', () => {
  it('removes tokens below min_p times the top probability', () => {
    const probs = [0.05, 0.6, 0.1, 0.2, 0.05];
    const cases: [number, number[]][] = [
      [0.2, [1, 3]], // threshold 0.12
      [0.1, [1, 2, 3]], // threshold 0.06
      [0.05, [0, 1, 2, 3, 4]], // threshold 0.03
      [1, [1]],
    ];
    for (const [minP, expected] of cases) {
      const row = logOf(probs);
      applyMinP(row, minP);
      expect(kept(row), `min_p ${minP}`).toEqual(expected);
    }
  });
});

describe('argmax, softmax and sampleToken', () => {
  it('argmax breaks ties by the lowest id, as torch.argmax', () => {
    expect(argmax(Float32Array.from([1, 5, 5, 2]))).toBe(1);
    expect(argmax(Float32Array.from([-Infinity, -3, -1, -1]))).toBe(2);
  });

  it('softmax is stable for large logits and gives removed tokens 0', () => {
    expect(Array.from(softmax(Float32Array.from([1000, 1000, -Infinity])))).toEqual([0.5, 0.5, 0]);
    const probs = softmax(Float32Array.from([0, Math.log(3)]));
    expect(probs[0]).toBeCloseTo(0.25, 6);
    expect(probs[1]).toBeCloseTo(0.75, 6);
  });

  it('sampleToken walks the CDF in id order, skipping removed tokens', () => {
    const row = Float32Array.from([Math.log(0.25), -Infinity, Math.log(0.5), Math.log(0.25)]);
    expect(sampleToken(row, 0)).toBe(0);
    expect(sampleToken(row, 0.2)).toBe(0);
    expect(sampleToken(row, 0.3)).toBe(2);
    expect(sampleToken(row, 0.7)).toBe(2);
    expect(sampleToken(row, 0.8)).toBe(3);
    expect(sampleToken(row, 0.999_999_999)).toBe(3);
  });
});

describe('kthLargest', () => {
  it('finds the k-th largest finite value, ties counted, removed ones skipped', () => {
    expect(kthLargest(Float32Array.from([1, 3, 2, 3, -Infinity, 2]), 3)).toBe(2);
    expect(kthLargest(Float32Array.from([1, 3, 2, 3]), 2)).toBe(3);
    expect(kthLargest(Float32Array.from([-Infinity, 1, -Infinity]), 2)).toBe(-Infinity);
  });

  it('agrees with a full sort on rows with many ties', () => {
    const row = randomRow(20_000, 11, 0.5);
    const sorted = Array.from(row).sort((a, b) => b - a);
    for (const k of [1, 7, 64, 500, 20_000]) expect(kthLargest(row, k)).toBe(sorted[k - 1]);
  });
});
