// Inter-rater agreement for human review: Cohen's kappa (two raters, every item) and Krippendorff's alpha
// (any number of raters, missing ratings allowed), nominal level. Hand-written: no maintained npm package computes
// alpha with missing data, and both are a few sums over a coincidence or contingency table.
import { assert } from '../../../shared/errors';

/**
 * Cohen (1960): kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e = Σ_c p1(c) p2(c) the
 * agreement expected from each rater's label frequencies. NaN when p_e = 1 (both raters always use one label).
 */
export function cohensKappa(rater1: readonly string[], rater2: readonly string[]): number {
  assert(
    rater1.length === rater2.length && rater1.length > 0,
    "Cohen's kappa needs two equally long, non-empty rating lists",
  );
  const n = rater1.length;
  const counts1 = new Map<string, number>();
  const counts2 = new Map<string, number>();
  let agree = 0;
  rater1.forEach((a, i) => {
    const b = rater2[i] as string;
    if (a === b) agree++;
    counts1.set(a, (counts1.get(a) ?? 0) + 1);
    counts2.set(b, (counts2.get(b) ?? 0) + 1);
  });
  const observed = agree / n;
  let expected = 0;
  for (const [label, c1] of counts1) expected += (c1 / n) * ((counts2.get(label) ?? 0) / n);
  return expected === 1 ? NaN : (observed - expected) / (1 - expected);
}

/**
 * Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C):
 *   units with m_u >= 2 values are pairable; the coincidence matrix o_ck = Σ_u (pairs (c, k) of values in u, ordered,
 *   from different raters) / (m_u - 1); n_c = Σ_k o_ck, n = Σ_c n_c;
 *   alpha = 1 - D_o / D_e = 1 - (n - 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
 * `units[u][r]` is rater r's value for unit u, null when missing. NaN when nothing is pairable or only one value
 * occurs (no expected disagreement).
 */
export function krippendorffAlpha(
  units: readonly (readonly (string | null)[])[],
  level: 'nominal' = 'nominal',
): number {
  assert(level === 'nominal', 'only the nominal level is implemented');
  const coincidence = new Map<string, Map<string, number>>();
  const add = (c: string, k: string, w: number) => {
    const row = coincidence.get(c) ?? new Map<string, number>();
    row.set(k, (row.get(k) ?? 0) + w);
    coincidence.set(c, row);
  };
  for (const unit of units) {
    const values = unit.filter((v): v is string => v !== null);
    const m = values.length;
    if (m < 2) continue;
    values.forEach((c, i) => values.forEach((k, j) => i !== j && add(c, k, 1 / (m - 1))));
  }
  const totals = new Map<string, number>();
  let disagreement = 0;
  for (const [c, row] of coincidence) {
    for (const [k, o] of row) {
      totals.set(c, (totals.get(c) ?? 0) + o);
      if (c !== k) disagreement += o;
    }
  }
  const n = [...totals.values()].reduce((s, v) => s + v, 0);
  const squares = [...totals.values()].reduce((s, v) => s + v * v, 0);
  const expected = n * n - squares; // Σ_{c≠k} n_c n_k
  return expected === 0 ? NaN : 1 - ((n - 1) * disagreement) / expected;
}
