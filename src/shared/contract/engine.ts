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

export const engineContract = defineService(
  'engine',
  {
    status: method(z.object({}).strict(), EngineStatus),
    restart: method(z.object({}).strict(), EngineStatus),
    selfTest: method(z.object({ size: z.number().int().min(1).max(1024).default(64) }).strict(), SelfTestResult),
  },
  {
    onStatus: EngineStatus,
  },
);
