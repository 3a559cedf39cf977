// ROUGE-L (Lin 2004, section 3.1): F-measure of the longest common subsequence of tokens, with beta = 1 as in
// Google's rouge-score `fmeasure`. Tokens are the lower-cased runs of letters and digits (rouge-score keeps only
// [a-z0-9]; we keep any Unicode letter or digit so non-English text is scored), no stemming.
//   P = LCS / |hypothesis tokens|, R = LCS / |reference tokens|, F1 = 2 P R / (P + R); 0 when either side is empty.

export interface RougeLResult {
  score: number;
  precision: number;
  recall: number;
  /** Length of the longest common token subsequence. */
  lcs: number;
}

export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function rougeL(hypothesis: string, reference: string): RougeLResult {
  const h = rougeTokens(hypothesis);
  const r = rougeTokens(reference);
  const lcs = lcsLength(h, r);
  if (lcs === 0) return { score: 0, precision: 0, recall: 0, lcs };
  const precision = lcs / h.length;
  const recall = lcs / r.length;
  return { score: (2 * precision * recall) / (precision + recall), precision, recall, lcs };
}

/** Dynamic programming over two rows: O(|a| |b|) time, O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (const token of a) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        token === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}
