// Target leakage: a template that reads a field holding (part of) the expected answer scores well for the wrong
// reason. Flags the fields the template reads that are the reference, the label, a key of the reference when it is a
// JSON object, or whose value is found verbatim in the reference in most validation rows.
import type { TemplateCheckReport } from '../../../shared/contract/templates';

/** Share of the rows (with a value) whose reference contains the field's value for it to count as part of it. */
const CONTAINED_SHARE = 0.8;

export interface LeakageRoles {
  readonly reference: string | null;
  readonly label: string | null;
}

export function checkTargetLeakage(
  fields: readonly string[],
  roles: LeakageRoles,
  rows: readonly { data: Record<string, unknown> }[],
): NonNullable<TemplateCheckReport['target']> {
  if (roles.reference === null) {
    return { outcome: 'passed', message: 'The dataset has no reference field: nothing to leak.', fields: [] };
  }
  const reference = roles.reference;
  const refText = (r: { data: Record<string, unknown> }): string => textOf(r.data[reference]);
  const referenceKeys = new Set(rows.flatMap((r) => jsonKeys(r.data[reference])));
  const leaks: { field: string; reason: string }[] = [];
  for (const field of fields) {
    if (field === reference) leaks.push({ field, reason: 'it is the reference (the expected answer)' });
    else if (field === roles.label) leaks.push({ field, reason: 'it is the label, which the reference states' });
    else if (referenceKeys.has(field))
      leaks.push({ field, reason: `the reference is a JSON object with a "${field}" key` });
    else {
      const withValue = rows.filter((r) => textOf(r.data[field]).trim().length >= 2);
      const inside = withValue.filter((r) => refText(r).includes(textOf(r.data[field]).trim())).length;
      if (withValue.length > 0 && inside / withValue.length >= CONTAINED_SHARE) {
        leaks.push({
          field,
          reason: `its value is found in the reference in ${inside} of ${withValue.length} validation rows`,
        });
      }
    }
  }
  return leaks.length === 0
    ? { outcome: 'passed', message: `The template reads no part of the reference "${reference}".`, fields: [] }
    : {
        outcome: 'failed',
        message: `The template reads ${leaks.map((l) => `"${l.field}" (${l.reason})`).join(', ')}: outputs would copy the answer, so scores would not hold on new inputs.`,
        fields: leaks.map((l) => l.field),
      };
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function jsonKeys(value: unknown): string[] {
  let parsed = value;
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
}
