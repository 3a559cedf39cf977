// The direct "vs base" rows of a result: every cell against the base model's cell on every metric, paired over the
// examples scored in both, Holm-corrected together (metrics x cells), so a gain on a secondary metric shows even
// when the main one is flat.
import type { Experiment, VersusBase } from '../../../shared/contract/experiments';
import { METRIC_BINARY, METRIC_DIRECTION, metricLabel, type MetricSpec } from '../../../shared/metrics';
import {
  holm,
  isSignificant,
  mcnemarTest,
  pairedBootstrapDiffCI,
  pairedPermutationTest,
  type ExampleScore,
} from '../../eval';

const ADAPTER_PARTS = new Set(['lora', 'softPrompt', 'demonstrations']);

/**
 * The base cell and the cells judged against it: an ablation's all-off and full cells; a comparison's first
 * (adapter-free) cell and the rest.
 */
export function baseAndOthers(experiment: Experiment): { base: number; others: number[] } | null {
  const cells = experiment.cells;
  if (experiment.spec.design.kind === 'ablation') {
    const base = cells.findIndex((c) => c.mask === 0);
    return base < 0 || cells.length < 2 ? null : { base, others: [cells.length - 1] };
  }
  const first = cells[0];
  if (!first || cells.length < 2 || first.components.some((c) => ADAPTER_PARTS.has(c))) return null;
  return { base: 0, others: cells.map((_, k) => k).slice(1) };
}

/** scores[metric][cell][example] as results.ts computes them. */
export function versusBase(
  experiment: Experiment,
  scores: readonly (readonly (ExampleScore | null)[])[][],
  resamples: number,
): VersusBase | null {
  const plan = baseAndOthers(experiment);
  if (!plan) return null;
  const { metrics, seed } = experiment.spec;
  const raw: Omit<VersusBase['rows'][number], 'pHolm' | 'significant'>[] = [];
  metrics.forEach((m: MetricSpec, mi) => {
    const byCell = scores[mi] ?? [];
    for (const k of plan.others) {
      const a = byCell[k] ?? [];
      const b = byCell[plan.base] ?? [];
      const rows = a.map((_, i) => i).filter((i) => typeof a[i]?.score === 'number' && typeof b[i]?.score === 'number');
      if (rows.length < 2) continue;
      const x = rows.map((i) => a[i]?.score as number);
      const y = rows.map((i) => b[i]?.score as number);
      const binary = METRIC_BINARY[m.kind];
      const diff = pairedBootstrapDiffCI(x, y, { seed, resamples, stream: 400 + mi });
      const test = binary
        ? mcnemarTest(
            x.map((v) => v === 1),
            y.map((v) => v === 1),
          )
        : pairedPermutationTest(x, y, { seed, stream: 500 + mi });
      raw.push({
        cell: experiment.cells[k]?.label ?? '',
        metric: mi,
        label: metricLabel(m),
        baseValue: mean(y),
        value: mean(x),
        estimate: diff.estimate,
        ci: diff.ci,
        p: test.p,
        test: binary ? 'mcnemar' : 'permutation',
        direction: METRIC_DIRECTION[m.kind],
      });
    }
  });
  if (raw.length === 0) return null;
  const adjusted = holm(raw.map((r) => r.p));
  return {
    base: experiment.cells[plan.base]?.label ?? 'base',
    rows: raw.map((r, i) => {
      const pHolm = adjusted[i] ?? 1;
      return { ...r, pHolm, significant: isSignificant({ pHolm, ci: r.ci }) };
    }),
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}
