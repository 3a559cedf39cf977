// The serving summary shaped for line charts: one x axis of bucket start times shared by every model, and per model
// a series of one figure (null where the model had no request in that bucket, so lines break instead of lying).
import type { ServingBucket } from '../../../../shared/contract';

export type Figure = 'p50Ms' | 'p95Ms' | 'p99Ms' | 'ttftP50Ms' | 'ttftP95Ms' | 'throughput' | 'errorRate';

export interface ChartSeries {
  readonly label: string;
  readonly data: (number | null)[];
}

export interface ChartData {
  readonly times: Date[];
  readonly series: ChartSeries[];
}

export function chartData(
  buckets: readonly ServingBucket[],
  figures: readonly Figure[],
  names: Record<Figure, string>,
): ChartData {
  const starts = [...new Set(buckets.map((b) => b.start))].sort();
  const models = [...new Set(buckets.map((b) => b.model))].sort();
  const at = new Map(buckets.map((b) => [`${b.model}\u0000${b.start}`, b]));
  const series: ChartSeries[] = [];
  for (const model of models)
    for (const figure of figures)
      series.push({
        label: figures.length === 1 ? model : `${model} ${names[figure]}`,
        data: starts.map((s) => at.get(`${model}\u0000${s}`)?.[figure] ?? null),
      });
  return { times: starts.map((s) => new Date(s)), series };
}

/** "12.3 MB"-style bytes. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
