// Failure categories from each source: metric findings (by class for labels), reviewers' tags, the workspace's
// rules (RE2 regex, longer/shorter than) and the token limit; and the failure-mode rates over a small experiment.
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../shared/contract/experiments';
import { FailureRule } from '../../../shared/contract/robustness';
import { MetricSpec } from '../../../shared/metrics';
import type { Collected } from '../experiments/results';
import { categorize } from './categories';
import { failureModes } from './failure-modes';

const metrics = [
  MetricSpec.parse({ kind: 'json_valid' }),
  MetricSpec.parse({ kind: 'classification', field: 'category' }),
  MetricSpec.parse({ kind: 'json_fields', fields: ['priority'] }),
];
const REF = '{"category": "billing", "priority": "high"}';
const out = (text: string, finishReason = 'eos') => ({ text, reference: REF, generatedTokens: 5, finishReason });
const names = (cats: { name: string }[]) => cats.map((c) => c.name);

describe('categorize', () => {
  it('names metric failures: invalid JSON, a wrong label by its true class, a wrong field', () => {
    expect(names(categorize(out('not json'), metrics, []))).toEqual(['invalid JSON', 'no label', 'wrong priority']);
    expect(names(categorize(out('{"category": "login", "priority": "high"}'), metrics, []))).toEqual([
      'wrong label (expected billing)',
    ]);
    expect(categorize(out(REF), metrics, [])).toEqual([]);
  });

  it("adds reviewers' tags, the rules that hold and the token limit", () => {
    const rules = [
      FailureRule.parse({ kind: 'regex', name: 'apology', pattern: '\\bsorry\\b', flags: 'i' }),
      FailureRule.parse({ kind: 'longer_than', name: 'long', chars: 10 }),
      FailureRule.parse({ kind: 'shorter_than', name: 'short', chars: 3 }),
    ];
    const cats = categorize(out('Sorry, I cannot help', 'length'), [], rules, ['rude']);
    expect(cats).toEqual([
      { name: 'review: rude', source: 'review' },
      { name: 'apology', source: 'rule' },
      { name: 'long', source: 'rule' },
      { name: 'hit the token limit', source: 'output' },
    ]);
  });

  it('refuses a rule whose regex RE2 cannot run, naming the pattern', () => {
    const parsed = FailureRule.safeParse({ kind: 'regex', name: 'x', pattern: '(a)\\1', flags: '' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['pattern']);
  });
});

describe('failureModes', () => {
  it('gives rates with Wilson CIs per cell, the examples behind each and the change from the first cell', () => {
    const texts = [
      ['not json', 'not json', REF, REF],
      [REF, REF, REF, 'not json'],
    ];
    const examples = texts[0]!.map((_, i) => ({
      idx: i,
      key: `k${i}`,
      hash: `h${i}`,
      data: { message: 'word '.repeat(i + 1) },
      reference: REF,
    }));
    const collected: Collected = {
      examples: {
        facts: {
          id: 'v',
          name: 'd',
          version: 1,
          contentHash: 'c',
          roles: { input: ['message'], reference: 'ref', key: null, label: null },
          splits: { train: 0, validation: 0, test: 4 },
        },
        examples,
      },
      outputs: texts.map((cell) =>
        cell.map((text, i) => ({
          specHash: 's',
          decodingHash: 'd',
          seed: 0,
          exampleHash: `h${i}`,
          text,
          finishReason: 'eos',
          promptTokens: 1,
          generatedTokens: 1,
          timeToFirstTokenMs: null,
          totalMs: 1,
          tokensPerSecond: null,
          peakRssBytes: null,
        })),
      ),
    };
    const experiment = {
      id: 'e',
      spec: { metrics: [metrics[0]] },
      cells: [
        { specializationId: 'a', label: 'base', components: [], mask: null },
        { specializationId: 'b', label: 'tuned', components: [], mask: null },
      ],
    } as unknown as Experiment;
    const modes = failureModes(experiment, collected, []);
    const [base, tuned] = modes.cells.map((c) => c.categories.find((x) => x.category === 'invalid JSON'));
    expect(base).toMatchObject({ count: 2, n: 4, rate: 0.5, examples: [0, 1], change: null });
    expect(tuned).toMatchObject({ count: 1, n: 4, rate: 0.25, examples: [3] });
    expect(tuned?.change?.delta).toBe(-0.25);
    // Wilson 95% interval of 2/4 (closed form).
    expect(base?.ci[0]).toBeCloseTo(0.15, 2);
    expect(base?.ci[1]).toBeCloseTo(0.85, 2);
    expect(modes.byExample[1]).toEqual([[], [], [], ['invalid JSON']]);
  });
});
