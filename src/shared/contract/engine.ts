// The engine worker as the UI sees it: its state, an explicit restart, and a self-test that runs a real graph.
import { z } from 'zod';
import { defineService, method } from './define';

export const EngineState = z.enum(['starting', 'ready', 'busy', 'crashed', 'restarting', 'stopped']);
export type EngineState = z.infer<typeof EngineState>;

export const EngineStatus = z.object({
  state: EngineState,
  /** Execution provider in use, e.g. "cpu". */
  provider: z.string().nullable(),
  ortVersion: z.string().nullable(),
  /** How many times the worker has been restarted after a crash or on request. */
  restarts: z.number().int().nonnegative(),
  /** Requests in flight. */
  pending: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** Provider chosen in settings; `provider` differs from it when sessions fell back to CPU. */
  requestedProvider: z.string().nullable().default(null),
  /** Why sessions run on CPU instead of the requested provider; null when there was no fallback. */
  fallbackReason: z.string().nullable().default(null),
});
export type EngineStatus = z.infer<typeof EngineStatus>;

export const SelfTestResult = z.object({
  /** Output of a small graph built in code, checked against the same computation in JS. */
  ok: z.boolean(),
  milliseconds: z.number(),
  provider: z.string(),
  detail: z.string(),
});
export type SelfTestResult = z.infer<typeof SelfTestResult>;

/** Whether one execution provider can create a session here, and if not, why (shown beside the settings choice). */
export const ProviderProbe = z.object({
  name: z.string(),
  /** Display name, e.g. "CUDA", "DirectML". */
  label: z.string(),
  available: z.boolean(),
  /** Why it is unavailable, with what to do where something can be done; null when available. */
  reason: z.string().nullable(),
});
export type ProviderProbe = z.infer<typeof ProviderProbe>;

export const engineContract = defineService(
  'engine',
  {
    status: method(z.object({}).strict(), EngineStatus),
    restart: method(z.object({}).strict(), EngineStatus),
    selfTest: method(z.object({ size: z.number().int().min(1).max(1024).default(64) }).strict(), SelfTestResult),
    /** Tries a tiny session on each provider (cached per worker; `refresh` probes again). */
    probeProviders: method(z.object({ refresh: z.boolean().default(false) }).strict(), z.array(ProviderProbe)),
  },
  {
    onStatus: EngineStatus,
  },
);
