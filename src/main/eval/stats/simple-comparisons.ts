// Simple comparisons of a factorial ablation, the questions a user asks first: for each component j, what does
// the full setup lose without j ("drop": all on minus all on but j) and what does j do alone ("add": only j minus
// none)? Each is a paired difference of two cells: percentile bootstrap CI, McNemar for binary scores, the paired
// permutation test otherwise; Holm across the comparisons of one analysis (their own family, apart from effects).
import { pairedBootstrapDiffCI } from './bootstrap';
import { checkDesign } from './factorial-input';
import type { FactorialInput } from './factorial-input';
import { holm } from './holm';
import { mcnemarTest } from './mcnemar';
import type { McNemarResult } from './mcnemar';
import { pairedPermutationTest } from './permutation';

export type PairedTest = 'mcnemar' | 'sign-flip' | 'permutation';

export interface SimpleComparison {
  component: string;
  /** drop: full minus full-without-component; add: component-only minus base. */
  kind: 'drop' | 'add';
  /** Masks of the two cells compared: estimate = mean(with) - mean(without). */
  withMask: number;
  withoutMask: number;
  estimate: number;
  ci: [number, number];
  p: number;
  pHolm: number;
  /** mcnemar (binary), sign-flip (exact sign-flip test: enumerated, or convolved for 0/1-type scores) or permutation
   * (Monte Carlo sign flips). */
  test: PairedTest;
  mcnemar?: McNemarResult;
}

/** Stream offsets under the analysis seed, apart from factorialAnalysis's (0 and the term masks 1..15). */
const BOOTSTRAP_STREAM = 100;
const PERMUTATION_STREAM = 200;

export function simpleComparisons(input: FactorialInput): SimpleComparison[] {
  const { k, y } = checkDesign(input);
  const full = 2 ** k - 1;
  const pairs: Omit<SimpleComparison, 'estimate' | 'ci' | 'p' | 'pHolm' | 'test'>[] = [];
  const seen = new Set<string>();
  input.components.forEach((component, j) => {
    const candidates = [
      { component, kind: 'drop' as const, withMask: full, withoutMask: full & ~(1 << j) },
      { component, kind: 'add' as const, withMask: 1 << j, withoutMask: 0 },
    ];
    for (const pair of candidates) {
      const key = `${pair.withMask}/${pair.withoutMask}`; // with k = 1, drop and add are the same two cells
      if (!seen.has(key)) pairs.push(pair);
      seen.add(key);
    }
  });
  const compared = pairs.map((pair, index) => {
    const a = y[pair.withMask] as readonly number[];
    const b = y[pair.withoutMask] as readonly number[];
    const options = { seed: input.seed, resamples: input.resamples, level: input.level };
    const { estimate, ci } = pairedBootstrapDiffCI(a, b, { ...options, stream: BOOTSTRAP_STREAM + index });
    if (input.binary) {
      const mcnemar = mcnemarTest(
        a.map((v) => v === 1),
        b.map((v) => v === 1),
      );
      return { ...pair, estimate, ci, p: mcnemar.p, test: 'mcnemar' as const, mcnemar };
    }
    const permutation = pairedPermutationTest(a, b, {
      seed: input.seed,
      resamples: input.permutations,
      stream: PERMUTATION_STREAM + index,
    });
    return {
      ...pair,
      estimate,
      ci,
      p: permutation.p,
      test: permutation.exact ? ('sign-flip' as const) : ('permutation' as const),
    };
  });
  const adjusted = holm(compared.map((c) => c.p));
  return compared.map((c, i) => ({ ...c, pHolm: adjusted[i] as number }));
}
