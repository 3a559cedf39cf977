import { describe, expect, it } from 'vitest';
import { binomialCdf, chiSquareSf, lnGamma, normalQuantileTwoSided, normalTwoSidedP } from './distributions';

// Expected values from scipy 1.17 (scipy.stats.chi2.sf, math.lgamma, scipy.stats.binom.cdf, scipy.stats.norm.sf).
describe('distributions', () => {
  it('lnGamma matches math.lgamma', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5723649429247004, 14); // ln sqrt(pi)
    expect(lnGamma(10.3)).toBeCloseTo(13.48203678613836, 12);
    expect(lnGamma(0.1)).toBeCloseTo(2.2527126517342055, 13);
    expect(lnGamma(200.5)).toBeCloseTo(860.5822035097825, 10);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
  });

  it('chiSquareSf matches scipy in both the series and the continued-fraction branch', () => {
    const close = (actual: number, expected: number) => expect(Math.abs(actual / expected - 1)).toBeLessThan(1e-12);
    close(chiSquareSf(16.81779661016949, 1), 4.114562281345944e-5);
    close(chiSquareSf(3.841458820694124, 1), 0.05);
    close(chiSquareSf(0.5, 1), 0.47950012218695337);
    close(chiSquareSf(40, 3), 1.065509033425585e-8);
    close(chiSquareSf(2, 4), 0.7357588823428847);
    close(normalTwoSidedP(3.5), 0.00046525815807105003);
    expect(chiSquareSf(0, 1)).toBe(1);
  });

  it('binomialCdf is exact for p = 1/2', () => {
    expect(binomialCdf(1, 8, 0.5)).toBe(9 / 256);
    expect(binomialCdf(3, 20, 0.5)).toBe(1351 / 1048576); // 1 + 20 + 190 + 1140
    expect(binomialCdf(-1, 5, 0.5)).toBe(0);
    expect(binomialCdf(5, 5, 0.5)).toBe(1);
    expect(binomialCdf(1, 3, 0.2)).toBeCloseTo(0.512 + 0.384, 15);
  });

  it('normalQuantileTwoSided inverts the two-sided normal p (scipy.stats.norm.ppf)', () => {
    expect(normalQuantileTwoSided(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantileTwoSided(0.99)).toBeCloseTo(2.5758293035489004, 12);
    expect(normalQuantileTwoSided(0.5)).toBeCloseTo(0.6744897501960817, 12);
  });
});
