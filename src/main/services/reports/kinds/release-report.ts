// The release report as a document: what the release contains (its frozen lineage), the evidence attached to it, each
// channel's gates judged for it with the evidence they read, and the history of the channels it has been on.
import type { ChannelMove, GateCheck, Release } from '../../../../shared/contract/releases';
import type { LineageManifest } from '../../../../shared/lineage';
import { REPORT_SCHEMA, type ReportBlock, type ReportDocument } from '../../../../shared/report';
import { formatValue } from '../../releases/gates';
import { lineageRows } from '../../../../shared/lineage-table';
import { interval, pct, when } from './format';

export interface ReleaseReportInput {
  release: Release;
  /** Each channel's gates judged for this release now, and whether the channel serves it. */
  gates: readonly { channel: string; serves: boolean; checks: readonly GateCheck[] }[];
  /** The moves of every channel this release has been on, oldest first. */
  history: readonly { channel: string; move: ChannelMove }[];
  /** Release labels ("triage 1.2.0") by id, for the history's from and to. */
  releaseLabel(id: string): string;
  lineage: LineageManifest;
}

export const releaseLabel = (r: Pick<Release, 'name' | 'version'>): string => `${r.name} ${r.version}`;

export function buildReleaseReport(input: ReleaseReportInput): ReportDocument {
  const { release: r } = input;
  const serving = input.gates.filter((g) => g.serves).map((g) => g.channel);
  const blocks: ReportBlock[] = [
    {
      type: 'text',
      title: null,
      lines: [
        `Release ${releaseLabel(r)} of the specialization "${r.specializationName}" (content hash ${r.specializationHash}), made by ${r.authorName} on ${when(r.createdAt)}.`,
        r.approvals.length === 0
          ? 'Not approved by anyone yet.'
          : `Approved by ${r.approvals.map((a) => `${a.name} (${when(a.at)})`).join(', ')}.`,
        serving.length === 0 ? 'No channel serves it now.' : `Served now by: ${serving.join(', ')}.`,
        ...(r.notes.trim() === '' ? [] : [`Notes: ${r.notes.trim()}`]),
      ],
    },
    {
      type: 'table',
      id: 'contents',
      title: 'What is in it (frozen when the release was made)',
      columns: ['Part', 'Name', 'Details', 'Content hash (sha256)'],
      rows: lineageRows(r.manifest),
      note: `Frozen by ${r.manifest.actor.name} on ${when(r.manifest.createdAt)} with Dovetail ${r.manifest.appVersion}.`,
    },
    ...evidenceBlocks([{ label: null, release: r }]),
  ];
  if (input.gates.length > 0)
    blocks.push({
      type: 'table',
      id: 'gates',
      title: "Each channel's gates, judged for this release now",
      columns: ['Channel', 'Gate', 'Met', 'Evidence'],
      rows: input.gates.flatMap((g) =>
        g.checks.length === 0
          ? [[g.channel, 'none', 'yes', 'The channel has no gates']]
          : g.checks.map((c) => [g.channel, c.gate, c.met ? 'yes' : 'NO', c.detail]),
      ),
      note: null,
    });
  blocks.push(
    input.history.length === 0
      ? { type: 'text', title: 'Channel history', lines: ['No channel has served this release.'] }
      : {
          type: 'table',
          id: 'channel-history',
          title: 'Channel history (every move of the channels this release has been on)',
          columns: ['Channel', 'Move', 'From', 'To', 'By', 'When'],
          rows: input.history.map(({ channel, move: m }) => [
            channel,
            m.kind === 'promote' ? 'promotion' : 'rollback',
            m.fromReleaseId === null ? '—' : input.releaseLabel(m.fromReleaseId),
            m.toReleaseId === null ? '—' : input.releaseLabel(m.toReleaseId),
            m.actorName,
            when(m.at),
          ]),
          note: null,
        },
  );
  return {
    schema: REPORT_SCHEMA,
    kind: 'release',
    title: releaseLabel(r),
    subtitle: `Release · ${r.specializationName}`,
    lineage: input.lineage,
    blocks,
  };
}

/** The evidence of one or more releases (a comparison labels each row with its release). */
export function evidenceBlocks(releases: readonly { label: string | null; release: Release }[]): ReportBlock[] {
  const col = releases.some((x) => x.label !== null) ? ['Release'] : [];
  const lead = (label: string | null): string[] => (label === null ? [] : [label]);
  const experiments = releases.flatMap(({ label, release }) =>
    release.evidence.flatMap((e) => (e.kind === 'experiment' ? [{ label, e }] : [])),
  );
  const rounds = releases.flatMap(({ label, release }) =>
    release.evidence.flatMap((e) => (e.kind === 'round' ? [{ label, e }] : [])),
  );
  const decisions = releases.flatMap(({ label, release }) =>
    release.evidence.flatMap((e) => (e.kind === 'decision' ? [{ label, e }] : [])),
  );
  const blocks: ReportBlock[] = [];
  if (experiments.length === 0 && rounds.length === 0 && decisions.length === 0)
    return [{ type: 'text', title: 'Evidence', lines: ['No evidence is attached.'] }];
  if (experiments.length > 0) {
    blocks.push({
      type: 'table',
      id: 'evidence-metrics',
      title: 'Evidence: metrics measured in experiments (snapshot taken when attached)',
      columns: [...col, 'Experiment', 'Dataset', 'Split', 'Metric', 'Value', '95% CI', 'n', 'Threshold', 'Attached'],
      rows: experiments.flatMap(({ label, e }) =>
        e.metrics.map((m) => [
          ...lead(label),
          e.name,
          e.datasetName,
          e.split,
          m.label,
          m.value === null ? '—' : formatValue(m.value),
          m.ci === null ? '—' : `${formatValue(m.ci[0])} to ${formatValue(m.ci[1])}`,
          m.n,
          m.pass === null ? 'none' : m.pass ? 'pass' : 'FAIL',
          `${when(e.addedAt)} by ${e.addedBy}`,
        ]),
      ),
      note: null,
    });
    blocks.push({
      type: 'table',
      id: 'evidence-speed',
      title: 'Evidence: latency and speed measured in experiments',
      columns: [...col, 'Experiment', 'Examples', 'Mean latency (ms)', 'Mean tokens/s'],
      rows: experiments.map(({ label, e }) => [
        ...lead(label),
        e.name,
        e.n,
        e.meanTotalMs === null ? '—' : Math.round(e.meanTotalMs),
        e.meanTokensPerSecond === null ? '—' : Math.round(e.meanTokensPerSecond * 10) / 10,
      ]),
      note: null,
    });
  }
  if (rounds.length > 0)
    blocks.push({
      type: 'table',
      id: 'evidence-reviews',
      title: 'Evidence: blind review rounds (win rate against each other specialization, 95% Wilson CI)',
      columns: [...col, 'Round', 'Against', 'n', 'Win rate', '95% CI', 'Bradley-Terry rank', 'Attached'],
      rows: rounds.flatMap(({ label, e }) =>
        e.against.map((a) => [
          ...lead(label),
          e.name,
          a.name,
          a.n,
          pct(a.rate),
          interval(a.ci, pct),
          e.rank ?? '—',
          `${when(e.addedAt)} by ${e.addedBy}`,
        ]),
      ),
      note: null,
    });
  if (decisions.length > 0)
    blocks.push({
      type: 'table',
      id: 'evidence-decisions',
      title: "Evidence: projects' recorded prompt/adapter decisions",
      columns: [...col, 'Option chosen', 'Metric', 'Mean', '95% CI', 'Decided by', 'Decision hash (sha256)'],
      rows: decisions.map(({ label, e }) => [
        ...lead(label),
        e.option,
        e.metric,
        formatValue(e.mean),
        `${formatValue(e.ci[0])} to ${formatValue(e.ci[1])}`,
        `${e.decidedBy}, ${when(e.decidedAt)}`,
        e.hash,
      ]),
      note: null,
    });
  return blocks;
}
