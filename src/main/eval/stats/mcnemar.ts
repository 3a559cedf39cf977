// McNemar's test (McNemar 1947) for two paired binary outcomes (the same examples scored under two conditions):
// only the discordant pairs carry information. b = a right and b wrong, c = a wrong and b right.
// Under H0 (equal accuracy) b ~ Binomial(b + c, 1/2). With fewer than 25 discordant pairs the exact two-sided
// binomial p = min(1, 2 P(X <= min(b, c))) is used; otherwise the chi-square statistic with Edwards' continuity
// correction (|b - c| - 1)² / (b + c) on 1 degree of freedom, as R's mcnemar.test and statsmodels compute it.
import { assert } from '../../../shared/errors';
import { binomialCdf, chiSquareSf } from './distributions';

export interface McNemarResult {
  /** Pairs where a is right and b is wrong. */
  b: number;
  /** Pairs where a is wrong and b is right. */
  c: number;
  /** The continuity-corrected chi-square statistic (chi-square method only). */
  statistic?: number;
  p: number;
  method: 'exact' | 'chi-square';
}

/** Below this many discordant pairs the exact binomial test is used (a common rule, e.g. in statsmodels' docs). */
export const MCNEMAR_EXACT_BELOW = 25;

export function mcnemarTest(a: readonly boolean[], b: readonly boolean[]): McNemarResult {
  assert(a.length === b.length, 'McNemar needs paired outcomes of equal length');
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (!a[i] && b[i]) onlyB++;
  }
  return mcnemarFromCounts(onlyA, onlyB);
}

/** McNemar's test from the discordant counts. */
export function mcnemarFromCounts(b: number, c: number): McNemarResult {
  const discordant = b + c;
  if (discordant < MCNEMAR_EXACT_BELOW) {
    const p = discordant === 0 ? 1 : Math.min(1, 2 * binomialCdf(Math.min(b, c), discordant, 0.5));
    return { b, c, p, method: 'exact' };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / discordant;
  return { b, c, statistic, p: chiSquareSf(statistic, 1), method: 'chi-square' };
}
