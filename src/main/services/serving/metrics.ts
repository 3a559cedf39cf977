// Figures of served requests: percentiles and per-bucket summaries for the Observability section (from the request
// log), and the Prometheus text exposition of /metrics (counters since the server started, quantiles over the latest
// requests, the queue and the engine's memory now).
import { quantileSorted } from 'simple-statistics';
import type { ServedRequest, ServingBucket, ServingSummary } from '../../../shared/contract/serving';

export function percentile(sorted: readonly number[], p: number): number | null {
  return sorted.length === 0 ? null : quantileSorted([...sorted], p);
}

const sortedOf = (values: (number | null)[]): number[] =>
  values.filter((v): v is number => v !== null).sort((a, b) => a - b);

/** Requests grouped per model id and time bucket, oldest bucket first. */
export function summarize(
  requests: readonly ServedRequest[],
  bucketSeconds: number,
  engineMemoryBytes: number | null,
): ServingSummary {
  const groups = new Map<string, ServedRequest[]>();
  const bucketMs = bucketSeconds * 1000;
  for (const r of requests) {
    const start = Math.floor(Date.parse(r.at) / bucketMs) * bucketMs;
    const key = JSON.stringify([r.model ?? '(none)', start]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const buckets: ServingBucket[] = [...groups.entries()].map(([key, rows]) => {
    const [model, start] = JSON.parse(key) as [string, number];
    const ok = rows.filter((r) => r.outcome === 'ok');
    const latency = sortedOf(ok.map((r) => r.totalMs));
    const ttft = sortedOf(ok.map((r) => r.ttftMs));
    const batches = ok.map((r) => r.batchSize).filter((b): b is number => b !== null);
    const errors = rows.filter((r) => r.outcome === 'error').length;
    return {
      model,
      start: new Date(start).toISOString(),
      requests: rows.length,
      errors,
      errorRate: errors / rows.length,
      p50Ms: percentile(latency, 0.5),
      p95Ms: percentile(latency, 0.95),
      p99Ms: percentile(latency, 0.99),
      ttftP50Ms: percentile(ttft, 0.5),
      ttftP95Ms: percentile(ttft, 0.95),
      throughput: ok.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0) / bucketSeconds,
      meanBatch: batches.length === 0 ? null : batches.reduce((a, b) => a + b, 0) / batches.length,
    };
  });
  buckets.sort((a, b) => a.start.localeCompare(b.start) || a.model.localeCompare(b.model));
  const sizes = new Map<number, number>();
  for (const r of requests) if (r.batchSize !== null) sizes.set(r.batchSize, (sizes.get(r.batchSize) ?? 0) + 1);
  return {
    bucketSeconds,
    buckets,
    batchSizes: [...sizes.entries()].sort((a, b) => a[0] - b[0]).map(([size, n]) => ({ size, requests: n })),
    engineMemoryBytes,
    total: requests.length,
  };
}

const WINDOW = 1000;

/** Counters since the server started and the latest durations, for /metrics. */
export class LiveMetrics {
  private readonly counts = new Map<string, number>();
  private readonly tokens = new Map<string, { prompt: number; completion: number }>();
  private readonly batches = new Map<number, number>();
  private readonly recent: ServedRequest[] = [];

  add(r: ServedRequest): void {
    const model = r.model ?? '';
    const key = JSON.stringify([model, r.outcome, r.errorClass ?? '']);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const t = this.tokens.get(model) ?? { prompt: 0, completion: 0 };
    t.prompt += r.promptTokens ?? 0;
    t.completion += r.completionTokens ?? 0;
    this.tokens.set(model, t);
    if (r.batchSize !== null) this.batches.set(r.batchSize, (this.batches.get(r.batchSize) ?? 0) + 1);
    if (r.outcome === 'ok') {
      this.recent.push(r);
      if (this.recent.length > WINDOW) this.recent.shift();
    }
  }

  /** Prometheus text format 0.0.4. */
  text(now: { active: number; queued: number; engineMemoryBytes: number | null }): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    head('dovetail_requests_total', 'counter', 'Requests answered by the serving endpoint since it started.');
    for (const [key, n] of this.counts) {
      const [model, outcome, errorClass] = JSON.parse(key) as [string, string, string];
      out.push(`dovetail_requests_total${labels({ model, outcome, error_class: errorClass })} ${n}`);
    }
    head('dovetail_prompt_tokens_total', 'counter', 'Prompt tokens of answered requests.');
    for (const [model, t] of this.tokens) out.push(`dovetail_prompt_tokens_total${labels({ model })} ${t.prompt}`);
    head('dovetail_completion_tokens_total', 'counter', 'Generated tokens of answered requests.');
    for (const [model, t] of this.tokens)
      out.push(`dovetail_completion_tokens_total${labels({ model })} ${t.completion}`);
    this.summary(out, 'dovetail_request_duration_seconds', 'Total latency of the latest requests.', (r) => r.totalMs);
    this.summary(
      out,
      'dovetail_time_to_first_token_seconds',
      'Time to first token of the latest requests.',
      (r) => r.ttftMs,
    );
    this.summary(out, 'dovetail_queue_wait_seconds', 'Queue wait of the latest requests.', (r) => r.queueMs);
    head('dovetail_batch_requests_total', 'counter', 'Requests by the size of the engine batch they ran in.');
    for (const [size, n] of this.batches)
      out.push(`dovetail_batch_requests_total${labels({ size: String(size) })} ${n}`);
    head('dovetail_active_requests', 'gauge', 'Requests generating now.');
    out.push(`dovetail_active_requests ${now.active}`);
    head('dovetail_queued_requests', 'gauge', 'Requests waiting now.');
    out.push(`dovetail_queued_requests ${now.queued}`);
    if (now.engineMemoryBytes !== null) {
      head('dovetail_engine_resident_memory_bytes', 'gauge', "The engine worker's resident memory.");
      out.push(`dovetail_engine_resident_memory_bytes ${now.engineMemoryBytes}`);
    }
    return `${out.join('\n')}\n`;
  }

  private summary(out: string[], name: string, help: string, value: (r: ServedRequest) => number | null): void {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} summary`);
    const models = new Map<string, number[]>();
    for (const r of this.recent) {
      const v = value(r);
      if (v !== null) models.set(r.model ?? '', [...(models.get(r.model ?? '') ?? []), v / 1000]);
    }
    for (const [model, values] of models) {
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 0.99])
        out.push(`${name}${labels({ model, quantile: String(q) })} ${percentile(sorted, q) ?? 0}`);
      out.push(`${name}_sum${labels({ model })} ${values.reduce((a, b) => a + b, 0)}`);
      out.push(`${name}_count${labels({ model })} ${values.length}`);
    }
  }
}

function labels(values: Record<string, string>): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${Object.entries(values)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;
}
