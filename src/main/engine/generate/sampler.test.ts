// The sampler end to end: greedy picks, HF processor order, agreement with a full-sort reference chain, seeded
// reproducibility, and sampled frequencies against the filtered distribution (chi-square, fixed seed).
import { describe, expect, it } from 'vitest';
import { BugError } from '../../../shared/errors';
import { Pcg32 } from './random';
import { Sampler, type SamplingSettings } from './sampler';
import { referenceDistribution, referenceDraw } from './testing/reference';

const greedy: SamplingSettings = { do_sample: false, temperature: 1, top_k: 50, top_p: 1, repetition_penalty: 1 };
const sampling = (s: Partial<SamplingSettings>): SamplingSettings => ({ ...greedy, do_sample: true, top_k: 0, ...s });

function randomRow(vocab: number, seed: number, spread: number): Float32Array {
  const rng = Pcg32.fromSeed(seed);
  return Float32Array.from({ length: vocab }, () => Math.round((rng.nextFloat() - 0.5) * spread * 256) / 256);
}

describe('Sampler: greedy', () => {
  it('picks the argmax, lowest id on ties', () => {
    const sampler = new Sampler(greedy, 4);
    expect(sampler.next(Float32Array.from([0, 2, 2, 1]), new Set(), Pcg32.fromSeed(0))).toBe(1);
  });

  it('applies the repetition penalty first (positive divided, negative multiplied)', () => {
    const sampler = new Sampler({ ...greedy, repetition_penalty: 1.2 }, 3);
    // 3.0 / 1.2 = 2.5 < 2.9
    expect(sampler.next(Float32Array.from([3, 2.9, 0]), new Set([0]), Pcg32.fromSeed(0))).toBe(1);
    // -1 * 1.2 = -1.2 < -1.1
    expect(sampler.next(Float32Array.from([-1, -1.1, -5]), new Set([0]), Pcg32.fromSeed(0))).toBe(1);
  });

  it('draws no random numbers', () => {
    const used = Pcg32.fromSeed(3);
    new Sampler(greedy, 3).next(Float32Array.from([1, 2, 3]), new Set(), used);
    expect(used.nextUint32()).toBe(Pcg32.fromSeed(3).nextUint32());
  });

  it('rejects NaN and +Infinity logits with a BugError naming where', () => {
    const sampler = new Sampler(greedy, 3);
    expect(() =>
      sampler.next(Float32Array.from([1, Number.NaN, 0]), new Set(), Pcg32.fromSeed(0), 'step 2, row 1'),
    ).toThrow(BugError);
    expect(() =>
      sampler.next(Float32Array.from([1, Number.NaN, 0]), new Set(), Pcg32.fromSeed(0), 'step 2, row 1'),
    ).toThrow(/step 2, row 1: .*NaN.*token 1/);
    expect(() =>
      new Sampler(sampling({}), 2).next(Float32Array.from([Infinity, 0]), new Set(), Pcg32.fromSeed(0)),
    ).toThrow(BugError);
  });
});

describe('Sampler: sampling', () => {
  it('draws what a full-sort reference chain draws with the same uniform number', () => {
    const settingsList: SamplingSettings[] = [
      sampling({}),
      sampling({ temperature: 0.7, top_k: 50 }),
      sampling({ temperature: 1.3, top_k: 40, top_p: 0.8 }),
      sampling({ top_p: 0.9 }),
      sampling({ top_p: 0.95, min_p: 0.05 }),
      sampling({ top_k: 20, min_p: 0.2 }),
    ];
    for (const [n, settings] of settingsList.entries()) {
      const sampler = new Sampler(settings, 3000);
      for (let trial = 0; trial < 20; trial++) {
        const row = randomRow(3000, 100 * n + trial, 12);
        const probs = referenceDistribution(row, settings);
        const u = Pcg32.fromSeed(trial).nextFloat();
        expect(
          sampler.next(Float32Array.from(row), new Set(), Pcg32.fromSeed(trial)),
          `settings ${n}, trial ${trial}`,
        ).toBe(referenceDraw(probs, u));
      }
    }
  });

  it('repeats with the same seed and differs with another', () => {
    const settings = sampling({ temperature: 1.5 });
    const row = randomRow(500, 1, 2);
    const run = (seed: number): number[] => {
      const random = Pcg32.fromSeed(seed);
      const sampler = new Sampler(settings, row.length);
      return Array.from({ length: 30 }, () => sampler.next(Float32Array.from(row), new Set(), random));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(43)).not.toEqual(run(42));
  });

  it('draws with the frequencies of the filtered distribution (chi-square, fixed seed)', () => {
    const row = Float32Array.from([2, 1.5, 1, 0.5, 0, -0.5, -1, 2.2, -3, 0.2]);
    const settings = sampling({ temperature: 0.8, top_k: 6, top_p: 0.9 });
    const expected = referenceDistribution(row, settings);
    const sampler = new Sampler(settings, row.length);
    const random = Pcg32.fromSeed(2024);
    const draws = 20_000;
    const counts = new Array<number>(row.length).fill(0);
    for (let i = 0; i < draws; i++) counts[sampler.next(Float32Array.from(row), new Set(), random)]!++;
    const kept = expected.map((p, id) => (p > 0 ? id : -1)).filter((id) => id >= 0);
    expect(kept).toEqual([0, 1, 2, 7]); // top-k 6 then top-p 0.9 over the tempered probabilities
    for (let id = 0; id < row.length; id++)
      if (expected[id] === 0) expect(counts[id], `token ${id} was filtered out`).toBe(0);
    const chiSquare = kept.reduce(
      (sum, id) => sum + (counts[id]! - draws * expected[id]!) ** 2 / (draws * expected[id]!),
      0,
    );
    expect(chiSquare).toBeLessThan(16.27); // chi-square with 3 degrees of freedom at p = 0.001
  });
});
