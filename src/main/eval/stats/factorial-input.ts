// The input of a 2^k factorial ablation (k <= 4 components, each on or off) and its checks: every one of the 2^k
// cells scored on the same n examples, aligned by example index. Shared by factorialAnalysis and simpleComparisons.
import { assert } from '../../../shared/errors';

export const MAX_COMPONENTS = 4;

export interface FactorialInput {
  /** Component names, bit j of a cell mask = component j on. */
  components: readonly string[];
  /** Per-example scores of each cell, keyed by mask (0 = all off, 2^k - 1 = all on); arrays aligned by example. */
  cells: ReadonlyMap<number, readonly number[]> | Readonly<Record<number, readonly number[]>>;
  /** Scores are 0/1 (McNemar and Wilson apply). */
  binary: boolean;
  seed: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Random sign assignments of the permutation tests when n > 16 (default 10000). */
  permutations?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** The checked design: y[mask][i] for all 2^k masks, and the sizes. */
export interface Design {
  k: number;
  n: number;
  y: (readonly number[])[];
}

export function checkDesign(input: FactorialInput): Design {
  const k = input.components.length;
  assert(k >= 1 && k <= MAX_COMPONENTS, `a factorial ablation takes 1 to ${MAX_COMPONENTS} components, not ${k}`);
  assert(new Set(input.components).size === k, 'component names must be distinct');
  const y: (readonly number[])[] = [];
  for (let mask = 0; mask < 2 ** k; mask++) {
    const scores =
      input.cells instanceof Map
        ? input.cells.get(mask)
        : (input.cells as Readonly<Record<number, readonly number[]>>)[mask];
    assert(
      scores !== undefined,
      `cell ${mask} (${onComponents(input.components, mask).join(' + ') || 'none'}) has no scores`,
    );
    y.push(scores);
  }
  const n = (y[0] as readonly number[]).length;
  assert(n > 0 && y.every((cell) => cell.length === n), 'every cell must score the same, non-empty set of examples');
  for (const cell of y) {
    for (const v of cell) {
      assert(Number.isFinite(v), 'cell scores must be finite numbers');
      assert(!input.binary || v === 0 || v === 1, 'binary cell scores must be 0 or 1');
    }
  }
  return { k, n, y };
}

/** The names of the components switched on in `mask`. */
export function onComponents(components: readonly string[], mask: number): string[] {
  return components.filter((_, j) => mask & (1 << j));
}

export function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
