// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) for means and paired mean differences: resample the
// examples with replacement, recompute the mean, and read the (1-level)/2 and (1+level)/2 quantiles (type 7) of
// the resampled means. Paired designs resample example indices jointly, so every series sees the same examples.
import { assert } from '../../../shared/errors';
import { mean, quantileSorted } from './descriptive';
import { Rng } from './prng';

export interface BootstrapOptions {
  seed: number;
  /** Number of bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /**
   * PRNG stream under the seed (default 0); analyses running several bootstraps under one seed use distinct streams.
   */
  stream?: number;
}

export interface BootstrapResult {
  /** The statistic on the original sample. */
  estimate: number;
  ci: [number, number];
  level: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_LEVEL = 0.95;

export function bootstrapMeanCI(values: readonly number[], options: BootstrapOptions): BootstrapResult {
  return bootstrapMeansCI([values], options)[0] as BootstrapResult;
}

/** CI of mean(a) - mean(b) over paired examples (a[i] and b[i] are the same example under two conditions). */
export function pairedBootstrapDiffCI(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions,
): BootstrapResult {
  assert(a.length === b.length, 'paired samples must have the same length');
  return bootstrapMeanCI(
    a.map((v, i) => v - (b[i] as number)),
    options,
  );
}

/**
 * Percentile CIs of the means of several series of one sample (series[s][i] = statistic s on example i), all from
 * the same resampled example indices: the joint (paired) bootstrap behind factorial effects and cell means.
 */
export function bootstrapMeansCI(series: readonly (readonly number[])[], options: BootstrapOptions): BootstrapResult[] {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? DEFAULT_LEVEL;
  const n = series[0]?.length ?? 0;
  assert(n > 0 && series.every((s) => s.length === n), 'bootstrap needs equal-length, non-empty series');
  assert(
    Number.isInteger(resamples) && resamples >= 1 && level > 0 && level < 1,
    'bootstrap needs resamples >= 1 and 0 < level < 1',
  );
  const rng = new Rng(options.seed, options.stream ?? 0);
  const means = series.map(() => new Float64Array(resamples));
  const sums = new Float64Array(series.length);
  for (let r = 0; r < resamples; r++) {
    sums.fill(0);
    for (let draw = 0; draw < n; draw++) {
      const i = rng.nextInt(n);
      for (let s = 0; s < series.length; s++)
        sums[s] = (sums[s] as number) + ((series[s] as readonly number[])[i] as number);
    }
    for (let s = 0; s < series.length; s++) (means[s] as Float64Array)[r] = (sums[s] as number) / n;
  }
  const alpha = (1 - level) / 2;
  return series.map((values, s) => {
    const sorted = (means[s] as Float64Array).sort();
    return {
      estimate: mean(values),
      ci: [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)],
      level,
      resamples,
      seed: options.seed,
    };
  });
}
