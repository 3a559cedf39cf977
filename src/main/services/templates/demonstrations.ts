// Demonstration selection per input and leave-one-out analytics, as pure functions over rows and scores (the service
// does the reading and the generation). Selection: `fixed` = the set's rows in order; `random` = k rows drawn with the
// set's seed (a partial Fisher-Yates over the eval library's seeded Rng; the same k for every input);
// `similar` = the k rows whose input fields share the most word tokens with the input (Jaccard), ties by set order.
import type { DemonstrationSelection } from '../../../shared/contract/templates';
import { mean, pairedBootstrapDiffCI, Rng } from '../../eval';

export interface PoolRow {
  readonly key: string;
  readonly data: Record<string, unknown>;
}

/** Lower-cased word tokens (letters and digits, any script) of the input fields' values. */
export function inputTokens(data: Record<string, unknown>, inputFields: readonly string[]): Set<string> {
  const text = inputFields
    .map((f) => {
      const v = data[f];
      return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
    })
    .join(' ');
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** The demonstrations an input gets, in the order they are shown. `input` is needed only by `similar`. */
export function selectDemonstrations(
  selection: DemonstrationSelection,
  pool: readonly PoolRow[],
  input: Record<string, unknown> | null,
  inputFields: readonly string[],
): PoolRow[] {
  switch (selection.kind) {
    case 'fixed':
      return [...pool];
    case 'random': {
      const order = pool.map((_r, i) => i);
      const rng = new Rng(selection.seed);
      const k = Math.min(selection.k, pool.length);
      for (let i = 0; i < k; i += 1) {
        const j = i + rng.nextInt(order.length - i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return order.slice(0, k).map((i) => pool[i]!);
    }
    case 'similar': {
      const k = Math.min(selection.k, pool.length);
      if (input === null) return pool.slice(0, k);
      const own = inputTokens(input, inputFields);
      return pool
        .map((row, i) => ({ row, i, score: jaccard(own, inputTokens(row.data, inputFields)) }))
        .sort((a, b) => b.score - a.score || a.i - b.i)
        .slice(0, k)
        .map((s) => s.row);
    }
  }
}

/** Scores of one validation row: with every demonstration it was given, and without each of them (by row key). */
export interface LeaveOneOutRow {
  readonly all: number;
  readonly without: ReadonlyMap<string, number>;
}

export interface DemoContribution {
  rowKey: string;
  /** mean(score with all) - mean(score without this demonstration), over the rows that were given it. */
  contribution: number;
  n: number;
  ciLow: number;
  ciHigh: number;
}

/** Leave-one-out contribution of each demonstration, in `keys` order, with a paired bootstrap CI (seeded). */
export function leaveOneOut(
  keys: readonly string[],
  rows: readonly LeaveOneOutRow[],
  seed = 1,
): { baseline: number; n: number; demos: DemoContribution[] } {
  const demos = keys.map((rowKey) => {
    const withIt = rows.filter((r) => r.without.has(rowKey));
    const a = withIt.map((r) => r.all);
    const b = withIt.map((r) => r.without.get(rowKey)!);
    if (a.length === 0) return { rowKey, contribution: 0, n: 0, ciLow: 0, ciHigh: 0 };
    const ci = pairedBootstrapDiffCI(a, b, { seed, resamples: 1000 });
    return { rowKey, contribution: mean(a) - mean(b), n: a.length, ciLow: ci.ci[0], ciHigh: ci.ci[1] };
  });
  return { baseline: rows.length === 0 ? 0 : mean(rows.map((r) => r.all)), n: rows.length, demos };
}
