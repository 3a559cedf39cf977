import { describe, expect, it } from 'vitest';
import { factorialAnalysis } from './factorial';
import type { FactorialAnalysis, FactorialEffect } from './factorial';
import { Rng } from './prng';
import type { SimpleComparison } from './simple-comparisons';
import { ablationVerdict, isSignificant } from './verdict';

const labels = { adapter: 'the adapter', soft: 'the soft prompt', template: 'the template' };

function effect(
  terms: string[],
  estimate: number,
  ci: [number, number],
  pHolm: number,
  extra: Partial<FactorialEffect> = {},
): FactorialEffect {
  return { terms, mask: 0, estimate, ci, p: pHolm, pHolm, test: 'permutation', ...extra };
}

function drop(component: string, estimate: number, ci: [number, number], pHolm: number): SimpleComparison {
  return { component, kind: 'drop', withMask: 3, withoutMask: 1, estimate, ci, p: pHolm, pHolm, test: 'mcnemar' };
}

/** A hand-made two-component analysis (adapter = bit 0, template = bit 1), so each sentence can be checked exactly. */
function twoComponents(effects: FactorialEffect[], comparisons: SimpleComparison[] = []): FactorialAnalysis {
  const cells = [0.51, 0.82, 0.52, 0.83].map((mean, mask) => ({
    mask,
    on: [],
    mean,
    ci: [mean, mean] as [number, number],
  }));
  return {
    components: ['adapter', 'template'],
    n: 300,
    binary: true,
    cells,
    cellCi: 'wilson',
    effects,
    comparisons,
    seed: 1,
    resamples: 2000,
    permutations: 10000,
    level: 0.95,
  };
}

describe('ablationVerdict', () => {
  it('names the carrier, what adds nothing on top, the tokens saved, and the sample size once', () => {
    const analysis = twoComponents(
      [
        effect(['adapter'], 0.31, [0.27, 0.35], 0.0001),
        effect(['template'], 0.012, [-0.02, 0.04], 0.4),
        effect(['adapter', 'template'], 0.002, [-0.01, 0.015], 0.8),
      ],
      [drop('template', 0.01, [-0.02, 0.04], 0.5)],
    );
    expect(ablationVerdict(analysis, { labels, unit: 'pts', contextTokens: { template: 212 } })).toEqual([
      'On 300 test examples, the score is 83% with the adapter and the template together, and 51% with none of them.',
      'The adapter carries the gain (+31 pts, 95% CI 27 to 35, p < 0.001).',
      'The template adds nothing significant on top (+1 pt, 95% CI -2 to 4).',
      'No interaction between the components is significant: the data are consistent with their effects adding up.',
      'Dropping the template saves 212 context tokens per call.',
      'Rule: an effect counts as significant when its Holm-adjusted p is < 0.05 over the 3 effects, with the 95% CI excluding 0.',
    ]);
  });

  it('describes a significant interaction through the simple effects', () => {
    const simpleEffects = [
      { component: 'template', given: 'adapter', givenOn: true, estimate: 0.12, ci: [0.07, 0.17] as [number, number] },
      {
        component: 'template',
        given: 'adapter',
        givenOn: false,
        estimate: -0.04,
        ci: [-0.09, 0.01] as [number, number],
      },
      { component: 'adapter', given: 'template', givenOn: true, estimate: 0.39, ci: [0.33, 0.45] as [number, number] },
      { component: 'adapter', given: 'template', givenOn: false, estimate: 0.23, ci: [0.17, 0.29] as [number, number] },
    ];
    const analysis = twoComponents(
      [
        effect(['adapter'], 0.31, [0.27, 0.35], 0.0001),
        effect(['template'], 0.04, [0.01, 0.07], 0.012),
        effect(['adapter', 'template'], 0.08, [0.03, 0.12], 0.003, { simpleEffects }),
      ],
      [drop('template', 0.12, [0.07, 0.17], 0.001)],
    );
    const sentences = ablationVerdict(analysis, {
      labels: { adapter: 'the adapter', template: 'the soft prompt' },
      unit: 'pts',
      contextTokens: { template: 20 },
    });
    expect(sentences).toContain('The soft prompt also helps (+4 pts, 95% CI 1 to 7, p = 0.012).');
    expect(sentences).toContain(
      'The soft prompt helps only with the adapter (interaction +8 pts, 95% CI 3 to 12, p = 0.003; +12 pts with it, -4 pts without).',
    );
    expect(sentences).toContain('The soft prompt costs 20 context tokens per call.');
    expect(sentences.some((s) => s.startsWith('No interaction'))).toBe(false);
  });

  it('never claims a gain whose CI spans 0, even with a small p', () => {
    const analysis = twoComponents([
      effect(['adapter'], 0.05, [-0.01, 0.1], 0.01),
      effect(['template'], -0.06, [-0.1, -0.02], 0.02),
      effect(['adapter', 'template'], 0, [-0.01, 0.01], 1),
    ]);
    expect(isSignificant(analysis.effects[0] as FactorialEffect)).toBe(false);
    const sentences = ablationVerdict(analysis, { labels, unit: 'pts' });
    expect(sentences).toContain('The adapter adds nothing significant on top (+5 pts, 95% CI -1 to 10).');
    expect(sentences).toContain('The template hurts (-6 pts, 95% CI -10 to -2, p = 0.02).');
    expect(sentences.join(' ')).not.toMatch(/carries/);
  });

  it('reads lower-is-better metrics in plain units', () => {
    const analysis = twoComponents([
      effect(['adapter'], -42.5, [-50.25, -35], 0.0004),
      effect(['template'], 3, [-1, 7], 0.3),
      effect(['adapter', 'template'], 0, [-2, 2], 1),
    ]);
    analysis.cells = analysis.cells.map((c, i) => ({ ...c, mean: [180, 140, 182, 138][i] as number }));
    const sentences = ablationVerdict(analysis, { labels, unit: '', direction: 'lower' });
    expect(sentences[0]).toBe(
      'On 300 test examples, the score is 138 with the adapter and the template together, and 180 with none of them.',
    );
    expect(sentences[1]).toBe('The adapter carries the improvement (-42.5, 95% CI -50.3 to -35.0, p < 0.001).');
    expect(sentences[2]).toBe('The template adds nothing significant on top (+3.00, 95% CI -1.00 to 7.00).');
  });

  it('turns a real binary ablation into sentences', () => {
    // 300 examples: the base gets 50% right; the adapter fixes most errors; the template does nothing.
    const rng = new Rng(21);
    const n = 300;
    const base = Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? 1 : 0));
    const adapted = base.map((v) => (v === 1 || rng.nextFloat() < 0.62 ? 1 : 0));
    const cells = { 0: base, 1: adapted, 2: base, 3: adapted };
    const analysis = factorialAnalysis({ components: ['adapter', 'template'], cells, binary: true, seed: 7 });
    const sentences = ablationVerdict(analysis, { labels, unit: 'pts', contextTokens: { template: 212 } });
    expect(sentences[0]).toMatch(/^On 300 test examples, /);
    expect(sentences.filter((s) => s.includes('300'))).toHaveLength(1);
    expect(sentences[1]).toMatch(/^The adapter carries the gain \(\+2\d pts, 95% CI \d+ to \d+, p < 0\.001\)\.$/);
    expect(sentences[2]).toBe('The template adds nothing significant on top (0 pts, 95% CI 0 to 0).');
    expect(sentences).toContain('Dropping the template saves 212 context tokens per call.');
  });

  it('speaks of one component with its test', () => {
    const analysis: FactorialAnalysis = {
      ...twoComponents([effect(['adapter'], 0.002, [-0.03, 0.03], 0.9, { test: 'mcnemar' })]),
      components: ['adapter'],
      cells: [
        { mask: 0, on: [], mean: 0.5, ci: [0.44, 0.56] },
        { mask: 1, on: ['adapter'], mean: 0.502, ci: [0.44, 0.56] },
      ],
    };
    expect(ablationVerdict(analysis, { labels, unit: 'pts' })).toEqual([
      'On 300 test examples, the score is 50% with the adapter and 50% without it.',
      'The adapter makes no significant difference (0 pts, 95% CI -3 to 3).',
      "Rule: an effect counts as significant when p < 0.05 (McNemar's test) with the 95% CI excluding 0.",
    ]);
  });
});
