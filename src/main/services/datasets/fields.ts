// The field mapping applied to one parsed record: which columns are kept and renamed, the checks each role implies
// (inputs, label and key present; reference and key not empty), the row's key, content hash and the hash of its
// normalised inputs (trimmed, spaces collapsed, case-folded) that duplicate detection compares.
import { createHash } from 'node:crypto';
import type { DatasetRoles, FieldMapping, FieldRole, FieldType } from '../../../shared/contract/datasets';
import { UserError } from '../../../shared/errors';

export interface MappingPlan {
  readonly fields: readonly FieldMapping[];
  readonly roles: DatasetRoles;
}

export interface MappedRow {
  readonly data: Record<string, unknown>;
  /** The key field's value, or null when the key is the content hash. */
  readonly key: string | null;
  readonly rowHash: string;
  readonly inputHash: string;
}

const ROLE_WORDS: Record<FieldRole, string> = {
  input: 'an input',
  reference: 'the reference',
  key: 'the key',
  label: 'the label',
  none: 'a',
};

/**
 * Names a stored field may not have: JavaScript gives every object these (Object.prototype's own names, and
 * "prototype"), so a field of that name would read as something it is not, or (for __proto__) rewrite the object's
 * prototype. A file's column may have such a name; it is kept under another one.
 */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** The name the mapping step suggests for a column: its own, or for a reserved one "<name>_field". */
export function safeFieldName(column: string): string {
  if (!RESERVED_FIELD_NAMES.has(column)) return column;
  const base = column.replace(/^_+|_+$/g, '');
  return `${base === '' ? 'column' : base}_field`;
}

/** Checks the mapping as a whole; a mistake is a UserError at the mapping step. */
export function planMapping(mapping: readonly FieldMapping[]): MappingPlan {
  const fail = (message: string, hint: string): never => {
    throw new UserError(message, { where: 'datasets.import: mapping', code: 'dataset-mapping', hint });
  };
  const names = new Set<string>();
  const sources = new Set<string>();
  for (const f of mapping) {
    if (RESERVED_FIELD_NAMES.has(f.name)) {
      fail(
        `A field cannot be named "${f.name}": JavaScript reserves that name on every object.`,
        `Keep the column under another name, e.g. "${safeFieldName(f.name)}".`,
      );
    }
    if (names.has(f.name)) fail(`Two columns are both named "${f.name}".`, 'Give each kept column its own name.');
    if (sources.has(f.source)) fail(`The column "${f.source}" is kept twice.`, 'Keep each column once.');
    names.add(f.name);
    sources.add(f.source);
  }
  const withRole = (role: FieldRole) => mapping.filter((f) => f.role === role).map((f) => f.name);
  const input = withRole('input');
  if (input.length === 0)
    fail('No column has the input role.', 'Mark at least one column as input: the text the model is shown.');
  const single = (role: 'reference' | 'key' | 'label'): string | null => {
    const list = withRole(role);
    if (list.length > 1)
      fail(`Only one column can be ${ROLE_WORDS[role]}; ${list.join(', ')} are.`, `Keep the role on one column.`);
    return list[0] ?? null;
  };
  return {
    fields: mapping,
    roles: { input, reference: single('reference'), key: single('key'), label: single('label') },
  };
}

/** Maps one record; a string is the reason it cannot be imported (the caller adds file and line). */
export function mapRecord(plan: MappingPlan, record: Readonly<Record<string, unknown>>): MappedRow | string {
  // stored names are never reserved (planMapping), so plain assignment is safe
  const data: Record<string, unknown> = {};
  for (const f of plan.fields) {
    // Own properties only: a row without a "constructor" column must not read Object's constructor.
    const value = Object.hasOwn(record, f.source) ? record[f.source] : undefined;
    if (f.role !== 'none' && (value === undefined || value === null))
      return `has no value for "${f.source}" (${ROLE_WORDS[f.role]} field)`;
    if ((f.role === 'reference' || f.role === 'label') && isEmpty(value))
      return `has an empty ${f.role === 'reference' ? 'reference' : 'label'} "${f.source}"`;
    data[f.name] = value ?? null;
  }
  let key: string | null = null;
  if (plan.roles.key !== null) {
    const value = data[plan.roles.key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return `has a key "${keySource(plan)}" that is not text or a number`;
    key = String(value).trim();
    if (key === '') return `has an empty key "${keySource(plan)}"`;
  }
  const inputs = plan.roles.input.map((name) => normalise(data[name]));
  return {
    data,
    key,
    rowHash: sha256(JSON.stringify(data)),
    inputHash: sha256(inputs.join('\u0000')),
  };
}

/** Duplicate detection's view of a value: trimmed, runs of white space as one space, case-folded. */
export function normalise(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function typeOf(value: unknown): FieldType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object')
    return typeof value as FieldType;
  return 'mixed';
}

/** The type of a column given one more value: null does not change it; integer widens to number. */
export function mergeType(previous: FieldType | undefined, next: FieldType): FieldType {
  if (previous === undefined || previous === 'null') return next;
  if (next === 'null' || next === previous) return previous;
  const numbers = new Set<FieldType>(['integer', 'number']);
  if (numbers.has(previous) && numbers.has(next)) return 'number';
  return 'mixed';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() === '' : value === undefined || value === null;
}

function keySource(plan: MappingPlan): string {
  return plan.fields.find((f) => f.role === 'key')?.source ?? '';
}
