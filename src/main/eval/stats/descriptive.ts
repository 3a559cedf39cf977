// Means, quantiles and the Wilson score interval: the building blocks of every interval reported for a run.
import { sum } from 'simple-statistics';
import { assert } from '../../../shared/errors';

/** Arithmetic mean with compensated (Kahan-Babuska) summation; needs at least one value. */
export function mean(values: readonly number[]): number {
  assert(values.length > 0, 'mean of no values');
  return sum(values as number[]) / values.length;
}

/**
 * The p-quantile of ascending `sorted` by linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of R and numpy): h = (n - 1) p, Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  assert(sorted.length > 0 && p >= 0 && p <= 1, 'quantile needs values and p in [0, 1]');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/**
 * Wilson (1927) score interval for a binomial proportion: the set of p whose score test at level z accepts
 * successes/n. Centre (p̂ + z²/2n) / (1 + z²/n), half-width z sqrt(p̂(1-p̂)/n + z²/4n²) / (1 + z²/n). Unlike the
 * Wald interval it stays inside [0, 1] and keeps its coverage near 0 and 1. n = 0 gives [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  assert(
    Number.isInteger(successes) && Number.isInteger(n) && successes >= 0 && successes <= n,
    'wilsonInterval needs 0 <= successes <= n',
  );
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
