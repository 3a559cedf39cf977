import { describe, expect, it } from 'vitest';
import { mcnemarFromCounts, mcnemarTest } from './mcnemar';

describe('mcnemarTest', () => {
  it("reproduces Agresti's presidential approval table (b = 150, c = 86)", () => {
    // Agresti, Categorical Data Analysis (2002), Table 10.1: 1600 people rating the President twice.
    // Uncorrected: (150 - 86)² / 236 = 4096 / 236 = 17.356 (Agresti's z = 64 / sqrt(236) = 4.17, z² = 17.36).
    // Corrected:   (64 - 1)² / 236 = 3969 / 236 = 16.818; chi-square(1) sf = 4.1146e-5 (scipy.stats.chi2.sf).
    const result = mcnemarFromCounts(150, 86);
    expect(result.method).toBe('chi-square');
    expect(result.statistic).toBeCloseTo(3969 / 236, 12);
    expect(result.statistic).toBeCloseTo(16.82, 2);
    expect(result.p).toBeCloseTo(4.114562281345944e-5, 15);
    expect((150 - 86) ** 2 / 236).toBeCloseTo(17.36, 2);
  });

  it('uses the exact binomial test below 25 discordant pairs (b = 1, c = 7)', () => {
    // 2 P(X <= 1 | n = 8, 1/2) = 2 (1 + 8) / 256 = 18/256 = 0.0703125
    expect(mcnemarFromCounts(1, 7)).toEqual({ b: 1, c: 7, p: 18 / 256, method: 'exact' });
    expect(mcnemarFromCounts(7, 1).p).toBe(18 / 256);
    expect(mcnemarFromCounts(4, 4).p).toBe(1);
    expect(mcnemarFromCounts(0, 0).p).toBe(1);
    // 12 vs 12 (24 discordant) is still exact; 13 vs 12 switches to chi-square.
    expect(mcnemarFromCounts(12, 12).method).toBe('exact');
    expect(mcnemarFromCounts(13, 12).method).toBe('chi-square');
  });

  it('counts discordant pairs from paired outcomes', () => {
    const a = [true, true, false, false, true, false];
    const b = [true, false, true, true, false, false];
    expect(mcnemarTest(a, b)).toMatchObject({ b: 2, c: 2, method: 'exact', p: 1 });
    expect(() => mcnemarTest([true], [])).toThrow();
  });
});
