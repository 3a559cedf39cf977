// Plain-words formatting of failure modes, probes and drift audits for the screens (pure, tested).
import type { DriftAudit, ProbeSpec } from '../../../../shared/contract';
import type { Experiment } from '../../../../shared/contract';

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(0)}%`;
}

/** "42% [30%, 55%]": a rate with its 95% interval. */
export function rateText(rate: number | null, ci: readonly [number, number] | null): string {
  return ci === null ? pct(rate) : `${pct(rate)} [${pct(ci[0])}, ${pct(ci[1])}]`;
}

/** A category's change from another cell: "+25 pts (p 0.030)", or "+25 pts (p 0.030, n 40)" given the rows paired. */
export function changeText(change: { delta: number; p: number; n?: number } | null): string {
  if (change === null) return '—';
  const pts = Math.round(change.delta * 100);
  const n = change.n === undefined ? '' : `, n ${change.n}`;
  return `${pts > 0 ? '+' : ''}${pts} pts (p ${change.p < 0.001 ? '< 0.001' : change.p.toFixed(3)}${n})`;
}

export const AUDIT_STATES: Record<
  DriftAudit['state'],
  { label: string; color: 'default' | 'success' | 'error' | 'warning' }
> = {
  running: { label: 'Running', color: 'default' },
  passed: { label: 'No drift', color: 'success' },
  drift: { label: 'Drift', color: 'error' },
  warning: { label: 'Changed', color: 'warning' },
  failed: { label: 'Could not run', color: 'error' },
};

/** Rows probed per specialization and kind, at most: a probe runs kinds x rows x specializations generations. */
export const PROBE_ROWS = 20;

/** A probe of an experiment's specializations on its own rows (the first PROBE_ROWS), metrics and seed. */
export function probeOf(experiment: Experiment): ProbeSpec {
  const ids = experiment.cells.map((c) => c.specializationId);
  return {
    name: `Robustness of ${experiment.name}`,
    specializationIds: [...new Set(ids)],
    datasetVersionId: experiment.spec.datasetVersionId,
    split: experiment.spec.split,
    limit: Math.min(experiment.spec.limit ?? PROBE_ROWS, PROBE_ROWS),
    kinds: ['typos', 'casing', 'whitespace', 'reorder', 'truncate', 'distractor', 'long', 'rare'],
    seed: experiment.spec.seed,
    metrics: experiment.spec.metrics,
  };
}
