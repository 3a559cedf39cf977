// The engine methods about execution providers (probeProviders, executionInfo), entered in protocol.ts's table, and
// the outcome the worker reports when its sessions run on another provider than the one requested.
import { z } from 'zod';
import { ProviderProbe } from '../../shared/contract/engine';
import { ExecutionProvider } from '../../shared/contract/settings';

/** Requested provider, the one sessions run on, and why they differ (null when they do not). */
export const ProviderOutcomeMessage = z.object({
  requestedProvider: ExecutionProvider,
  provider: ExecutionProvider,
  fallbackReason: z.string().nullable(),
});
export type ProviderOutcomeMessage = z.infer<typeof ProviderOutcomeMessage>;

export const providerMethods = {
  /** Tries a tiny session on each provider with that provider only; cached per worker unless `refresh`. */
  probeProviders: {
    params: z.object({ refresh: z.boolean().default(false) }).strict(),
    result: z.array(ProviderProbe.extend({ name: ExecutionProvider })),
    progress: z.never(),
  },
  /** What this worker's sessions get: its config and the ORT options built from it, and the provider outcome. */
  executionInfo: {
    params: z.object({}).strict(),
    result: ProviderOutcomeMessage.extend({
      /** WorkerConfig.threads as the worker received it. */
      threads: z.number().int().nonnegative(),
      /** intraOpNumThreads in the options sessions are created with (0 = ORT's default). */
      intraOpNumThreads: z.number().int().nonnegative(),
      /** WorkerConfig.spinThreads as the worker received it. */
      spinThreads: z.boolean(),
      /** intra_op.allow_spinning in the options inference sessions are created with (training's never spin). */
      intraOpAllowSpinning: z.boolean(),
    }),
    progress: z.never(),
  },
};
