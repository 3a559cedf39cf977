// promptfoo prompts are Nunjucks; Dovetail's templates are Jinja, rendered by the guarded interpreter. The two share
// `{{ var }}`, `{% if %}` and `{% for %}`; the Nunjucks-only filter promptfoo users reach for (`dump`, JSON text) is
// renamed to Jinja's `tojson`, and the result must parse and read only fields the dataset has.
import { readFields } from '../../../shared/template-fields';

export type Converted = { ok: true; source: string; fields: string[] } | { ok: false; reason: string };

/** A name a template can read as a field (what Jinja takes as an identifier). */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Inside `{{ }}` and `{% %}` only: text outside tags is the prompt's own words. */
const TAG = /(\{\{|\{%)([\s\S]*?)(\}\}|%\})/g;

export function convertNunjucks(text: string, columns: ReadonlySet<string>): Converted {
  const source = text.replace(
    TAG,
    (_tag, open: string, body: string, close: string) =>
      open +
      body.replace(/\|\s*dump\s*\(\s*(\d+)\s*\)/g, '| tojson(indent=$1)').replace(/\|\s*dump\b/g, '| tojson') +
      close,
  );
  const parsed = readFields(source);
  if (!parsed.ok) return { ok: false, reason: `does not parse as a template (${parsed.message})` };
  const unknown = parsed.fields.filter((f) => !columns.has(f));
  if (unknown.length > 0) {
    return {
      ok: false,
      reason: `reads ${unknown.map((f) => `"${f}"`).join(', ')}, which no test's vars give`,
    };
  }
  return { ok: true, source, fields: parsed.fields };
}

/** `{{ name }}` alone (an assertion's value taken from a var): the var's name, else null. */
export function varReference(value: string): string | null {
  const match = /^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/.exec(value);
  return match?.[1] ?? null;
}
