// Serving figures: buckets per model with percentiles, error rate, throughput and batch sizes; and the Prometheus
// text of /metrics (counters, summaries with quantiles, label values escaped).
import { describe, expect, it } from 'vitest';
import type { ServedRequest } from '../../../shared/contract/serving';
import { LiveMetrics, summarize } from './metrics';

const request = (over: Partial<ServedRequest>): ServedRequest => ({
  id: 'r',
  at: '2026-01-01T00:00:05.000Z',
  endpoint: 'chat',
  model: 'triage@1.0.0',
  releaseId: 'rel',
  channel: null,
  stream: false,
  status: 200,
  outcome: 'ok',
  errorClass: null,
  promptTokens: 10,
  completionTokens: 20,
  queueMs: 1,
  ttftMs: 50,
  totalMs: 100,
  tokensPerSecond: 200,
  batchSize: 2,
  prompt: null,
  completion: null,
  ...over,
});

describe('summarize', () => {
  it('buckets per model and time, with percentiles of the successful requests and the error rate', () => {
    const rows = [
      ...[100, 200, 300, 400].map((totalMs) => request({ totalMs })),
      request({ outcome: 'error', status: 429, errorClass: 'rate_limit_exceeded', batchSize: null, totalMs: 1 }),
      request({ at: '2026-01-01T00:01:05.000Z', model: 'triage@production', batchSize: 1 }),
    ];
    const s = summarize(rows, 60, 1234);
    expect(s.buckets.map((b) => [b.model, b.start, b.requests])).toEqual([
      ['triage@1.0.0', '2026-01-01T00:00:00.000Z', 5],
      ['triage@production', '2026-01-01T00:01:00.000Z', 1],
    ]);
    const first = s.buckets[0]!;
    expect(first.errorRate).toBeCloseTo(0.2);
    expect(first.p50Ms).toBe(250);
    expect(first.p99Ms).toBeCloseTo(397); // interpolated between ranks, as simple-statistics does
    expect(first.throughput).toBeCloseTo(80 / 60);
    expect(s.batchSizes).toEqual([
      { size: 1, requests: 1 },
      { size: 2, requests: 4 },
    ]);
    expect(s.engineMemoryBytes).toBe(1234);
  });
});

describe('LiveMetrics', () => {
  it('writes counters and summaries in Prometheus text, escaping label values', () => {
    const live = new LiveMetrics();
    live.add(request({ model: 'odd "name"\\x' }));
    live.add(request({ outcome: 'error', errorClass: 'model_not_found', status: 404, batchSize: null }));
    const text = live.text({ active: 1, queued: 2, engineMemoryBytes: 99 });
    expect(text).toContain('dovetail_requests_total{model="odd \\"name\\"\\\\x",outcome="ok",error_class=""} 1');
    expect(text).toContain(
      'dovetail_requests_total{model="triage@1.0.0",outcome="error",error_class="model_not_found"} 1',
    );
    expect(text).toContain('# TYPE dovetail_request_duration_seconds summary');
    expect(text).toContain('dovetail_request_duration_seconds{model="odd \\"name\\"\\\\x",quantile="0.5"} 0.1');
    expect(text).toContain('dovetail_queued_requests 2');
    expect(text).toContain('dovetail_engine_resident_memory_bytes 99');
    expect(text.endsWith('\n')).toBe(true);
  });
});
