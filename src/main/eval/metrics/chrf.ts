// chrF (Popović 2015) at sacrebleu's defaults (chrF2: char_order 6, word_order 0, beta 2, whitespace excluded,
// case kept), per sentence, scaled to [0, 1] instead of sacrebleu's [0, 100]. Written by hand: no maintained npm
// package implements sacrebleu's exact definition, and the whole metric is a few lines.
//
// Definition (sacrebleu CHRF._compute_f_score without eps smoothing):
//   strip all whitespace from hypothesis h and reference r; for n = 1..6 let H_n, R_n be the multisets of
//   character n-grams (over Unicode code points) and M_n = |H_n ∩ R_n| (clipped counts).
//   Orders where both |H_n| > 0 and |R_n| > 0 are "effective"; over the E effective orders
//     P = (1/E) Σ_n M_n / |H_n|,   R = (1/E) Σ_n M_n / |R_n|,
//   chrF = (1 + β²) P R / (β² P + R) with β = 2 (recall weighted 4x), and 0 when E = 0 or P + R = 0.
// The aggregate over examples is the mean of sentence scores (sacrebleu's corpus chrF instead pools the counts).

export const CHRF_CHAR_ORDER = 6;
export const CHRF_BETA = 2;

export interface ChrfResult {
  /** chrF in [0, 1]. */
  score: number;
  /** Averaged character n-gram precision and recall (P and R above). */
  precision: number;
  recall: number;
}

export function chrf(hypothesis: string, reference: string): ChrfResult {
  const h = Array.from(hypothesis.replace(/\s+/gu, ''));
  const r = Array.from(reference.replace(/\s+/gu, ''));
  let precisionSum = 0;
  let recallSum = 0;
  let effectiveOrder = 0;
  for (let n = 1; n <= CHRF_CHAR_ORDER; n++) {
    const hypothesisCounts = ngramCounts(h, n);
    const referenceCounts = ngramCounts(r, n);
    const hypothesisTotal = h.length - n + 1;
    const referenceTotal = r.length - n + 1;
    if (hypothesisTotal <= 0 || referenceTotal <= 0) continue;
    let matches = 0;
    for (const [gram, count] of hypothesisCounts) matches += Math.min(count, referenceCounts.get(gram) ?? 0);
    precisionSum += matches / hypothesisTotal;
    recallSum += matches / referenceTotal;
    effectiveOrder += 1;
  }
  if (effectiveOrder === 0) return { score: 0, precision: 0, recall: 0 };
  const precision = precisionSum / effectiveOrder;
  const recall = recallSum / effectiveOrder;
  if (precision + recall === 0) return { score: 0, precision, recall };
  const beta2 = CHRF_BETA * CHRF_BETA;
  return { score: ((1 + beta2) * precision * recall) / (beta2 * precision + recall), precision, recall };
}

function ngramCounts(chars: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const gram = chars.slice(i, i + n).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}
