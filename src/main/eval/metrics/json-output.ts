// Reading a model's output as JSON, with the one tolerance small models need: a surrounding Markdown fence
// (```json ... ``` or ``` ... ```). Anything else around the JSON (a preamble, trailing text) makes it invalid,
// because a program consuming the output would fail on it too.

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/** The whole trimmed text is a fence, optionally tagged json; group 1 is its body. */
const FENCE = /^```[ \t]*(?:json)?[ \t]*(?:\r?\n)?([\s\S]*?)\s*```$/i;

/** The JSON text inside `text`: trimmed, and unwrapped from a surrounding fence when it has one. */
export function unfence(text: string): string {
  const trimmed = text.trim();
  const fenced = FENCE.exec(trimmed);
  return fenced ? (fenced[1] ?? '').trim() : trimmed;
}

/** Parses `text` (after `unfence`) as any JSON value. */
export function parseJsonOutput(text: string): ParsedJson {
  const body = unfence(text);
  if (body === '') return { ok: false, error: 'empty output' };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** json_valid's notion of structured output: a JSON object or array (a bare string or number is not). */
export function isJsonContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at `path` in a parsed object: the key itself when present (keys may contain dots), else the dotted
 * path through nested objects ("address.city"). undefined when absent.
 */
export function readField(object: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(object, path)) return object[path];
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * A JSON value as comparable text: strings as they are, other scalars via JSON ("42", "true", "null"), objects and
 * arrays as canonical JSON (keys sorted) so key order does not matter.
 */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}
