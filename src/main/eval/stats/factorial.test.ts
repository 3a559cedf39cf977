import { describe, expect, it } from 'vitest';
import { factorialAnalysis } from './factorial';
import { simpleComparisons } from './simple-comparisons';
import { mcnemarTest } from './mcnemar';
import { Rng } from './prng';

const sign = (mask: number, j: number) => (mask & (1 << j) ? 1 : -1);

/**
 * y_i(mask) = mu_i + Σ_T (gamma_T + delta_i(T)) / 2 · Π_{j∈T} s_j(mask). By orthogonality of the contrasts,
 * e_i(T) = gamma_T + delta_i(T) exactly, so mean_i e_i(T) = gamma_T when the deltas sum to 0.
 */
function constructed(k: number, n: number, gamma: Record<number, number>, delta: (i: number, term: number) => number) {
  const cells = new Map<number, number[]>();
  for (let mask = 0; mask < 2 ** k; mask++) {
    cells.set(
      mask,
      Array.from({ length: n }, (_, i) => {
        let value = 10 + i; // mu_i: per-example difficulty, cancels out of every effect
        for (let term = 1; term < 2 ** k; term++) {
          let product = 1;
          for (let j = 0; j < k; j++) if (term & (1 << j)) product *= sign(mask, j);
          value += (((gamma[term] ?? 0) + delta(i, term)) / 2) * product;
        }
        return value;
      }),
    );
  }
  return cells;
}

describe('factorialAnalysis', () => {
  it('recovers the constructed effects of a 2^2 design exactly', () => {
    // A main effect 0.25, B main effect 0.5, AB interaction 0.125; per-example deviations ±gamma/2 (alternating, so
    // they sum to 0 and every e_i keeps the effect's sign). All values are multiples of 1/16: the sums are exact.
    const gamma: Record<number, number> = { 1: 0.25, 2: 0.5, 3: 0.125 };
    const cells = constructed(2, 12, gamma, (i, term) => ((i % 2 === 0 ? 1 : -1) * (gamma[term] as number)) / 2);
    const analysis = factorialAnalysis({ components: ['A', 'B'], cells, binary: false, seed: 1 });
    expect(analysis.n).toBe(12);
    expect(analysis.effects.map((e) => [e.terms.join('x'), e.estimate])).toEqual([
      ['A', 0.25],
      ['B', 0.5],
      ['AxB', 0.125],
    ]);
    for (const effect of analysis.effects) {
      expect(effect.test).toBe('sign-flip'); // n = 12 <= 16: exact enumeration
      expect(effect.ci[0]).toBeLessThanOrEqual(effect.estimate);
      expect(effect.ci[1]).toBeGreaterThanOrEqual(effect.estimate);
      expect(effect.p).toBe(2 / 4096); // every e_i has the effect's sign: only the all-plus/all-minus flips reach it
      expect(effect.pHolm).toBeCloseTo(3 * (2 / 4096), 15);
    }
    // Simple effects of B: main ± interaction = 0.625 with A on, 0.375 with A off.
    const ab = analysis.effects[2];
    expect(ab?.simpleEffects?.find((s) => s.component === 'B' && s.givenOn)?.estimate).toBeCloseTo(0.625, 15);
    expect(ab?.simpleEffects?.find((s) => s.component === 'B' && !s.givenOn)?.estimate).toBeCloseTo(0.375, 15);
  });

  it('matches the textbook contrast on cell means: main effect = average of the two simple differences', () => {
    // Cell means with A = bit 0, B = bit 1: m00 = 0.5, m01(A) = 0.7, m10(B) = 0.6, m11 = 0.9
    // A: ((0.9 - 0.6) + (0.7 - 0.5)) / 2 = 0.25; B: ((0.9 - 0.7) + (0.6 - 0.5)) / 2 = 0.15;
    // AB: ((0.3) - (0.2)) / 2 = 0.05
    const cells = { 0: [0.5, 0.5], 1: [0.7, 0.7], 2: [0.6, 0.6], 3: [0.9, 0.9] };
    const analysis = factorialAnalysis({ components: ['A', 'B'], cells, binary: false, seed: 2 });
    const estimates = analysis.effects.map((e) => e.estimate);
    [0.25, 0.15, 0.05].forEach((expected, i) => expect(estimates[i]).toBeCloseTo(expected, 14));
    expect(analysis.cells.map((c) => [c.on, c.mean])).toEqual([
      [[], 0.5],
      [['A'], 0.7],
      [['B'], 0.6],
      [['A', 'B'], 0.9],
    ]);
  });

  it('recovers all seven effects of a 2^3 design, with Monte Carlo p above 16 examples', () => {
    const gamma = { 1: 0.3, 2: -0.1, 4: 0.05, 3: 0.2, 5: 0, 6: -0.05, 7: 0.1 };
    const rng = new Rng(5);
    const noise = Array.from({ length: 40 * 8 }, () => rng.nextFloat() - 0.5);
    // Centre each term's deltas so they sum to 0 exactly in expectation; estimates then equal gamma up to rounding.
    const raw = (i: number, term: number) => (noise[term * 40 + i] as number) * 0.2;
    const centre = Array.from(
      { length: 8 },
      (_, term) => Array.from({ length: 40 }, (_, i) => raw(i, term)).reduce((s, v) => s + v, 0) / 40,
    );
    const cells = constructed(3, 40, gamma, (i, term) => raw(i, term) - (centre[term] as number));
    const analysis = factorialAnalysis({
      components: ['adapter', 'soft', 'template'],
      cells,
      binary: false,
      seed: 3,
      permutations: 2000,
      resamples: 500,
    });
    expect(analysis.effects.map((e) => e.terms.join('+'))).toEqual([
      'adapter',
      'soft',
      'template',
      'adapter+soft',
      'adapter+template',
      'soft+template',
      'adapter+soft+template',
    ]);
    const expected = [0.3, -0.1, 0.05, 0.2, 0, -0.05, 0.1];
    analysis.effects.forEach((e, t) => expect(e.estimate).toBeCloseTo(expected[t] as number, 12));
    expect(analysis.effects.every((e) => e.test === 'permutation')).toBe(true);
    const adapter = analysis.effects[0];
    expect(adapter?.pHolm).toBeLessThan(0.01);
    expect(adapter?.ci[0]).toBeGreaterThan(0.25);
    const zero = analysis.effects[4];
    expect(zero?.pHolm).toBeGreaterThan(0.05);
    expect(zero?.ci[0]).toBeLessThan(0);
    expect(zero?.ci[1]).toBeGreaterThan(0);
    expect(analysis.cells).toHaveLength(8);
    expect(analysis.cellCi).toBe('bootstrap');
    analysis.effects.forEach((e) => expect(e.pHolm).toBeGreaterThanOrEqual(e.p));
  });

  it('uses McNemar and Wilson for one binary component, and is reproducible from its seed', () => {
    const rng = new Rng(8);
    const off = Array.from({ length: 200 }, () => (rng.nextFloat() < 0.5 ? 1 : 0));
    const on = off.map((v) => (v === 1 ? (rng.nextFloat() < 0.95 ? 1 : 0) : rng.nextFloat() < 0.4 ? 1 : 0));
    const input = { components: ['adapter'], cells: { 0: off, 1: on }, binary: true, seed: 42 };
    const analysis = factorialAnalysis(input);
    const direct = mcnemarTest(
      on.map((v) => v === 1),
      off.map((v) => v === 1),
    );
    expect(analysis.mcnemar).toEqual(direct);
    expect(analysis.effects).toHaveLength(1);
    expect(analysis.effects[0]).toMatchObject({ terms: ['adapter'], test: 'mcnemar', p: direct.p, pHolm: direct.p });
    const diff = on.reduce<number>((s, v) => s + v, 0) / 200 - off.reduce<number>((s, v) => s + v, 0) / 200;
    expect(analysis.effects[0]?.estimate).toBeCloseTo(diff, 14);
    expect(analysis.cellCi).toBe('bootstrap');
    expect(analysis.comparisons).toHaveLength(1); // drop and add are the same two cells when k = 1
    expect(factorialAnalysis(input)).toEqual(analysis);
    expect(analysis).toMatchObject({ seed: 42, resamples: 2000, permutations: 10000, level: 0.95 });
  });

  it('rejects a design with a missing cell, ragged cells or non-binary scores', () => {
    expect(() =>
      factorialAnalysis({ components: ['A', 'B'], cells: { 0: [1], 1: [1], 2: [1] }, binary: true, seed: 0 }),
    ).toThrow(/cell 3/);
    expect(() => factorialAnalysis({ components: ['A'], cells: { 0: [1, 0], 1: [1] }, binary: true, seed: 0 })).toThrow(
      /same/,
    );
    expect(() => factorialAnalysis({ components: ['A'], cells: { 0: [0.5], 1: [1] }, binary: true, seed: 0 })).toThrow(
      /0 or 1/,
    );
    expect(() =>
      factorialAnalysis({ components: ['A', 'B', 'C', 'D', 'E'], cells: {}, binary: true, seed: 0 }),
    ).toThrow(/1 to 4/);
  });
});

describe('simpleComparisons', () => {
  it('compares full vs full-without-j and only-j vs base, with McNemar for binary scores and Holm', () => {
    // Two components, 4 examples: A = bit 0, B = bit 1.
    const cells = { 0: [0, 0, 0, 1], 1: [1, 1, 0, 1], 2: [0, 0, 1, 1], 3: [1, 1, 1, 1] };
    const comparisons = simpleComparisons({ components: ['A', 'B'], cells, binary: true, seed: 0 });
    expect(comparisons.map((c) => [c.component, c.kind, c.withMask, c.withoutMask, c.estimate])).toEqual([
      ['A', 'drop', 3, 2, 0.5], // full 1.0 - B only 0.5
      ['A', 'add', 1, 0, 0.5], // A only 0.75 - base 0.25
      ['B', 'drop', 3, 1, 0.25],
      ['B', 'add', 2, 0, 0.25],
    ]);
    expect(comparisons.every((c) => c.test === 'mcnemar' && c.mcnemar !== undefined && c.pHolm >= c.p)).toBe(true);
    expect(comparisons[0]?.mcnemar).toMatchObject({ b: 2, c: 0, p: 0.5 });
  });

  it('uses the permutation test for continuous scores', () => {
    const cells = { 0: [0.1, 0.2, 0.3], 1: [0.4, 0.5, 0.6] };
    const [only] = simpleComparisons({ components: ['A'], cells, binary: false, seed: 0 });
    expect(only).toMatchObject({ kind: 'drop', test: 'sign-flip', p: 0.25 });
    expect(only?.estimate).toBeCloseTo(0.3, 14);
  });
});
