// The 2^k factorial analysis of an ablation (Box, Hunter & Hunter, Statistics for Experimenters, ch. 5): which
// components carry a gain, and whether they interact. Every example is scored in every cell, so effects are
// estimated per example and inference is paired.
//
// Definitions. Contrast signs s_j(mask) = +1 if bit j is on, else -1. The per-example effect of a term set T is
//   e_i(T) = (1 / 2^(k-1)) Σ_mask Π_{j∈T} s_j(mask) · y_i(mask),
// the standard 2^k effect: for a main effect, the average over the other components' settings of (on - off); for
// a two-way interaction {j, l}, half the difference between l's effect with j on and with j off.
//   estimate = mean_i e_i(T);  CI: percentile bootstrap over examples, all terms and cells from the same resampled
//   examples;  p: the paired sign-flip test of e_i(T) against 0 (exact when n <= 16 or the scores are 0/1, see
//   permutation.ts), or McNemar between the two cells when k = 1 and scores are binary;
//   pHolm: Holm across all 2^k - 1 effects of the analysis.
// Cell CIs are paired percentile-bootstrap intervals (the effects' resampled examples; a cell at 0% or 100% gets a
// zero-width interval, so per-cell tables also show n, and wilsonInterval is there for single proportions).
import { bootstrapMeansCI, DEFAULT_LEVEL, DEFAULT_RESAMPLES } from './bootstrap';
import { mean } from './descriptive';
import { checkDesign, onComponents, popcount } from './factorial-input';
import type { FactorialInput } from './factorial-input';
import { holm } from './holm';
import { mcnemarTest } from './mcnemar';
import type { McNemarResult } from './mcnemar';
import { DEFAULT_PERMUTATIONS, signFlipTest } from './permutation';
import { simpleComparisons } from './simple-comparisons';
import type { PairedTest, SimpleComparison } from './simple-comparisons';

export interface FactorialCell {
  mask: number;
  /** Components switched on in this cell. */
  on: string[];
  mean: number;
  ci: [number, number];
}

/** A two-way interaction's follow-up: the effect of `component` with `given` on, or off (averaged over the rest). */
export interface SimpleEffect {
  component: string;
  given: string;
  givenOn: boolean;
  estimate: number;
  ci: [number, number];
}

export interface FactorialEffect {
  /** One component: a main effect; two or more: their interaction. */
  terms: string[];
  /** The term set as a mask over the components. */
  mask: number;
  estimate: number;
  ci: [number, number];
  p: number;
  pHolm: number;
  test: PairedTest;
  /** Two-way interactions: each component's effect with the other on and off (4 entries). */
  simpleEffects?: SimpleEffect[];
}

export interface FactorialAnalysis {
  components: string[];
  n: number;
  binary: boolean;
  cells: FactorialCell[];
  /** Cell CI method: Wilson for binary scores, bootstrap otherwise. */
  cellCi: 'wilson' | 'bootstrap';
  /** Main effects first, then interactions by order; within an order by mask. */
  effects: FactorialEffect[];
  /** k = 1 with binary scores: McNemar between the two cells (also the effect's test). */
  mcnemar?: McNemarResult;
  /** Drop-one and add-one comparisons (their own Holm family). */
  comparisons: SimpleComparison[];
  seed: number;
  resamples: number;
  permutations: number;
  level: number;
}

export function factorialAnalysis(input: FactorialInput): FactorialAnalysis {
  const { k, n, y } = checkDesign(input);
  const level = input.level ?? DEFAULT_LEVEL;
  const resamples = input.resamples ?? DEFAULT_RESAMPLES;
  const permutations = input.permutations ?? DEFAULT_PERMUTATIONS;
  const masks = Array.from({ length: 2 ** k }, (_, mask) => mask);
  const terms = masks.slice(1).sort((a, b) => popcount(a) - popcount(b) || a - b);
  const perExample = new Map(terms.map((term) => [term, effectPerExample(y, k, n, term)]));

  // One joint bootstrap: effects, then (for two-way interactions) simple effects, then the cells (paired: every
  // series sees the same resampled examples).
  const pairTerms = terms.filter((t) => popcount(t) === 2);
  const simpleSeries = pairTerms.flatMap((pair) => simpleEffectSeries(perExample, pair));
  const series = [...terms.map((t) => perExample.get(t) as number[]), ...simpleSeries.map((s) => s.values), ...y];
  const boot = bootstrapMeansCI(series, { seed: input.seed, resamples, level, stream: 0 });

  const cells = masks.map((mask): FactorialCell => {
    const cellMean = mean(y[mask] as readonly number[]);
    const ci = (boot[terms.length + simpleSeries.length + mask] as { ci: [number, number] }).ci;
    return { mask, on: onComponents(input.components, mask), mean: cellMean, ci };
  });

  const mcnemar =
    k === 1 && input.binary
      ? mcnemarTest(
          (y[1] as readonly number[]).map((v) => v === 1),
          (y[0] as readonly number[]).map((v) => v === 1),
        )
      : undefined;
  const raw = terms.map((term, t) => {
    const e = perExample.get(term) as number[];
    const { ci } = boot[t] as { ci: [number, number] };
    if (mcnemar) return { term, estimate: mean(e), ci, p: mcnemar.p, test: 'mcnemar' as PairedTest };
    const flip = signFlipTest(e, { seed: input.seed, resamples: permutations, stream: term });
    return {
      term,
      estimate: flip.estimate,
      ci,
      p: flip.p,
      test: (flip.exact ? 'sign-flip' : 'permutation') as PairedTest,
    };
  });
  const adjusted = holm(raw.map((r) => r.p));
  const effects = raw.map((r, t): FactorialEffect => {
    const effect: FactorialEffect = {
      terms: onComponents(input.components, r.term),
      mask: r.term,
      estimate: r.estimate,
      ci: r.ci,
      p: r.p,
      pHolm: adjusted[t] as number,
      test: r.test,
    };
    if (popcount(r.term) === 2) {
      effect.simpleEffects = simpleSeries.flatMap((s, i) => {
        if (s.pair !== r.term) return [];
        const { ci } = boot[terms.length + i] as { ci: [number, number] };
        return [
          {
            component: input.components[s.component] as string,
            given: input.components[s.given] as string,
            givenOn: s.givenOn,
            estimate: mean(s.values),
            ci,
          },
        ];
      });
    }
    return effect;
  });

  const result: FactorialAnalysis = {
    components: [...input.components],
    n,
    binary: input.binary,
    cells,
    cellCi: 'bootstrap',
    effects,
    comparisons: simpleComparisons(input),
    seed: input.seed,
    resamples,
    permutations,
    level,
  };
  if (mcnemar) result.mcnemar = mcnemar;
  return result;
}

/** e_i(T) for every example (definition in the header). */
function effectPerExample(y: readonly (readonly number[])[], k: number, n: number, term: number): number[] {
  const e = new Array<number>(n).fill(0);
  const order = popcount(term);
  const scale = 1 / 2 ** (k - 1);
  y.forEach((cell, mask) => {
    // Π_{j∈T} s_j(mask) = (-1)^(number of T's components that are off in mask)
    const sign = (order - popcount(mask & term)) % 2 === 0 ? 1 : -1;
    for (let i = 0; i < n; i++) e[i] = (e[i] as number) + sign * scale * (cell[i] as number);
  });
  return e;
}

/**
 * For the pair {j, l}: component x's effect with the other (g) on is e(x) + e(xg), with g off e(x) - e(xg)
 * (main effect = the average of the two, interaction = half their difference).
 */
function simpleEffectSeries(perExample: ReadonlyMap<number, number[]>, pair: number) {
  const bits = [0, 1, 2, 3].filter((j) => pair & (1 << j)) as [number, number];
  const interaction = perExample.get(pair) as number[];
  return [
    [bits[0], bits[1]],
    [bits[1], bits[0]],
  ].flatMap(([component, given]) => {
    const main = perExample.get(1 << (component as number)) as number[];
    return [true, false].map((givenOn) => ({
      pair,
      component: component as number,
      given: given as number,
      givenOn,
      values: main.map((v, i) => (givenOn ? v + (interaction[i] as number) : v - (interaction[i] as number))),
    }));
  });
}
