// The regex metric on RE2: catastrophic patterns for a backtracking engine finish in linear time, JavaScript flags
// keep their meaning, and a pattern RE2 cannot run scores null with the reason instead of throwing.
import { describe, expect, it } from 'vitest';
import { MetricSpec } from '../../../shared/metrics';
import { linearRegex } from './linear-regex';
import { scoreExample } from './score';

const score = (pattern: string, output: string, flags = '') =>
  scoreExample(MetricSpec.parse({ kind: 'regex', pattern, flags }), { output, reference: null });

describe('regex metric on a linear-time engine', () => {
  it('scores (a+)+$ and (x+x+)+y against long non-matching outputs without stalling', () => {
    // A backtracking engine takes exponential time here; 100,000 characters would never finish.
    expect(score('(a+)+$', `${'a'.repeat(100_000)}!`).score).toBe(0);
    expect(score('(x+x+)+y', 'x'.repeat(50_000)).score).toBe(0);
    expect(score('^(a|aa)+$', 'a'.repeat(100_000)).score).toBe(1);
  });

  it('keeps the meaning of the i, m, s and y flags', () => {
    expect(score('yes', 'YES', 'i').score).toBe(1);
    expect(score('^b$', 'a\nb', 'm').score).toBe(1);
    expect(score('^b$', 'a\nb').score).toBe(0);
    expect(score('a.b', 'a\nb', 's').score).toBe(1);
    expect(score('b', 'ab', 'y').score).toBe(0);
    expect(score('a', 'ab', 'gy').score).toBe(1);
    expect(score('\\d+', 'Order 66').score).toBe(1);
  });

  it('reports a pattern RE2 cannot run instead of throwing', () => {
    const matcher = linearRegex('(a)\\1', 'u');
    expect(typeof matcher).toBe('string');
    expect(matcher).toMatch(/cannot run on the linear-time matcher/);
  });
});
