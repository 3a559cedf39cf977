import { describe, expect, it } from 'vitest';
import { mean, quantileSorted, wilsonInterval } from './descriptive';

describe('wilsonInterval', () => {
  it('8/10 at z = 1.96 is [0.4902, 0.9433]', () => {
    // centre = (0.8 + 0.1921) / 1.38416 = 0.716753; half = 1.96 sqrt(0.016 + 0.009604) / 1.38416 = 0.226597
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.490157, 6);
    expect(hi).toBeCloseTo(0.943319, 6);
  });

  it('reproduces Newcombe (1998, Stat Med 17:857) Table II, method 3 (score interval)', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [s, n, lo, hi] of cases) {
      const [l, h] = wilsonInterval(s, n);
      expect(l).toBeCloseTo(lo, 4);
      expect(h).toBeCloseTo(hi, 4);
    }
  });

  it('stays in [0, 1] and widens with z', () => {
    expect(wilsonInterval(0, 20)[0]).toBe(0);
    expect(wilsonInterval(20, 20)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    const [lo95, hi95] = wilsonInterval(30, 60);
    const [lo99, hi99] = wilsonInterval(30, 60, 2.5758);
    expect(lo99).toBeLessThan(lo95);
    expect(hi99).toBeGreaterThan(hi95);
    expect(() => wilsonInterval(5, 4)).toThrow();
  });
});

describe('mean and quantileSorted', () => {
  it('compute the mean and type-7 quantiles (numpy.quantile)', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(() => mean([])).toThrow();
    // numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
    const sorted = [1, 2, 3, 4];
    expect([0, 0.25, 0.5, 0.9, 1].map((p) => quantileSorted(sorted, p))).toEqual([
      1,
      1.75,
      2.5,
      expect.closeTo(3.7, 12),
      4,
    ]);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });
});
