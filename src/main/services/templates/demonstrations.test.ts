// Demonstration selection per input (fixed, seeded random k, most similar by token Jaccard) and the leave-one-out
// contribution of each demonstration (closed-form means on a small hand-made table).
import { describe, expect, it } from 'vitest';
import { inputTokens, jaccard, leaveOneOut, selectDemonstrations } from './demonstrations';

const pool = [
  { key: 'a', data: { message: 'my invoice is wrong', output: 'billing' } },
  { key: 'b', data: { message: 'the app crashes on start', output: 'bug' } },
  { key: 'c', data: { message: 'refund my invoice please', output: 'billing' } },
  { key: 'd', data: { message: 'how do I reset my password', output: 'account' } },
];

describe('selectDemonstrations', () => {
  it('fixed keeps the set order', () => {
    expect(selectDemonstrations({ kind: 'fixed' }, pool, null, ['message']).map((p) => p.key)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('random draws k distinct rows, the same for a seed and for every input', () => {
    const pick = (seed: number, input: Record<string, unknown> | null) =>
      selectDemonstrations({ kind: 'random', k: 2, seed }, pool, input, ['message']).map((p) => p.key);
    const first = pick(7, null);
    expect(first).toHaveLength(2);
    expect(new Set(first).size).toBe(2);
    expect(pick(7, { message: 'anything' })).toEqual(first);
    const seeds = new Set(Array.from({ length: 20 }, (_v, s) => pick(s, null).join()));
    expect(seeds.size).toBeGreaterThan(3);
  });

  it('similar takes the k rows sharing the most words with the input, ties in set order', () => {
    const keys = (message: string, k: number) =>
      selectDemonstrations({ kind: 'similar', k }, pool, { message }, ['message']).map((p) => p.key);
    expect(keys('wrong invoice again', 2)).toEqual(['a', 'c']);
    expect(keys('password reset', 1)).toEqual(['d']);
    expect(keys('zzz', 2)).toEqual(['a', 'b']);
  });

  it('tokenizes by words, case-insensitively, and measures Jaccard', () => {
    expect([...inputTokens({ m: 'Hello, hello WORLD' }, ['m'])]).toEqual(['hello', 'world']);
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe('leaveOneOut', () => {
  it('averages score with all minus score without each demonstration, over the rows that had it', () => {
    const rows = [
      {
        all: 1,
        without: new Map([
          ['a', 0],
          ['b', 1],
        ]),
      },
      {
        all: 0.5,
        without: new Map([
          ['a', 0.5],
          ['b', 1],
        ]),
      },
      { all: 1, without: new Map([['a', 0]]) },
    ];
    const result = leaveOneOut(['a', 'b', 'c'], rows);
    expect(result.baseline).toBeCloseTo(2.5 / 3);
    expect(result.n).toBe(3);
    const [a, b, c] = result.demos;
    expect(a).toMatchObject({ rowKey: 'a', n: 3 });
    expect(a!.contribution).toBeCloseTo(2 / 3);
    expect(b).toMatchObject({ rowKey: 'b', n: 2 });
    expect(b!.contribution).toBeCloseTo(-0.25);
    expect(b!.ciLow).toBeLessThanOrEqual(b!.contribution);
    expect(b!.ciHigh).toBeGreaterThanOrEqual(b!.contribution);
    expect(c).toEqual({ rowKey: 'c', contribution: 0, n: 0, ciLow: 0, ciHigh: 0 });
  });
});
