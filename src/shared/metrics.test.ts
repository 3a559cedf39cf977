import { describe, expect, it } from 'vitest';
import { describeIssues } from './zod-issues';
import { METRIC_DIRECTION, METRIC_NEEDS_REFERENCE, MetricSpec, metricLabel, passesThreshold } from './metrics';

function problem(input: unknown): string {
  const parsed = MetricSpec.safeParse(input);
  if (parsed.success) throw new Error('expected a validation error');
  return describeIssues(parsed.error);
}

describe('MetricSpec', () => {
  it('fills defaults', () => {
    expect(MetricSpec.parse({ kind: 'exact_match' })).toEqual({ kind: 'exact_match', normalize: true });
    expect(MetricSpec.parse({ kind: 'regex', pattern: '^\\d+$' })).toEqual({
      kind: 'regex',
      pattern: '^\\d+$',
      flags: '',
    });
  });

  it('accepts every kind', () => {
    const specs = [
      { kind: 'exact_match', normalize: false, threshold: 0.9, name: 'EM' },
      { kind: 'contains' },
      { kind: 'regex', pattern: 'yes|no', flags: 'i' },
      { kind: 'json_valid' },
      { kind: 'json_schema', schema: { type: 'object', required: ['a'] } },
      { kind: 'json_fields', fields: ['name', 'address.city'] },
      { kind: 'classification', field: 'label', labels: ['pos', 'neg'] },
      { kind: 'chrf', threshold: 0.5 },
      { kind: 'rouge_l' },
      { kind: 'length', unit: 'tokens', threshold: 120 },
    ];
    for (const spec of specs) expect(MetricSpec.safeParse(spec).success, JSON.stringify(spec)).toBe(true);
  });

  it('says why a regex does not compile', () => {
    expect(problem({ kind: 'regex', pattern: '(unclosed' })).toMatch(
      /^pattern: is not a valid regular expression \(.*\)$/,
    );
    expect(problem({ kind: 'regex', pattern: 'a', flags: 'gg' })).toBe("pattern: flags 'gg' repeat a flag");
    expect(problem({ kind: 'regex', pattern: 'a', flags: 'x' })).toBe(
      'flags: may use only the flags d, g, i, m, s, u, v, y',
    );
    expect(problem({ kind: 'regex', pattern: 'foo(?=bar)' })).toMatch(
      /^pattern: uses lookahead or lookbehind, which the linear-time matcher does not support/,
    );
    expect(problem({ kind: 'regex', pattern: '(?<!x)y' })).toMatch(/lookahead or lookbehind/);
    expect(problem({ kind: 'regex', pattern: '(a)\\1' })).toMatch(/^pattern: uses a back-reference/);
    expect(MetricSpec.safeParse({ kind: 'regex', pattern: '\\\\1' }).success).toBe(true); // an escaped backslash, then 1
  });

  it('rejects unknown kinds, unknown keys and out-of-range thresholds with a clear message', () => {
    expect(problem({ kind: 'bleu' })).toMatch(/kind must be one of exact_match/);
    expect(problem({ kind: 'chrf', beta: 3 })).toMatch(/beta/);
    expect(problem({ kind: 'exact_match', threshold: 80 })).toBe(
      'threshold: must be between 0 and 1 (a fraction: 0.8 means 80%)',
    );
    expect(problem({ kind: 'length', unit: 'words' })).toBe("unit: must be 'chars' or 'tokens'");
    expect(problem({ kind: 'json_fields', fields: [] })).toBe('fields: must name at least one field');
    expect(problem({ kind: 'json_fields', fields: ['a', 'a'] })).toBe('fields: must not repeat a field');
    expect(problem({ kind: 'classification', labels: ['a', 'a'] })).toBe('labels: must not repeat a label');
    expect(problem({ kind: 'json_schema', schema: 'object' })).toBe('schema: must be a JSON schema object');
  });
});

describe('directions and thresholds', () => {
  it('only length is lower-is-better', () => {
    const lower = Object.entries(METRIC_DIRECTION)
      .filter(([, d]) => d === 'lower')
      .map(([k]) => k);
    expect(lower).toEqual(['length']);
    expect(METRIC_NEEDS_REFERENCE.regex).toBe(false);
    expect(METRIC_NEEDS_REFERENCE.chrf).toBe(true);
  });

  it('passes at >= for higher-is-better and <= for length', () => {
    expect(passesThreshold({ kind: 'exact_match', threshold: 0.8 }, 0.8)).toBe(true);
    expect(passesThreshold({ kind: 'exact_match', threshold: 0.8 }, 0.79)).toBe(false);
    expect(passesThreshold({ kind: 'length', unit: 'tokens', threshold: 100 }, 100)).toBe(true);
    expect(passesThreshold({ kind: 'length', unit: 'tokens', threshold: 100 }, 101)).toBe(false);
    expect(passesThreshold({ kind: 'chrf' }, 0.5)).toBeUndefined();
  });
});

describe('metricLabel', () => {
  it('prefers the name, else describes the kind', () => {
    expect(metricLabel({ kind: 'exact_match', name: ' Answer ' })).toBe('Answer');
    expect(metricLabel({ kind: 'exact_match' })).toBe('Exact match');
    expect(metricLabel({ kind: 'regex', pattern: '^a$', flags: 'i' })).toBe('Matches /^a$/i');
    expect(metricLabel({ kind: 'json_fields', fields: ['a', 'b'] })).toBe('JSON fields (a, b)');
    expect(metricLabel({ kind: 'classification', field: 'label' })).toBe('Classification accuracy (label)');
    expect(metricLabel({ kind: 'length', unit: 'tokens' })).toBe('Length (tokens)');
    expect(metricLabel({ kind: 'chrf' })).toBe('chrF');
    expect(metricLabel({ kind: 'rouge_l' })).toBe('ROUGE-L');
  });
});
