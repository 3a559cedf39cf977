// The change in a metric between two runs of the same rows (a drift audit's recorded and new outputs, a format
// check's stored and quantized ones): both means, the paired bootstrap CI of the change, and McNemar's p for pass/fail
// scores (a score >= 1 passes).
import { pairedBootstrapDiffCI } from './bootstrap';
import { mcnemarTest } from './mcnemar';

export interface PairedChange {
  before: number;
  after: number;
  diff: number;
  /** null with fewer than two rows. */
  ci: [number, number] | null;
  /** McNemar's p for binary scores; null otherwise. */
  p: number | null;
}

export function pairedChange(
  after: readonly number[],
  before: readonly number[],
  o: { binary: boolean; seed: number; resamples: number; stream: number },
): PairedChange {
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ci =
    after.length >= 2
      ? pairedBootstrapDiffCI(after, before, { seed: o.seed, resamples: o.resamples, stream: o.stream }).ci
      : null;
  const p = o.binary
    ? mcnemarTest(
        after.map((v) => v >= 1),
        before.map((v) => v >= 1),
      ).p
    : null;
  return { before: mean(before), after: mean(after), diff: mean(after) - mean(before), ci, p };
}
