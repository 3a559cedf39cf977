// A channel's performance budget against its current release: the figures its experiment evidence recorded (what a
// promotion was judged on) and, through the ServingFigures hook, the figures of the requests serving answered for it.
import { checkBudget, hasBudget, type PerformanceFigures } from '../../../shared/budget';
import type { Channel, ChannelBudget, ExperimentEvidence, Release } from '../../../shared/contract/releases';

/**
 * The serving side's per-request records summed up per release (p95 latency and time to first token over the
 * requests, mean tokens/s, the largest prompt in tokens, the engine's peak memory), since a time. The serving service
 * implements it and compose.ts hands it to the releases service; without one, serving figures read as absent.
 */
export interface ServingFigures {
  /** null when the release served no request (in the window the serving side keeps). */
  figuresFor(releaseId: string): Promise<{ since: string; figures: PerformanceFigures } | null>;
}

export async function channelBudget(
  channel: Channel,
  release: Release | null,
  serving: ServingFigures | undefined,
): Promise<ChannelBudget> {
  const budget = hasBudget(channel.gates.budget) ? channel.gates.budget : null;
  const judge = (figures: PerformanceFigures) => (budget === null ? [] : checkBudget(budget, figures));
  const measured =
    release === null
      ? undefined
      : release.evidence
          .filter((e): e is ExperimentEvidence & { addedAt: string; addedBy: string } => e.kind === 'experiment')
          .reverse()
          .find((e) => e.performance !== undefined);
  const served = release === null || serving === undefined ? null : await serving.figuresFor(release.id);
  return {
    channelId: channel.id,
    budget,
    releaseId: release?.id ?? null,
    evidence:
      measured?.performance === undefined
        ? null
        : { name: measured.name, figures: measured.performance, checks: judge(measured.performance) },
    serving: served === null ? null : { ...served, checks: judge(served.figures) },
  };
}
