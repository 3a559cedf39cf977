// The JSON metrics: json_valid (parses as an object or array), json_schema (conforms, via ajv) and json_fields
// (per-field agreement with the reference JSON). Outputs are read by parseJsonOutput: trimmed, fence tolerated.
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import { UserError } from '../../../shared/errors';
import { fieldText, isJsonContainer, isJsonObject, parseJsonOutput, readField } from './json-output';
import { normalizeText } from './normalize';
import type { ScoreDetail, ExampleScore } from './types';

export function scoreJsonValid(output: string): ExampleScore {
  const parsed = parseJsonOutput(output);
  if (!parsed.ok) return { score: 0, detail: { errors: [parsed.error] } };
  if (!isJsonContainer(parsed.value)) return { score: 0, detail: { errors: ['not a JSON object or array'] } };
  return { score: 1 };
}

/** Up to this many schema violations are kept per example (enough to see the pattern, small to store). */
const MAX_ERRORS = 5;

export function scoreJsonSchema(schema: Record<string, unknown>, output: string): ExampleScore {
  const validate = compileSchema(schema);
  const parsed = parseJsonOutput(output);
  if (!parsed.ok) return { score: 0, detail: { errors: [parsed.error] } };
  if (validate(parsed.value)) return { score: 1 };
  const errors = (validate.errors ?? [])
    .slice(0, MAX_ERRORS)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  return { score: 0, detail: { errors } };
}

/**
 * json_fields: for each field present in the reference object, whether the output object has it with the same
 * normalised text (fieldText + normalizeText). Fields absent from the reference are not scored for that example.
 * Score = fraction right; null when the reference is not a JSON object or has none of the fields (nothing to score).
 */
export function scoreJsonFields(fields: readonly string[], output: string, reference: string): ExampleScore {
  const ref = parseJsonOutput(reference);
  if (!ref.ok || !isJsonObject(ref.value))
    return { score: null, detail: { errors: ['reference is not a JSON object'] } };
  const out = parseJsonOutput(output);
  const outObject = out.ok && isJsonObject(out.value) ? out.value : undefined;
  const result: Record<string, boolean> = {};
  for (const field of fields) {
    const expected = readField(ref.value, field);
    if (expected === undefined) continue;
    const actual = outObject === undefined ? undefined : readField(outObject, field);
    result[field] = actual !== undefined && normalizeText(fieldText(actual)) === normalizeText(fieldText(expected));
  }
  const scored = Object.values(result);
  if (scored.length === 0) return { score: null, detail: { errors: ['reference has none of the fields'] } };
  const detail: ScoreDetail = { fields: result };
  if (outObject === undefined) detail.errors = [out.ok ? 'output is not a JSON object' : out.error];
  return { score: scored.filter(Boolean).length / scored.length, detail };
}

// Compiled validators per schema object: a run scores thousands of outputs against one spec.
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * The ajv validator of a user's schema: draft 2020-12 or 2019-09 when its $schema says so, else draft-07. Formats
 * are not checked (that needs ajv-formats), and unknown keywords are allowed, so ordinary schemas compile.
 * Throws UserError when the schema itself is invalid.
 */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  const options = { strict: false, validateFormats: false, allErrors: true };
  const ajv = draft.includes('2020-12')
    ? new Ajv2020(options)
    : draft.includes('2019-09')
      ? new Ajv2019(options)
      : new Ajv(options);
  try {
    const validate = ajv.compile(schema);
    compiled.set(schema, validate);
    return validate;
  } catch (error) {
    throw new UserError(
      `The JSON schema of the metric is invalid: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'Check the schema against json-schema.org (draft-07 unless $schema names 2019-09 or 2020-12).',
        where: 'metric.schema',
        code: 'invalid-json-schema',
      },
    );
  }
}
