import { describe, expect, it } from 'vitest';
import { PerformanceBudget, budgetSummary, checkBudget, hasBudget, performanceFigures, quantile } from './budget';

const call = (totalMs: number, promptTokens: number, over: object = {}) => ({
  totalMs,
  timeToFirstTokenMs: totalMs / 10,
  tokensPerSecond: 50,
  promptTokens,
  peakRssBytes: null,
  ...over,
});

describe('performance budgets', () => {
  it('take p95 with linear interpolation (as numpy), the longest context and the largest memory', () => {
    expect(quantile([], 0.95)).toBeNull();
    expect(quantile([7], 0.95)).toBe(7);
    // numpy.percentile(range(1, 101), 95) == 95.05
    expect(
      quantile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBeCloseTo(95.05, 10);
    const f = performanceFigures([
      call(100, 40),
      call(300, 90, { peakRssBytes: 2 ** 30 }),
      call(200, 60, { timeToFirstTokenMs: null, tokensPerSecond: null }),
    ]);
    expect(f).toEqual({
      n: 3,
      p95LatencyMs: 290,
      p95TimeToFirstTokenMs: 29,
      meanTokensPerSecond: 50,
      maxContextTokens: 90,
      peakMemoryBytes: 2 ** 30,
    });
  });

  it('judge only the limits set, in plain words; an unmeasured figure misses its limit', () => {
    const budget = PerformanceBudget.parse({ p95LatencyMs: 250, minTokensPerSecond: 40, maxMemoryMiB: 512 });
    expect(hasBudget(budget)).toBe(true);
    expect(hasBudget(PerformanceBudget.parse({}))).toBe(false);
    expect(budgetSummary(budget)).toEqual(['p95 latency <= 250 ms', '>= 40 tokens/s', 'memory <= 512 MiB']);
    const f = performanceFigures([call(100, 40), call(300, 90)]);
    expect(checkBudget(budget, f)).toEqual([
      { name: 'p95 latency', met: false, detail: '290 ms over 2 calls; needs at most 250 ms' },
      { name: 'Speed', met: true, detail: '50.0 tokens/s over 2 calls; needs at least 40.0 tokens/s' },
      { name: 'Memory', met: false, detail: 'Not measured; needs at most 512 MiB' },
    ]);
  });

  it('refuse a limit that is not above zero, naming the field', () => {
    const r = PerformanceBudget.safeParse({ maxContextTokens: 0 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['maxContextTokens']);
    expect(PerformanceBudget.safeParse({ maxLatency: 1 }).success).toBe(false);
  });
});
