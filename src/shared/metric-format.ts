// How metric numbers read, the same in the app and in reports: proportions (binary metrics) as percentages with one
// decimal, other fractions (chrF, ROUGE-L, JSON fields) as 0-1 with three decimals, lengths as counts; intervals as
// "(68.0-76.3)"; differences signed, in points for proportions. Negative numbers use the minus sign.
import { METRIC_BINARY, type MetricKind } from './metrics';

const MINUS = '\u2212';

/** How a metric's numbers read: proportions (binary metrics) as percentages with one decimal, other fractions
 *  (chrF, ROUGE-L, JSON fields) as 0-1 with three decimals (as the verdict writes them), lengths as counts. */
export function scaleOf(kind: MetricKind): { factor: number; digits: number } {
  if (kind === 'length') return { factor: 1, digits: 1 };
  return METRIC_BINARY[kind] ? { factor: 100, digits: 1 } : { factor: 1, digits: 3 };
}

/** The unit a metric's numbers are shown in: "%" for proportions, "chars"/"tokens" for length, else "". */
export function metricUnit(kind: MetricKind, lengthUnit?: 'chars' | 'tokens'): string {
  if (kind === 'length') return lengthUnit ?? '';
  return METRIC_BINARY[kind] ? '%' : '';
}

export function signed(x: number, digits: number): string {
  const text = Math.abs(x).toFixed(digits);
  return x < 0 && Number(text) !== 0 ? `${MINUS}${text}` : text;
}

/** A metric value: 0.7214 -> "72.1" for proportions, "0.721" for chrF, 12.34 -> "12.3" for length; null -> "—". */
export function formatValue(value: number | null | undefined, kind: MetricKind): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const { factor, digits } = scaleOf(kind);
  return signed(value * factor, digits);
}

export function formatInterval(ci: readonly [number, number], kind: MetricKind): string {
  const [lo, hi] = ci;
  const sep = lo < 0 || hi < 0 ? ' to ' : '-';
  return `(${formatValue(lo, kind)}${sep}${formatValue(hi, kind)})`;
}

/** A difference between cells in the metric's units, signed: +4.2 / −3.1 (points for proportions). */
export function formatEffect(estimate: number, kind: MetricKind): string {
  const { factor, digits } = scaleOf(kind);
  const text = signed(estimate * factor, digits);
  return estimate > 0 && Number(text) !== 0 ? `+${text}` : text;
}
