// The label values guided mode offers (pure): the distinct values of the dataset's label field, or of its reference
// when that holds a few short classes, so that a classification template asks for the labels the data really has.
// withLabels puts them into a starter; replacesText says whether opening a composed template would overwrite text.
import type { GuidedSpec } from './guided';

export interface LabelValues {
  readonly field: string;
  /** Sorted, distinct, non-empty. */
  readonly values: readonly string[];
}

/** More distinct values than this, or longer ones, and a reference field is not a set of classes. */
const MAX_CLASSES = 50;
const MAX_LABEL_CHARS = 60;

export function labelValues(
  rows: readonly Readonly<Record<string, unknown>>[],
  roles: { readonly label: string | null; readonly reference: string | null },
): LabelValues | null {
  for (const field of [roles.label, roles.reference]) {
    if (field === null) continue;
    const values = new Set<string>();
    let classes = true;
    for (const row of rows) {
      const v = row[field];
      if (v === undefined || v === null) continue;
      const text = (
        typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''
      ).trim();
      // A list separator or a JSON document is no label.
      if (text === '' || text.length > MAX_LABEL_CHARS || text.includes(',') || /^[[{]/.test(text)) {
        classes = false;
        break;
      }
      values.add(text);
      if (values.size > MAX_CLASSES) {
        classes = false;
        break;
      }
    }
    if (classes && values.size >= 2) return { field, values: [...values].sort((a, b) => a.localeCompare(b)) };
  }
  return null;
}

/** A starter with the dataset's labels in place of its example labels (a starter of another format is unchanged). */
export function withLabels(spec: GuidedSpec, labels: LabelValues | null): GuidedSpec {
  if (labels === null || spec.format.kind !== 'label') return spec;
  return { ...spec, format: { kind: 'label', labels: labels.values } };
}

/** Opening `next` in the editor would lose the text there (blank text, or the same text, loses nothing). */
export function replacesText(current: string, next: string): boolean {
  return current.trim() !== '' && current !== next;
}
