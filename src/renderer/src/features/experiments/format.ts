// How experiment numbers read (pure): scores of fraction metrics as percentages with one decimal, CIs as
// "72.1 (68.0-76.3)", effects as signed points, p-values, rates, durations and latencies.
import { COMPONENT_LABELS, type Component, type ExperimentProgress } from '../../../../shared/contract';
import { METRIC_BINARY, type MetricKind } from '../../../../shared/metrics';
import { formatEffect, formatInterval, formatValue, signed } from '../../../../shared/metric-format';

export { formatEffect, formatInterval, formatValue, metricUnit, scaleOf } from '../../../../shared/metric-format';

/** Fraction-valued metrics (all but `length`): thresholds are fractions, axes run from 0. */
export function isFraction(kind: MetricKind): boolean {
  return kind !== 'length';
}

/**
 * What a threshold is typed as in the form: a percentage (binary), a 0-1 fraction, a count (length), or a judge's
 * value as it reads it (a share of passing labels, or a mean score in the grader's range; the spec checks which).
 */
export function thresholdInput(kind: MetricKind): 'percent' | 'fraction' | 'count' | 'score' {
  if (kind === 'length') return 'count';
  if (kind === 'judge') return 'score';
  return METRIC_BINARY[kind] ? 'percent' : 'fraction';
}

/** "72.1 (68.0-76.3)"; with a negative bound the range reads "(−8.0 to 1.2)" so the minus sign is not lost. */
export function formatWithCI(
  value: number | null | undefined,
  ci: readonly [number, number] | null | undefined,
  kind: MetricKind,
): string {
  const v = formatValue(value, kind);
  if (!ci) return v;
  return `${v} ${formatInterval(ci, kind)}`;
}

export function formatEffectWithCI(estimate: number, ci: readonly [number, number], kind: MetricKind): string {
  return `${formatEffect(estimate, kind)} ${formatInterval(ci, kind)}`;
}

/** p-values: "<0.001", else three decimals ("0.042", "1.000"). */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Seconds as an ETA or duration: "45 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${rest} s`;
  }
  return `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Milliseconds: "85 ms", "1.42 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** One decimal below 100, none above: 3.24 -> "3.2", 412.7 -> "413". */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Math.abs(x) < 100 ? signed(x, 1) : signed(x, 0);
}

/** The progress line of a run: "12 / 32 outputs · 8 reused · 3.2 rows/s · ETA 7 s". */
export function progressLine(p: ExperimentProgress, running: boolean): string {
  const parts = [`${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} outputs`];
  if (p.reused > 0) parts.push(`${p.reused.toLocaleString('en-US')} reused`);
  if (running) {
    parts.push(p.rowsPerSecond === null ? 'measuring speed…' : `${formatNumber(p.rowsPerSecond)} rows/s`);
    if (p.etaSeconds !== null) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  }
  return parts.join(' · ');
}

export function percentDone(p: ExperimentProgress | null): number {
  if (!p || p.total === 0) return 0;
  return Math.min(100, (100 * p.done) / p.total);
}

export function shortHash(hash: string): string {
  return hash.slice(0, 8);
}

/** An effect's name from its terms: ['template'] -> "template", ['template','lora'] -> "template × LoRA adapter". */
export function termLabel(terms: readonly string[]): string {
  return terms.map((t) => (t in COMPONENT_LABELS ? COMPONENT_LABELS[t as Component] : t)).join(' × ');
}

/** How a per-example score tints its cell: full marks, none, or in between (null: not scored). */
export function scoreTone(score: number | null): 'pass' | 'fail' | 'partial' | null {
  if (score === null || !Number.isFinite(score)) return null;
  if (score >= 1 - 1e-9) return 'pass';
  if (score <= 1e-9) return 'fail';
  return 'partial';
}

/** "2025-03-04T10:20:30Z" -> "2025-03-04 10:20". */
export function formatDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
