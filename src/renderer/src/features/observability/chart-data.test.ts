// Serving buckets into chart series: one shared time axis, gaps as null, one series per model and figure.
import { describe, expect, it } from 'vitest';
import type { ServingBucket } from '../../../../shared/contract';
import { chartData, formatBytes, type Figure } from './chart-data';

const bucket = (model: string, start: string, p50Ms: number): ServingBucket => ({
  model,
  start,
  requests: 1,
  errors: 0,
  errorRate: 0,
  p50Ms,
  p95Ms: p50Ms * 2,
  p99Ms: p50Ms * 3,
  ttftP50Ms: 1,
  ttftP95Ms: 2,
  throughput: 10,
  meanBatch: 1,
});
const names = { p50Ms: 'p50', p95Ms: 'p95' } as Record<Figure, string>;

describe('chartData', () => {
  it('aligns models on one time axis and leaves their missing buckets empty', () => {
    const data = chartData(
      [
        bucket('a@1.0.0', '2026-01-01T00:01:00.000Z', 5),
        bucket('a@1.0.0', '2026-01-01T00:00:00.000Z', 4),
        bucket('b@prod', '2026-01-01T00:01:00.000Z', 9),
      ],
      ['p50Ms', 'p95Ms'],
      names,
    );
    expect(data.times.map((t) => t.toISOString())).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z']);
    expect(data.series).toEqual([
      { label: 'a@1.0.0 p50', data: [4, 5] },
      { label: 'a@1.0.0 p95', data: [8, 10] },
      { label: 'b@prod p50', data: [null, 9] },
      { label: 'b@prod p95', data: [null, 18] },
    ]);
  });

  it('labels series by model alone when one figure is charted, and writes bytes in plain units', () => {
    expect(chartData([bucket('a', '2026-01-01T00:00:00.000Z', 1)], ['p50Ms'], names).series[0]?.label).toBe('a');
    expect(formatBytes(123_456_789)).toBe('123.5 MB');
    expect(formatBytes(null)).toBe('unknown');
  });
});
