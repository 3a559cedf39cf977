// Wording of releases, evidence and gates for the Releases section.
import { budgetSummary } from '../../../../shared/budget';
import type { Evidence, Gates, Release } from '../../../../shared/contract';

export function releaseLabel(r: Pick<Release, 'name' | 'version'>): string {
  return `${r.name} ${r.version}`;
}

export function percent(v: number | null): string {
  return v === null ? '—' : Math.abs(v) <= 1 ? `${(v * 100).toFixed(1)}%` : v.toFixed(2);
}

export function evidenceLines(e: Evidence): string[] {
  if (e.kind === 'experiment') {
    const metrics = e.metrics.map(
      (m) =>
        `${m.label} ${percent(m.value)}${m.ci ? ` (95% CI ${percent(m.ci[0])}-${percent(m.ci[1])})` : ''}, n=${m.n}`,
    );
    const speed = [
      e.meanTotalMs === null ? null : `${e.meanTotalMs.toFixed(0)} ms per call`,
      e.meanTokensPerSecond === null ? null : `${e.meanTokensPerSecond.toFixed(1)} tokens/s`,
    ]
      .filter(Boolean)
      .join(', ');
    return [
      `Experiment "${e.name}" on ${e.datasetName} (${e.split})`,
      ...metrics,
      ...(speed ? [speed] : []),
      ...e.verdict,
    ];
  }
  if (e.kind === 'decision') {
    return [
      `Decision: ${e.option} (decided by ${e.decidedBy}; sha256 ${e.hash.slice(0, 12)}…)`,
      `${e.metric} ${percent(e.mean)} (95% CI ${percent(e.ci[0])}-${percent(e.ci[1])})`,
      ...e.explanation,
    ];
  }
  const against = e.against.map(
    (a) => `won ${percent(a.rate)} against ${a.name} (95% CI ${percent(a.ci[0])}-${percent(a.ci[1])}, n=${a.n})`,
  );
  return [
    `Review round "${e.name}" (${e.n} judgments)`,
    ...against,
    ...(e.rank === null ? [] : [`Bradley-Terry rank ${e.rank}`]),
  ];
}

export function gatesSummary(g: Gates): string {
  const parts = [
    g.approvalByOther ? 'approval by another person' : null,
    g.approvedTemplate ? 'approved template' : null,
    ...g.metrics.map((m) => `${m.metric} >= ${percent(m.min)}`),
    ...(g.budget === null ? [] : budgetSummary(g.budget)),
    g.reviewWin ? 'won a blind review' : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'No gates' : `Gates: ${parts.join(', ')}`;
}

/** The next minor version after the newest of a release name (1.0.0 for a new name). */
export function nextVersion(releases: readonly Release[], name: string): string {
  const versions = releases.filter((r) => r.name === name).map((r) => r.version.split(/[.-]/).slice(0, 3).map(Number));
  if (versions.length === 0) return '1.0.0';
  versions.sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0) || (b[1] ?? 0) - (a[1] ?? 0) || (b[2] ?? 0) - (a[2] ?? 0));
  const [major = 0, minor = 0] = versions[0] ?? [];
  return `${major}.${minor + 1}.0`;
}
