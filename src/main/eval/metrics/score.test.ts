import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { MetricSpec } from '../../../shared/metrics';
import type { MetricSpecInput } from '../../../shared/metrics';
import { aggregate } from './aggregate';
import { scoreExample } from './score';

const spec = (input: MetricSpecInput) => MetricSpec.parse(input);
const score = (input: MetricSpecInput, output: string, reference: string | null = null, outputTokens?: number) =>
  scoreExample(spec(input), { output, reference, ...(outputTokens === undefined ? {} : { outputTokens }) }).score;

describe('scoreExample: text metrics', () => {
  it('exact_match normalises by default and compares verbatim without', () => {
    expect(score({ kind: 'exact_match' }, ' "Paris." ', 'paris')).toBe(1);
    expect(score({ kind: 'exact_match' }, 'Paris, France', 'Paris')).toBe(0);
    expect(score({ kind: 'exact_match', normalize: false }, 'Paris.', 'Paris')).toBe(0);
    expect(score({ kind: 'exact_match', normalize: false }, 'Paris', 'Paris')).toBe(1);
    expect(score({ kind: 'exact_match' }, 'Paris', null)).toBeNull();
  });

  it('contains looks for the normalised reference in the output', () => {
    expect(score({ kind: 'contains' }, 'The capital is  PARIS, of course.', '"Paris"')).toBe(1);
    expect(score({ kind: 'contains' }, 'The capital is Lyon.', 'Paris')).toBe(0);
  });

  it('regex matches anywhere, honours flags, and is not stateful with g', () => {
    const digits = spec({ kind: 'regex', pattern: '^\\d{3}$', flags: 'g' });
    expect(scoreExample(digits, { output: '123', reference: null }).score).toBe(1);
    expect(scoreExample(digits, { output: '123', reference: null }).score).toBe(1);
    expect(score({ kind: 'regex', pattern: 'yes', flags: 'i' }, 'YES!')).toBe(1);
    expect(score({ kind: 'regex', pattern: '^yes$' }, 'yes!')).toBe(0);
  });

  it('chrf and rouge_l need a reference and report precision and recall', () => {
    expect(score({ kind: 'chrf' }, 'ab', 'abc')).toBeCloseTo(7 / 11, 15);
    expect(scoreExample(spec({ kind: 'rouge_l' }), { output: 'The cat!', reference: 'the cat is on the mat' })).toEqual(
      {
        score: 0.5,
        detail: { precision: 1, recall: 1 / 3 },
      },
    );
    expect(score({ kind: 'rouge_l' }, 'x', null)).toBeNull();
  });

  it('length counts code points or takes the caller token count', () => {
    expect(score({ kind: 'length', unit: 'chars' }, 'héllo 😀')).toBe(7);
    expect(score({ kind: 'length', unit: 'tokens' }, 'whatever', null, 12)).toBe(12);
    expect(() => score({ kind: 'length', unit: 'tokens' }, 'whatever')).toThrow(/outputTokens/);
  });
});

describe('scoreExample: JSON metrics', () => {
  it('json_valid tolerates a fence but not trailing text or scalars', () => {
    expect(score({ kind: 'json_valid' }, '```json\n{"a": 1}\n```')).toBe(1);
    expect(score({ kind: 'json_valid' }, '[1, 2]')).toBe(1);
    expect(score({ kind: 'json_valid' }, '{"a": 1} trailing')).toBe(0);
    expect(score({ kind: 'json_valid' }, '"just a string"')).toBe(0);
  });

  it('json_schema checks conformance and reports the violations', () => {
    const schemaSpec = spec({
      kind: 'json_schema',
      schema: {
        type: 'object',
        required: ['name', 'age'],
        properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
      },
    });
    expect(scoreExample(schemaSpec, { output: '{"name": "Ada", "age": 36}', reference: null })).toEqual({ score: 1 });
    const bad = scoreExample(schemaSpec, { output: '{"name": 5, "age": -1}', reference: null });
    expect(bad.score).toBe(0);
    expect(bad.detail?.errors).toEqual(['/name must be string', '/age must be >= 0']);
    expect(scoreExample(schemaSpec, { output: 'not json', reference: null }).score).toBe(0);
  });

  it('json_schema understands draft 2020-12, ignores formats and rejects an invalid schema with a UserError', () => {
    const modern = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }],
      items: false,
    };
    expect(score({ kind: 'json_schema', schema: modern }, '[1]')).toBe(1);
    expect(score({ kind: 'json_schema', schema: modern }, '[1, 2]')).toBe(0);
    expect(score({ kind: 'json_schema', schema: { type: 'string', format: 'email' } }, '"not an email"')).toBe(1);
    expect(() => score({ kind: 'json_schema', schema: { type: 'no-such-type' } }, '{}')).toThrow(UserError);
  });

  it('json_fields scores the fraction of reference fields the output gets right', () => {
    const fields = spec({ kind: 'json_fields', fields: ['name', 'address.city', 'zip'] });
    const reference = '{"name": "Ada Lovelace", "address": {"city": "London"}, "zip": 12345}';
    // name matches after normalisation, city is wrong, zip matches as text ("12345"): 2 of 3
    const result = scoreExample(fields, {
      output: '{"name": "ada lovelace.", "address": {"city": "Paris"}, "zip": "12345"}',
      reference,
    });
    expect(result.score).toBeCloseTo(2 / 3, 15);
    expect(result.detail?.fields).toEqual({ name: true, 'address.city': false, zip: true });
    // A field missing from the reference is not scored.
    expect(scoreExample(fields, { output: '{"name": "Ada"}', reference: '{"name": "Ada"}' }).score).toBe(1);
    // Output that is not JSON gets every field wrong; an unusable reference is not scored.
    expect(scoreExample(fields, { output: 'oops', reference }).score).toBe(0);
    expect(scoreExample(fields, { output: '{}', reference: 'oops' }).score).toBeNull();
  });
});

describe('aggregate', () => {
  it('means the scored examples and checks the threshold', () => {
    const em = spec({ kind: 'exact_match', threshold: 0.5 });
    const scores = [
      scoreExample(em, { output: 'a', reference: 'a' }),
      scoreExample(em, { output: 'b', reference: 'a' }),
      scoreExample(em, { output: 'c', reference: 'c' }),
      scoreExample(em, { output: 'c', reference: null }),
    ];
    expect(aggregate(em, scores)).toEqual({ value: 2 / 3, n: 3, missing: 1, passed: true });
    expect(aggregate(em, [])).toEqual({ value: null, n: 0, missing: 0 });
    const length = spec({ kind: 'length', unit: 'chars', threshold: 3 });
    expect(aggregate(length, [{ score: 2 }, { score: 6 }]).passed).toBe(false);
  });

  it('gives json_fields per-field accuracies', () => {
    const fields = spec({ kind: 'json_fields', fields: ['a', 'b'] });
    const run = [
      { output: '{"a": 1, "b": 2}', reference: '{"a": 1, "b": 3}' },
      { output: '{"a": 1}', reference: '{"a": 1}' },
      { output: '{"a": 2, "b": 2}', reference: '{"a": 1, "b": 2}' },
    ].map((e) => scoreExample(fields, e));
    const result = aggregate(fields, run);
    expect(result.value).toBeCloseTo((0.5 + 1 + 0.5) / 3, 15);
    expect(result.perField).toEqual({
      a: { correct: 2, n: 3, accuracy: 2 / 3 },
      b: { correct: 1, n: 2, accuracy: 0.5 },
    });
  });

  it('gives classification accuracy, the confusion matrix and macro-F1', () => {
    const cls = spec({ kind: 'classification', field: 'label', labels: ['pos', 'neg'] });
    const run = [
      ['{"label": "pos"}', '{"label": "POS"}'],
      ['{"label": "neg"}', '{"label": "pos"}'],
      ['{"label": "neg"}', '{"label": "neg"}'],
      ['{"label": "unsure"}', '{"label": "neg"}'],
      ['no json at all', '{"label": "neg"}'],
    ].map(([output, reference]) => scoreExample(cls, { output: output as string, reference: reference as string }));
    expect(run[1]?.detail).toEqual({ expected: 'pos', predicted: 'neg' });
    const result = aggregate(cls, run);
    expect(result.value).toBeCloseTo(2 / 5, 15);
    // rows pos, neg; columns pos, neg, (other)
    expect(result.confusion).toEqual({
      labels: ['pos', 'neg'],
      columns: ['pos', 'neg', '(other)'],
      matrix: [
        [1, 1, 0],
        [0, 1, 2],
      ],
    });
    // pos: TP 1, FP 0, FN 1 -> 2/3; neg: TP 1, FP 1, FN 2 -> 2/5; macro = (2/3 + 2/5) / 2 = 8/15
    expect(result.macroF1).toBeCloseTo(8 / 15, 15);
  });
});
