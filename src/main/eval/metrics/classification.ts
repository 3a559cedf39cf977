// Classification scoring: reading a label from an output or reference, and the confusion matrix and macro-F1 over a
// run. Labels are compared after normalizeText, so "Positive." and "positive" are the same class.
import { fieldText, isJsonObject, parseJsonOutput, readField } from './json-output';
import { normalizeText } from './normalize';

/** The confusion-matrix column for predictions outside the label set. */
export const OTHER_LABEL = '(other)';

/**
 * The normalised label in `text`: the whole text, or with `field` the value of that JSON field (undefined when the
 * text is not a JSON object or lacks the field).
 */
export function readLabel(text: string, field: string | undefined): string | undefined {
  if (field === undefined) return normalizeText(text);
  const parsed = parseJsonOutput(text);
  if (!parsed.ok || !isJsonObject(parsed.value)) return undefined;
  const value = readField(parsed.value, field);
  return value === undefined ? undefined : normalizeText(fieldText(value));
}

export interface Confusion {
  /** Row labels (true classes), as the spec spells them, or normalised when derived from the references. */
  labels: string[];
  /** Column labels: `labels` then OTHER_LABEL. */
  columns: string[];
  /** matrix[i][j]: examples of true class labels[i] predicted as columns[j]. */
  matrix: number[][];
}

/**
 * The confusion matrix of (expected, predicted) normalised label pairs. Rows: the spec's labels in order, then any
 * reference label outside them (sorted), so no example is dropped; without spec labels, the distinct references
 * sorted. A prediction that is not a row label counts in the OTHER_LABEL column.
 */
export function confusionMatrix(
  pairs: readonly { expected: string; predicted: string }[],
  specLabels?: readonly string[],
): Confusion {
  const labels = [...(specLabels ?? [])];
  const index = new Map<string, number>();
  labels.forEach((label, i) => index.set(normalizeText(label), i));
  const extra = [...new Set(pairs.map((p) => p.expected).filter((e) => !index.has(e)))].sort();
  for (const label of extra) {
    index.set(label, labels.length);
    labels.push(label);
  }
  const other = labels.length;
  const matrix = labels.map(() => new Array<number>(other + 1).fill(0));
  for (const { expected, predicted } of pairs) {
    const row = matrix[index.get(expected) as number] as number[];
    const column = index.get(predicted) ?? other;
    row[column] = (row[column] as number) + 1;
  }
  return { labels, columns: [...labels, OTHER_LABEL], matrix };
}

/**
 * Macro-F1: the unweighted mean over classes of F1_c = 2 TP / (2 TP + FP + FN). Classes that never occur as a
 * reference or a prediction (TP + FP + FN = 0) are left out, as scikit-learn does for labels it never sees;
 * OTHER_LABEL is not a class (its predictions count as false negatives of their true class). null when no class
 * occurs.
 */
export function macroF1(confusion: Confusion): number | null {
  const k = confusion.labels.length;
  const f1s: number[] = [];
  for (let c = 0; c < k; c++) {
    const row = confusion.matrix[c] as number[];
    const tp = row[c] as number;
    const fn = row.reduce((s, v) => s + v, 0) - tp;
    const fp = confusion.matrix.reduce((s, r, i) => (i === c ? s : s + (r[c] as number)), 0);
    if (tp + fp + fn > 0) f1s.push((2 * tp) / (2 * tp + fp + fn));
  }
  return f1s.length === 0 ? null : f1s.reduce((s, v) => s + v, 0) / f1s.length;
}
