// Holm's step-down adjustment (Holm 1979): controls the family-wise error rate across the effects of one analysis
// without Bonferroni's loss of power. With p sorted ascending p_(1) <= ... <= p_(m):
//   adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))  (running maximum keeps the order monotone),
// returned in the input order; equal to R's p.adjust(method = "holm").
import { assert } from '../../../shared/errors';

export function holm(pValues: readonly number[]): number[] {
  assert(
    pValues.every((p) => p >= 0 && p <= 1),
    'Holm needs p-values in [0, 1]',
  );
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
