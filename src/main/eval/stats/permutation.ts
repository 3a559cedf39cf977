// Paired permutation (sign-flip) test of a mean difference (Fisher 1935; Good, Permutation Tests, 2005): under H0
// the two conditions are exchangeable within each example, so each difference d_i = a_i - b_i is as likely to have
// either sign. The statistic is |mean(d)|; the two-sided p is the share of sign assignments whose |mean| is at least
// the observed one. Exact in two cases: enumeration of all 2^n assignments when n <= 16, and, for larger n, when
// every d_i is a multiple of 1/2^m (0/1 scores and their factorial effects are), by convolving the distribution of
// the integer sum Σ ±d_i 2^m one example at a time (a dynamic programme over at most n · Σ|d_i| 2^m cells).
// Otherwise `resamples` random assignments with the +1 correction p = (1 + #{|T*| >= |T|}) / (1 + R) (Phipson &
// Smyth 2010), so a Monte Carlo p is never 0.
import { assert } from '../../../shared/errors';
import { Rng } from './prng';

export const EXACT_MAX_N = 16;
export const DEFAULT_PERMUTATIONS = 10_000;

export interface PermutationOptions {
  seed: number;
  /** Random sign assignments when n > EXACT_MAX_N (default 10000). */
  resamples?: number;
  /** PRNG stream under the seed (default 0). */
  stream?: number;
}

export interface PermutationResult {
  /** mean(a) - mean(b) (or mean(d) for signFlipTest). */
  estimate: number;
  p: number;
  /** true: the p of all 2^n assignments (enumerated or convolved); false: Monte Carlo with `resamples` assignments. */
  exact: boolean;
  /** Assignments the p is over: 2^n when exact, else the Monte Carlo count. */
  resamples: number;
  seed: number;
}

export function pairedPermutationTest(
  a: readonly number[],
  b: readonly number[],
  options: PermutationOptions,
): PermutationResult {
  assert(a.length === b.length, 'paired samples must have the same length');
  return signFlipTest(
    a.map((v, i) => v - (b[i] as number)),
    options,
  );
}

/** The sign-flip test of mean(d) = 0 for per-example differences or effects d. */
export function signFlipTest(d: readonly number[], options: PermutationOptions): PermutationResult {
  const n = d.length;
  assert(n > 0, 'a permutation test needs at least one example');
  const total = d.reduce((s, v) => s + v, 0);
  const observed = Math.abs(total);
  // Sums within rounding of the observed one count as at least as extreme (ties are common with 0/1 scores).
  const tolerance = 1e-9 * d.reduce((s, v) => s + Math.abs(v), 0);
  const threshold = observed - tolerance;
  if (n <= EXACT_MAX_N) {
    const assignments = 2 ** n;
    let extreme = 0;
    for (let mask = 0; mask < assignments; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -(d[i] as number) : (d[i] as number);
      if (Math.abs(sum) >= threshold) extreme++;
    }
    return { estimate: total / n, p: extreme / assignments, exact: true, resamples: assignments, seed: options.seed };
  }
  const lattice = latticeP(d);
  if (lattice !== undefined)
    return { estimate: total / n, p: lattice, exact: true, resamples: 2 ** n, seed: options.seed };
  const resamples = options.resamples ?? DEFAULT_PERMUTATIONS;
  const rng = new Rng(options.seed, options.stream ?? 0);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32(); // one 32-bit draw gives 32 signs
      sum += bits & (1 << (i & 31)) ? -(d[i] as number) : (d[i] as number);
    }
    if (Math.abs(sum) >= threshold) extreme++;
  }
  return { estimate: total / n, p: (1 + extreme) / (1 + resamples), exact: false, resamples, seed: options.seed };
}

/** Largest lattice refinement tried (d_i multiples of 1/2^8) and largest dynamic programme (cells visited). */
const MAX_LATTICE_BITS = 8;
const MAX_LATTICE_WORK = 50_000_000;

/**
 * The exact two-sided p when every d_i · 2^m is an integer v_i: the distribution of S = Σ ±v_i (each sign with
 * probability 1/2) built by convolution, then P(|S| >= |Σ v_i|). undefined when d is not on such a lattice or the
 * programme would be too large.
 */
function latticeP(d: readonly number[]): number | undefined {
  let scale = 0;
  for (let m = 0; m <= MAX_LATTICE_BITS && scale === 0; m++)
    if (d.every((v) => Number.isInteger(v * 2 ** m))) scale = 2 ** m;
  if (scale === 0) return undefined;
  const v = d.map((x) => Math.abs(Math.round(x * scale)));
  const range = v.reduce((s, x) => s + x, 0);
  if (range * d.length > MAX_LATTICE_WORK) return undefined;
  // probability[s + range] = P(partial sum = s)
  let probability = new Float64Array(2 * range + 1);
  let next = new Float64Array(2 * range + 1);
  probability[range] = 1;
  let reach = 0;
  for (const x of v) {
    if (x === 0) continue;
    next.fill(0, range - reach - x, range + reach + x + 1);
    for (let s = range - reach; s <= range + reach; s++) {
      const q = probability[s] as number;
      if (q === 0) continue;
      next[s + x] = (next[s + x] as number) + q / 2;
      next[s - x] = (next[s - x] as number) + q / 2;
    }
    reach += x;
    [probability, next] = [next, probability]; // the old buffer's support lies inside the next fill: no stale cells
  }
  const observed = Math.abs(Math.round(d.reduce((s, x) => s + x, 0) * scale));
  let p = 0;
  for (let s = -reach; s <= reach; s++) if (Math.abs(s) >= observed) p += probability[s + range] as number;
  return Math.min(1, p);
}
