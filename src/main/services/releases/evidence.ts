// Evidence for a release, taken from an experiment's results, a closed review round's or a project's recorded
// decision, for the release's own
// specialization: the snapshot is stored, so a later change elsewhere does not rewrite what a promotion relied on.
import type { ExperimentResults, Experiment } from '../../../shared/contract/experiments';
import type { Decision } from '../../../shared/contract/projects';
import type { DecisionEvidence, ExperimentEvidence, RoundEvidence } from '../../../shared/contract/releases';
import type { ReviewResults, Round } from '../../../shared/contract/reviews';
import { UserError } from '../../../shared/errors';

export function experimentEvidence(
  experiment: Experiment,
  results: ExperimentResults,
  datasetName: string,
  spec: { id: string; name: string },
): ExperimentEvidence {
  const cell = results.cells.find((c) => c.cell.specializationId === spec.id);
  if (!cell) {
    throw new UserError(`The experiment "${experiment.name}" did not evaluate "${spec.name}"`, {
      code: 'release-evidence',
      where: 'experimentIds',
      hint: 'Attach experiments that include this specialization (a comparison or its ablation).',
    });
  }
  if (cell.n === 0) {
    throw new UserError(`The experiment "${experiment.name}" has no results for "${spec.name}" yet`, {
      code: 'release-evidence',
      where: 'experimentIds',
      hint: 'Run it to the end first.',
    });
  }
  return {
    kind: 'experiment',
    experimentId: experiment.id,
    name: experiment.name,
    datasetVersionId: experiment.spec.datasetVersionId,
    datasetName,
    split: experiment.spec.split,
    n: cell.n,
    metrics: cell.metrics.map((m) => ({ label: m.label, value: m.value, ci: m.ci, n: m.n, pass: m.pass })),
    meanTotalMs: cell.meanTotalMs,
    meanTokensPerSecond: cell.meanTokensPerSecond,
    performance: cell.performance,
    verdict: results.ablation?.verdict ?? [],
  };
}

/** A round's results count only once it is closed (before, they are refused to keep its reviewers blind). */
export function requireClosed(round: Round): void {
  if (round.state !== 'closed') {
    throw new UserError(`The review round "${round.name}" is still open`, {
      code: 'release-evidence',
      where: 'roundIds',
      hint: 'Close the round first: its results count only once closed.',
    });
  }
}

export function roundEvidence(round: Round, results: ReviewResults, spec: { id: string; name: string }): RoundEvidence {
  requireClosed(round);
  const own = results.specializations.find((s) => s.id === spec.id);
  if (!own) {
    throw new UserError(`The review round "${round.name}" did not judge "${spec.name}"`, {
      code: 'release-evidence',
      where: 'roundIds',
      hint: 'Attach a round whose experiment includes this specialization.',
    });
  }
  const against = results.winRates.flatMap((w) => {
    if (w.a === own.name) return [{ name: w.b, n: w.n, rate: w.rateA, ci: w.ciA }];
    if (w.b === own.name) return [{ name: w.a, n: w.n, rate: w.rateB, ci: w.ciB }];
    return [];
  });
  const rank = results.bradleyTerry ? results.bradleyTerry.findIndex((s) => s.name === own.name) + 1 : 0;
  return { kind: 'round', roundId: round.id, name: round.name, n: results.n, against, rank: rank > 0 ? rank : null };
}

/** A recorded decision counts only when the option it chose is the release's specialization (same content hash). */
export function decisionEvidence(
  d: Decision,
  spec: { id: string; name: string; hash: string },
  hashOf: (specializationId: string) => string,
): DecisionEvidence {
  const chosen = d.options.find((o) => o.option === d.option);
  if (!chosen || hashOf(chosen.specializationId) !== spec.hash) {
    throw new UserError(`The decision chose "${chosen?.cell ?? d.option}", not "${spec.name}"`, {
      code: 'release-evidence',
      where: 'decisionIds',
      hint: 'Cite a decision on the release of the option it recommended.',
    });
  }
  return {
    kind: 'decision',
    decisionId: d.id,
    projectId: d.projectId,
    option: d.option,
    decidedBy: d.decidedBy,
    hash: d.hash,
    metric: d.metric,
    mean: chosen.mean,
    ci: chosen.ci,
    explanation: d.explanation,
    decidedAt: d.decidedAt,
  };
}
