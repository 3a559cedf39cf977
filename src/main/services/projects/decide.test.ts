// The decision rule on real statistics (the eval library's factorial analysis, bootstrap and exact tests): each
// criterion decides once, and the recommendation names it.
import { describe, expect, it } from 'vitest';
import type { DecisionCriteria, OptionCosts, ProjectBudgets } from '../../../shared/contract/projects';
import { overBudget, recommend, type DecideInput } from './decide';

const N = 200;
/** 0/1 scores: the first `k` of N examples right (nested, so the cells are paired as real runs are). */
const right = (k: number): number[] => Array.from({ length: N }, (_, i) => (i < k ? 1 : 0));

const CRITERIA: DecisionCriteria = { escalationMargin: 0.05, minCombinationGain: 0.02, enforceBudgets: true };
const NO_BUDGETS: ProjectBudgets = { contextTokens: null, latencyMs: null, memoryBytes: null, trainingSeconds: null };
const costs = (contextTokens: number, latencyMs: number, trained: boolean): OptionCosts => ({
  contextTokens,
  latencyMs,
  tokensPerSecond: 100,
  memoryBytes: trained ? 300 * 2 ** 20 : null,
  trainingSeconds: trained ? 120 : 0,
  diskBytes: trained ? 2 ** 20 : 0,
});

function input(prompt: number, adapter: number, both: number, over: Partial<DecideInput> = {}): DecideInput {
  return {
    scores: { base: right(0), prompt: right(prompt), adapter: right(adapter), both: right(both) },
    binary: true,
    direction: 'higher',
    metric: 'Category accuracy',
    threshold: 0.8,
    seed: 7,
    cells: {
      prompt: { label: 'template + demonstrations', specializationId: 's-p' },
      adapter: { label: 'LoRA', specializationId: 's-a' },
      both: { label: 'all', specializationId: 's-b' },
    },
    costs: { prompt: costs(120, 200, false), adapter: costs(30, 150, true), both: costs(130, 230, true) },
    criteria: CRITERIA,
    budgets: NO_BUDGETS,
    experimentId: 'e1',
    resamples: 1000,
    ...over,
  };
}

describe('the prompt / adapter / both decision', () => {
  it('keeps the prompt when it does not miss the threshold by more than the margin (escalation)', () => {
    // 150/200 = 75%: Wilson's upper bound (~80.6%) reaches the 80% threshold, so no escalation.
    const r = recommend(input(150, 170, 180));
    expect(r.option).toBe('prompt');
    expect(r.decidedBy).toBe('escalation');
    expect(r.options.find((o) => o.option === 'prompt')?.ci[1]).toBeGreaterThan(0.75);
    expect(r.explanation.join(' ')).toContain('does not miss the threshold by more than 5.0 points');
  });

  it('recommends both when both surely beats the adapter alone by the minimum gain (combination)', () => {
    // Prompt 40% (upper bound ~47%: misses 80% by > 5 points); adapter 70%, both 90%: a 20-point paired gain.
    const r = recommend(input(80, 140, 180));
    expect(r.option).toBe('both');
    expect(r.decidedBy).toBe('combination');
    expect(r.bothVsAdapter.estimate).toBeCloseTo(0.2, 10);
    expect(r.bothVsAdapter.ci[0]).toBeGreaterThan(0.02);
    expect(r.bothVsAdapter.p).toBeLessThan(0.001);
  });

  it('warns when even the recommended option surely misses the threshold', () => {
    // Adapter 50%, both 52%: escalation, then the adapter alone, which is itself far below 80%.
    const r = recommend(input(40, 100, 104));
    expect(r.option).toBe('adapter');
    expect(r.explanation.at(-1)).toMatch(/^Even Adapter only misses the threshold \(95% CI/);
  });

  it('keeps the cheaper adapter when both gains too little to be sure (cost)', () => {
    // Adapter 85%, both 86%: 2 examples apart, a gain whose interval includes 0.
    const r = recommend(input(80, 170, 172));
    expect(r.option).toBe('adapter');
    expect(r.decidedBy).toBe('cost');
    expect(r.bothVsAdapter.ci[0]).toBeLessThan(0.02);
    expect(r.explanation.at(-1)).toContain('100 fewer context tokens per call');
    expect(r.explanation.join(' ')).not.toContain('misses the threshold (95% CI');
  });

  it('rules out an option over a budget, which then decides (budget)', () => {
    // As in the combination case, but both's 130 context tokens break a 100-token budget.
    const r = recommend(input(80, 140, 180, { budgets: { ...NO_BUDGETS, contextTokens: 100 } }));
    expect(r.option).toBe('adapter');
    expect(r.decidedBy).toBe('budget');
    expect(r.options.find((o) => o.option === 'both')?.overBudget).toEqual([
      'context 130 tokens over the budget of 100 tokens',
    ]);
    // Shown only, a budget rules nothing out.
    const shown = recommend(
      input(80, 140, 180, {
        budgets: { ...NO_BUDGETS, contextTokens: 100 },
        criteria: { ...CRITERIA, enforceBudgets: false },
      }),
    );
    expect(shown.option).toBe('both');
  });

  it('reports the prompt x adapter interaction of the 2x2 factorial', () => {
    // Cells 0, 40%, 70%, 90%: interaction = (0.9 - 0.7 - 0.4 + 0) / 2 = -0.1 (the standard 2^k effect).
    const r = recommend(input(80, 140, 180));
    expect(r.interaction.estimate).toBeCloseTo(-0.1, 10);
    expect(r.n).toBe(N);
  });

  it('names each budget a cost breaks, and none for a cost not measured', () => {
    const budgets: ProjectBudgets = { contextTokens: 100, latencyMs: 100, memoryBytes: 2 ** 20, trainingSeconds: 60 };
    expect(overBudget(costs(120, 200, true), budgets)).toEqual([
      'context 120 tokens over the budget of 100 tokens',
      'latency 200 ms over the budget of 100 ms',
      'memory 300 MiB over the budget of 1 MiB',
      'training time 120 s over the budget of 60 s',
    ]);
    expect(overBudget({ ...costs(10, 10, false), latencyMs: null }, budgets)).toEqual([]);
  });
});
