// promptfoo prompts are Nunjucks; Dovetail's templates are Jinja, rendered by the guarded interpreter. The two share
// `{{ var }}`, `{% if %}` and `{% for %}`; the Nunjucks-only filter promptfoo users reach for (`dump`, JSON text) is
// renamed to Jinja's `tojson`; the result goes through the same parse a saved template does (the guarded
// interpreter's parse-time rules, internal names refused) and must read only fields the dataset has.
import { UserError } from '../../../shared/errors';
import { templateFields } from '../../../shared/template-fields';
import { compileTemplate } from '../templates/render';

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
  let fields: string[];
  try {
    fields = templateFields(compileTemplate(source, 'prompt'));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { ok: false, reason: `cannot be a template (${error.message})` };
  }
  const unknown = fields.filter((f) => !columns.has(f));
  if (unknown.length > 0) {
    return {
      ok: false,
      reason: `reads ${unknown.map((f) => `"${f}"`).join(', ')}, which no test's vars give`,
    };
  }
  return { ok: true, source, fields };
}

/** `{{ name }}` alone (an assertion's value taken from a var): the var's name, else null. */
export function varReference(value: string): string | null {
  const match = /^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/.exec(value);
  return match?.[1] ?? null;
}
