// Scanning and redacting rows: a Tally counts findings per field and keeps a few examples; a Redactor replaces each
// finding by a placeholder numbered per kind and value (<EMAIL_1> is the same address wherever it appears in the
// version). Both walk every string in a row's fields, nested ones included. Pure and synchronous; the service chunks.
import type { FieldFindings, PiiExample, UserPattern } from '../../../shared/contract/privacy';
import { linearRegex } from '../../eval/metrics/linear-regex';
import { canonical, detect, type Finding, type PatternMatcher } from './detectors';

const EXAMPLES_PER_KIND = 3;

/** The workspace's patterns on the linear-time engine, and the reasons of those it refuses. */
export function compilePatterns(patterns: readonly UserPattern[]): { matchers: PatternMatcher[]; errors: string[] } {
  const matchers: PatternMatcher[] = [];
  const errors: string[] = [];
  for (const p of patterns) {
    const re = linearRegex(p.pattern, '');
    if (typeof re === 'string') errors.push(`Pattern "${p.name}": ${re}`);
    else matchers.push({ name: p.name, matches: (text) => re.matches(text) });
  }
  return { matchers, errors };
}

/** The key a finding counts under: its kind, or custom:<name> for a user pattern. */
export function countKey(f: Finding): string {
  return f.kind === 'custom' ? `custom:${f.label}` : f.kind;
}

export interface RowRef {
  readonly idx: number;
  readonly key: string;
  readonly data: Record<string, unknown>;
}

export class Tally {
  private readonly byField = new Map<string, FieldFindings>();
  total = 0;
  rows = 0;

  constructor(private readonly matchers: readonly PatternMatcher[]) {}

  add(row: RowRef): void {
    this.rows++;
    for (const [field, value] of Object.entries(row.data)) {
      let hitRow = false;
      walkStrings(value, (text) => {
        for (const f of detect(text, this.matchers)) {
          const entry = this.entry(field);
          const key = countKey(f);
          entry.counts[key] = (entry.counts[key] ?? 0) + 1;
          this.total++;
          hitRow = true;
          if (entry.examples.filter((e) => e.kind === f.kind && e.label === f.label).length < EXAMPLES_PER_KIND) {
            entry.examples.push({
              kind: f.kind,
              label: f.label,
              value: f.value,
              rowIdx: row.idx,
              rowKey: row.key,
            } satisfies PiiExample);
          }
        }
        return text;
      });
      if (hitRow) this.entry(field).rows++;
    }
  }

  /** In the order given (the version's fields), then the others in the order they were first seen. */
  fields(order: readonly string[]): FieldFindings[] {
    const rank = (f: string): number => (order.includes(f) ? order.indexOf(f) : order.length);
    return [...this.byField.values()].sort((a, b) => rank(a.field) - rank(b.field)); // stable: others as first seen
  }

  private entry(field: string): FieldFindings {
    let e = this.byField.get(field);
    if (!e) {
      e = { field, counts: {}, rows: 0, examples: [] };
      this.byField.set(field, e);
    }
    return e;
  }
}

export class Redactor {
  /** label -> canonical value -> number. */
  private readonly numbers = new Map<string, Map<string, number>>();
  replacements = 0;

  constructor(private readonly matchers: readonly PatternMatcher[]) {}

  get values(): number {
    let n = 0;
    for (const m of this.numbers.values()) n += m.size;
    return n;
  }

  /** The row's data with every finding replaced; fields keep their order and types. */
  redactRow(data: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(data)) out[field] = walkStrings(value, (text) => this.redactText(text));
    return out;
  }

  redactText(text: string): string {
    const findings = detect(text, this.matchers);
    if (findings.length === 0) return text;
    let out = '';
    let at = 0;
    for (const f of findings) {
      out += text.slice(at, f.start) + this.placeholder(f);
      at = f.end;
      this.replacements++;
    }
    return out + text.slice(at);
  }

  private placeholder(f: Finding): string {
    let perLabel = this.numbers.get(f.label);
    if (!perLabel) {
      perLabel = new Map();
      this.numbers.set(f.label, perLabel);
    }
    const value = canonical(f);
    let n = perLabel.get(value);
    if (n === undefined) {
      n = perLabel.size + 1;
      perLabel.set(value, n);
    }
    return `<${f.label}_${n}>`;
  }
}

/** Applies `edit` to every string inside a value (objects and arrays walked by own keys), returning the new value. */
function walkStrings(value: unknown, edit: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return edit(value);
  if (depth > 100 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => walkStrings(v, edit, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, {
      value: walkStrings(v, edit, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
