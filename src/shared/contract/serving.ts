// Serving releases over a local OpenAI-compatible endpoint: starting and stopping the server, its API keys (shown
// once, stored hashed), its limits, and what every request recorded (the Observability section's data).
import { z } from 'zod';
import { defineService, method } from './define';

const Id = z.string().trim().min(1).max(64);
const count = z.number().int().nonnegative();

export const ServingLimits = z
  .object({
    /** Largest request body; a larger one is answered 413. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(256 * 1024),
    /** Largest max_tokens a request may ask for (and the default when a release sets none). */
    maxTokens: z.number().int().min(1).max(100_000).default(512),
    /** Engine runs at once: each one request, or with batching up to maxBatch requests of one release. */
    maxConcurrent: z.number().int().min(1).max(256).default(4),
    /** Requests waiting for a place; one more is answered 429. */
    maxQueue: z.number().int().min(0).max(10_000).default(32),
    /** Waiting requests of one release with the same decoding settings generate together in one engine run. */
    batching: z.boolean().default(true),
    /** Rows in one engine run. */
    maxBatch: z.number().int().min(1).max(64).default(8),
  })
  .strict();
export type ServingLimits = z.infer<typeof ServingLimits>;

export const StartServing = z
  .object({
    /** The interface to listen on; loopback unless the user chooses another (and says so with allowNetwork). */
    host: z.string().trim().min(1).max(64).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8089),
    /** Required to bind anything but loopback: other machines on that network can then reach the endpoint. */
    allowNetwork: z.boolean().default(false),
    limits: ServingLimits.prefault({}),
  })
  .strict();
export type StartServing = z.infer<typeof StartServing>;

export const ServingStatus = z.object({
  running: z.boolean(),
  host: z.string().nullable(),
  port: count.nullable(),
  /** The base URL an OpenAI client takes (…/v1). */
  baseUrl: z.string().nullable(),
  /** Set when the endpoint is reachable from other machines. */
  warning: z.string().nullable(),
  limits: ServingLimits,
  startedAt: z.string().nullable(),
  /** Requests generating and waiting now. */
  activeRequests: count,
  queuedRequests: count,
});
export type ServingStatus = z.infer<typeof ServingStatus>;

/** One model id the endpoint answers: a release (`name@1.2.0`) or a channel (`name@production`). */
export const ServedModel = z.object({
  id: z.string(),
  releaseId: z.string(),
  releaseName: z.string(),
  version: z.string(),
  channel: z.string().nullable(),
  createdAt: z.string(),
});
export type ServedModel = z.infer<typeof ServedModel>;

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  /** The key's first characters, to tell keys apart; the key itself is kept only as a hash. */
  prefix: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const RequestOutcome = z.enum(['ok', 'cancelled', 'error']);

/** What one request to the endpoint recorded (no text unless the log settings keep it). */
export const ServedRequest = z.object({
  id: z.string(),
  at: z.string(),
  endpoint: z.enum(['chat', 'completions', 'other']),
  /** The model id as asked (null: none given or unreadable). */
  model: z.string().nullable(),
  releaseId: z.string().nullable(),
  channel: z.string().nullable(),
  stream: z.boolean(),
  status: count,
  outcome: RequestOutcome,
  /** invalid_api_key, model_not_found, request_too_large, rate_limit_exceeded, invalid_request_error, server_error. */
  errorClass: z.string().nullable(),
  promptTokens: count.nullable(),
  completionTokens: count.nullable(),
  queueMs: z.number().nullable(),
  ttftMs: z.number().nullable(),
  totalMs: z.number(),
  tokensPerSecond: z.number().nullable(),
  /** Rows in the engine run this request was generated in. */
  batchSize: count.nullable(),
  prompt: z.string().nullable(),
  completion: z.string().nullable(),
});
export type ServedRequest = z.infer<typeof ServedRequest>;

export const LogSettings = z
  .object({
    /** Keep prompt and completion text with each request (off: only counts and timings). */
    recordText: z.boolean().default(false),
    /** Days to keep request records (null: keep them). */
    retentionDays: z.number().int().min(1).max(3650).nullable().default(30),
  })
  .strict();
export type LogSettings = z.infer<typeof LogSettings>;

const nullableMs = z.number().nullable();

/** Figures of one model id over one time bucket. */
export const ServingBucket = z.object({
  model: z.string(),
  start: z.string(),
  requests: count,
  errors: count,
  errorRate: z.number(),
  p50Ms: nullableMs,
  p95Ms: nullableMs,
  p99Ms: nullableMs,
  ttftP50Ms: nullableMs,
  ttftP95Ms: nullableMs,
  /** Completion tokens per second of wall time in the bucket. */
  throughput: z.number(),
  meanBatch: z.number().nullable(),
});
export type ServingBucket = z.infer<typeof ServingBucket>;

export const ServingSummary = z.object({
  bucketSeconds: count,
  buckets: z.array(ServingBucket),
  /** Requests per engine batch size (1, 2, ...). */
  batchSizes: z.array(z.object({ size: count, requests: count })),
  /** The engine worker's resident memory when asked (null: not reachable). */
  engineMemoryBytes: count.nullable(),
  total: count,
});
export type ServingSummary = z.infer<typeof ServingSummary>;

const window = z
  .object({
    /** ISO time; default: the last hour. */
    since: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const servingContract = defineService(
  'serving',
  {
    status: method(z.object({}).strict(), ServingStatus),
    /** Starts the endpoint on the workspace open now (stops with it); refused off loopback without allowNetwork. */
    start: method(StartServing, ServingStatus),
    stop: method(z.object({}).strict(), ServingStatus),
    /** The model ids the endpoint answers now. */
    models: method(z.object({}).strict(), z.array(ServedModel)),
    keys: method(z.object({}).strict(), z.array(ApiKey)),
    /** A new key: `secret` is shown this once and never stored. */
    createKey: method(
      z.object({ name: z.string().trim().min(1).max(80) }).strict(),
      z.object({ key: ApiKey, secret: z.string() }),
    ),
    revokeKey: method(z.object({ id: Id }).strict(), ApiKey),
    requests: method(
      window.extend({ limit: z.number().int().min(1).max(5000).default(200) }).strict(),
      z.array(ServedRequest),
    ),
    summary: method(
      window.extend({ bucketSeconds: z.number().int().min(1).max(86_400).default(60) }).strict(),
      ServingSummary,
    ),
    /** Every recorded request in the window as CSV. */
    exportCsv: method(window, z.object({ fileName: z.string(), text: z.string() })),
    logSettings: method(z.object({}).strict(), LogSettings),
    setLogSettings: method(LogSettings, LogSettings),
  },
  {
    onStatus: ServingStatus,
    /** A request was recorded. */
    onRequest: z.object({ id: z.string(), model: z.string().nullable() }),
  },
);
