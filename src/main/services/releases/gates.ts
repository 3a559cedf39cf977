// A channel's gates judged for one release, each in plain words, met or not: the promotion is refused while any is
// unmet, and the refusal lists them all. Pure: the service gathers what the gates read.
import type { ExperimentEvidence, GateCheck, Gates, Release, RoundEvidence } from '../../../shared/contract/releases';
import type { TemplateStatus } from '../../../shared/contract/templates';
import { checkBudget, hasBudget, type PerformanceBudget } from '../../../shared/budget';

export interface GateFacts {
  /** The status of the release's template version; null when it has none. */
  templateStatus: TemplateStatus | null;
  /** Dataset names by version id, for the gates' wording. */
  datasetName(versionId: string): string;
}

export function checkGates(release: Release, gates: Gates, facts: GateFacts): GateCheck[] {
  const checks: GateCheck[] = [];
  const experiments = release.evidence
    .filter((e): e is ExperimentEvidence & { addedAt: string; addedBy: string } => e.kind === 'experiment')
    .reverse();
  const rounds = release.evidence.filter(
    (e): e is RoundEvidence & { addedAt: string; addedBy: string } => e.kind === 'round',
  );
  if (gates.approvalByOther) {
    const others = release.approvals.filter((a) => a.userId !== release.authorId);
    checks.push(
      others.length > 0
        ? { gate: 'Approval', met: true, detail: `Approved by ${others.map((a) => a.name).join(', ')}` }
        : {
            gate: 'Approval',
            met: false,
            detail: `Needs an approval by someone other than its author, ${release.authorName}`,
          },
    );
  }
  if (gates.approvedTemplate) {
    const status = facts.templateStatus;
    checks.push(
      status === null || status === 'approved'
        ? {
            gate: 'Approved template',
            met: true,
            detail: status === null ? 'The release uses no template' : 'Its template version is approved',
          }
        : { gate: 'Approved template', met: false, detail: `Its template version is ${status}, not approved` },
    );
  }
  for (const gate of gates.metrics) {
    const where = `${facts.datasetName(gate.datasetVersionId)} (${gate.split})`;
    const name = `${gate.metric} on ${where}`;
    const found = experiments.flatMap((e) =>
      e.datasetVersionId === gate.datasetVersionId && e.split === gate.split
        ? e.metrics.filter((m) => m.label === gate.metric && m.value !== null).map((m) => ({ e, m }))
        : [],
    )[0];
    if (!found) {
      checks.push({
        gate: name,
        met: false,
        detail: `No attached experiment measured ${gate.metric} on ${where}; needs at least ${formatValue(gate.min)}`,
      });
      continue;
    }
    const value = found.m.value as number;
    const ci = found.m.ci
      ? ` (95% CI ${formatValue(found.m.ci[0])}-${formatValue(found.m.ci[1])}, n=${found.m.n})`
      : ` (n=${found.m.n})`;
    const met = value >= gate.min;
    checks.push({
      gate: name,
      met,
      detail: `${formatValue(value)}${ci} in "${found.e.name}"; ${met ? 'reaches' : 'below'} the threshold ${formatValue(gate.min)}`,
    });
  }
  if (hasBudget(gates.budget)) checks.push(...budgetGates(gates.budget, experiments));
  if (gates.reviewWin) checks.push(reviewGate(rounds));
  return checks;
}

/** Each limit of the budget as a gate, judged on the newest attached experiment that measured performance. */
function budgetGates(budget: PerformanceBudget, experiments: readonly ExperimentEvidence[]): GateCheck[] {
  const measured = experiments.find((e) => e.performance !== undefined);
  if (measured?.performance === undefined)
    return [
      {
        gate: 'Performance budget',
        met: false,
        detail: 'No attached experiment measured latency, speed, context and memory; attach one run with this version',
      },
    ];
  return checkBudget(budget, measured.performance).map((c) => ({
    gate: c.name,
    met: c.met,
    detail: `${c.detail} (in "${measured.name}")`,
  }));
}

function reviewGate(rounds: readonly RoundEvidence[]): GateCheck {
  const gate = 'Blind review';
  if (rounds.length === 0) return { gate, met: false, detail: 'No closed review round is attached' };
  const won = rounds.find((r) => r.against.length > 0 && r.against.every((a) => a.ci[0] > 0.5));
  if (won)
    return {
      gate,
      met: true,
      detail: `Won "${won.name}" against ${won.against.map((a) => `${a.name} (${formatValue(a.rate)}, 95% CI ${formatValue(a.ci[0])}-${formatValue(a.ci[1])}, n=${a.n})`).join(', ')}`,
    };
  const last = rounds[rounds.length - 1] as RoundEvidence;
  const losing = last.against
    .filter((a) => a.ci[0] <= 0.5)
    .map((a) => `${a.name} (${formatValue(a.rate)}, 95% CI ${formatValue(a.ci[0])}-${formatValue(a.ci[1])})`);
  return {
    gate,
    met: false,
    detail: `"${last.name}" does not show it better than ${losing.join(', ') || 'the others'}: the win rate's 95% CI must lie above 50%`,
  };
}

/** Rates as percentages, other values as they are. */
export function formatValue(v: number): string {
  return Math.abs(v) <= 1 ? `${(v * 100).toFixed(1)}%` : v.toFixed(2);
}
