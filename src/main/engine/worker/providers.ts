// The worker's provider methods: probeProviders (a tiny session on each provider, cached for the worker's life, since
// drivers do not appear while it runs) and executionInfo (what its sessions are created with).
import type { EngineMethods } from '../protocol';
import { allowsSpinning, executionTarget, probeProviders, sessionOptionsFor, type ProviderProbe } from '../runtime';
import type { HandlerTable } from './handler';

let probed: Promise<ProviderProbe[]> | undefined;

export const providerHandlers: Pick<HandlerTable<EngineMethods>, 'probeProviders' | 'executionInfo'> = {
  probeProviders: async ({ refresh }) => {
    if (refresh || !probed) {
      probed = probeProviders();
      probed.catch(() => (probed = undefined)); // a failed probe is not kept
    }
    return probed;
  },

  executionInfo: async (_params, ctx) => {
    const { requested, used, fallbackReason } = executionTarget.outcome;
    const { threads, spinThreads } = ctx.config;
    return {
      requestedProvider: requested,
      provider: used,
      fallbackReason,
      threads,
      intraOpNumThreads: sessionOptionsFor({ threads }, used).intraOpNumThreads ?? 0,
      spinThreads,
      intraOpAllowSpinning: allowsSpinning({ spinThreads }),
    };
  },
};
