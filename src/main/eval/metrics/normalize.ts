// Text normalisation for exact_match, contains, json_fields and classification: two answers that differ only in
// case, spacing, Unicode compatibility forms or wrapping quotes/final punctuation count as the same answer.

/**
 * Quotes (ASCII, typographic: Unicode Pi/Pf) and sentence punctuation stripped from both ends. Brackets, hyphens
 * and signs stay: "(a)" and "-5" carry meaning.
 */
const EDGE = String.raw`[\s"'\u0060\p{Pi}\p{Pf}.,;:!?\u2026\u00bf\u00a1]+`;
const EDGES = new RegExp(`^${EDGE}|${EDGE}$`, 'gu');

/**
 * NFKC (fullwidth and ligature forms to plain ones), case-fold, collapse whitespace to single spaces, then strip
 * surrounding quotes and punctuation ("  \"Paris.\" " -> "paris"). Case folding is approximated by upper- then
 * lower-casing, which folds the multi-character cases plain lower-casing misses ("STRASSE" = "straße").
 */
export function normalizeText(text: string): string {
  const folded = text.normalize('NFKC').toUpperCase().toLowerCase();
  return folded.replace(/\s+/gu, ' ').replace(EDGES, '');
}
