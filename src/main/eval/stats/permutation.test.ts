import { describe, expect, it } from 'vitest';
import { pairedPermutationTest, signFlipTest } from './permutation';

describe('pairedPermutationTest', () => {
  it('enumerates a small case exactly', () => {
    // d = a - b = [1, 2, 3]; observed |sum| = 6. The 8 sign assignments give sums
    // ±1±2±3 = 6, 4, 2, 0, 0, -2, -4, -6: only +6 and -6 reach 6 -> p = 2/8 = 0.25
    const result = pairedPermutationTest([2, 3, 4], [1, 1, 1], { seed: 0 });
    expect(result).toEqual({ estimate: 2, p: 0.25, exact: true, resamples: 8, seed: 0 });
    // d = [1, 1, -1, 3]: observed sum 4; sums of ±1±1±1±3 with |s| >= 4: (+,+,+,+)=6, (+,+,-,+)=4, (+,-,+,+)=4,
    // (-,+,+,+)=4 and their negations -> 8 of 16 -> p = 0.5
    expect(signFlipTest([1, 1, -1, 3], { seed: 0 }).p).toBe(0.5);
  });

  it('is symmetric in a and b, and p is in (0, 1]', () => {
    const a = [0.9, 0.7, 0.8, 0.95, 0.6, 0.85, 0.75, 0.9, 0.8, 0.7];
    const b = [0.6, 0.65, 0.7, 0.8, 0.62, 0.7, 0.6, 0.85, 0.7, 0.72];
    const ab = pairedPermutationTest(a, b, { seed: 1 });
    const ba = pairedPermutationTest(b, a, { seed: 1 });
    expect(ab.p).toBe(ba.p);
    expect(ab.estimate).toBeCloseTo(-ba.estimate, 15);
    expect(ab.p).toBeGreaterThan(0);
    expect(ab.p).toBeLessThanOrEqual(1);
    expect(pairedPermutationTest(a, a, { seed: 1 }).p).toBe(1);
  });

  it('gives the smallest possible exact p when every difference has the same sign', () => {
    // Only the all-plus and all-minus assignments reach the observed sum: p = 2 / 2^10.
    expect(signFlipTest(new Array<number>(10).fill(1), { seed: 0 }).p).toBe(2 / 1024);
  });

  it('uses seeded Monte Carlo with the +1 correction above 16 examples', () => {
    const d = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -0.2 : 0.3));
    const first = signFlipTest(d, { seed: 7, resamples: 2000 });
    expect(first.exact).toBe(false);
    expect(signFlipTest(d, { seed: 7, resamples: 2000 })).toEqual(first);
    expect(first.p).toBeGreaterThanOrEqual(1 / 2001);
    // All 40 differences positive (0.3 is on no binary lattice): no random assignment reaches it, p = 1 / (R + 1).
    expect(signFlipTest(new Array<number>(40).fill(0.3), { seed: 7, resamples: 999 }).p).toBe(1 / 1000);
  });

  it('is exact for 0/1 differences at any n: the two-sided sign test, i.e. exact McNemar', () => {
    // d in {-1, 0, 1}: zeros never change the sum, so S = 2K - m over the m = 30 nonzero d with K ~ Bin(30, 1/2).
    // 20 positive, 10 negative: p = P(|2K - 30| >= 10) = 2 P(K <= 10) = 2 · 53009102 / 2^30 (scipy: 0.098734...)
    const d = [...new Array<number>(20).fill(1), ...new Array<number>(10).fill(-1), ...new Array<number>(15).fill(0)];
    const result = signFlipTest(d, { seed: 0 });
    expect(result.exact).toBe(true);
    expect(result.p).toBeCloseTo((2 * 53009102) / 2 ** 30, 14);
    expect(signFlipTest(new Array<number>(40).fill(1), { seed: 0 }).p).toBe(2 / 2 ** 40);
  });

  it('convolves multiples of 1/2^m exactly (checked against full enumeration at n = 17)', () => {
    const d = [0.5, -0.25, 1, 0, 0.75, 0.5, -0.5, 0.25, 1, 0.5, -1, 0.25, 0.5, 0.75, -0.25, 0.5, 0.25];
    const observed = Math.abs(d.reduce((s, v) => s + v, 0));
    let extreme = 0;
    for (let mask = 0; mask < 2 ** 17; mask++) {
      const sum = d.reduce((s, v, i) => s + (mask & (1 << i) ? -v : v), 0);
      if (Math.abs(sum) >= observed - 1e-9) extreme++;
    }
    const result = signFlipTest(d, { seed: 0 });
    expect(result.exact).toBe(true);
    expect(result.p).toBeCloseTo(extreme / 2 ** 17, 14);
  });

  it('agrees with the exact p for a case near the switch-over', () => {
    // n = 17 (Monte Carlo) vs the same data's exact p, computed by enumerating the 2^17 assignments here.
    const d = [0.3, -0.1, 0.2, 0.4, -0.3, 0.1, 0.2, 0.5, -0.2, 0.1, 0.3, 0.0, 0.2, -0.4, 0.3, 0.1, 0.2];
    const observed = Math.abs(d.reduce((s, v) => s + v, 0));
    let extreme = 0;
    for (let mask = 0; mask < 2 ** 17; mask++) {
      const sum = d.reduce((s, v, i) => s + (mask & (1 << i) ? -v : v), 0);
      if (Math.abs(sum) >= observed - 1e-9) extreme++;
    }
    const exact = extreme / 2 ** 17;
    const monteCarlo = signFlipTest(d, { seed: 11, resamples: 20_000 }).p;
    expect(Math.abs(monteCarlo - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / 20_000) + 1e-4);
  });
});
