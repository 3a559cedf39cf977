// Two releases side by side: which parts differ (by content hash), the evidence of each, and, where both were measured
// with the same metric on the same dataset version and split, the difference. The difference is of the two stored
// estimates; each keeps its own interval (no paired test: the evidence holds no per-example scores).
import type { ExperimentEvidence, Release } from '../../../../shared/contract/releases';
import type { LineageManifest, LineageObject } from '../../../../shared/lineage';
import { REPORT_SCHEMA, type ReportBlock, type ReportDocument } from '../../../../shared/report';
import { formatValue } from '../../releases/gates';
import { evidenceBlocks, releaseLabel } from './release-report';
import { short, when } from './format';

export interface ReleaseComparisonInput {
  a: Release;
  b: Release;
  lineage: LineageManifest;
}

const PARTS: Record<string, string> = {
  model: 'Model',
  adapter: 'Adapter',
  templateVersion: 'Template',
  demonstrationSetVersion: 'Demonstrations',
};

/** A part's slot: the kind, and for adapters what they train (a LoRA and a soft prompt are different slots). */
const slot = (o: LineageObject): string =>
  o.kind === 'adapter' ? `adapter:${String(o.detail['method'] ?? '')}` : o.kind;

export function buildReleaseComparison(input: ReleaseComparisonInput): ReportDocument {
  const { a, b } = input;
  const [la, lb] = [releaseLabel(a), releaseLabel(b)];
  const parts = (r: Release) => new Map(r.manifest.objects.filter((o) => o.kind in PARTS).map((o) => [slot(o), o]));
  const [pa, pb] = [parts(a), parts(b)];
  const slots = [...new Set([...pa.keys(), ...pb.keys()])];
  const cell = (o: LineageObject | undefined): string => (o ? `${o.name} (${short(o.hash)})` : 'none');
  const rows = slots.map((s) => {
    const [x, y] = [pa.get(s), pb.get(s)];
    const label = s.startsWith('adapter:') ? `Adapter (${s.slice('adapter:'.length)})` : (PARTS[s] as string);
    return [label, cell(x), cell(y), x?.hash != null && x.hash === y?.hash ? 'same' : 'differs'];
  });
  const decoding = (r: Release) =>
    String(r.manifest.objects.find((o) => o.kind === 'specialization')?.detail['decoding'] ?? '{}');
  rows.push(['Decoding settings', decoding(a), decoding(b), decoding(a) === decoding(b) ? 'same' : 'differs']);
  const differing = rows.filter((r) => r[3] === 'differs').map((r) => r[0]);
  const shared = sharedMeasurements(a, b);
  const blocks: ReportBlock[] = [
    {
      type: 'text',
      title: null,
      lines: [
        `${la} ("${a.specializationName}", made ${when(a.createdAt)} by ${a.authorName}) against ${lb} ("${b.specializationName}", made ${when(b.createdAt)} by ${b.authorName}).`,
        a.specializationHash === b.specializationHash
          ? 'Both releases freeze the same specialization content: they behave the same.'
          : `They differ in: ${differing.join(', ') || 'the specialization hash only'}.`,
      ],
    },
    {
      type: 'table',
      id: 'parts',
      title: 'Parts side by side (content hash, first 12 digits)',
      columns: ['Part', la, lb, 'Same content'],
      rows,
      note: 'Full hashes are in the lineage table.',
    },
    ...evidenceBlocks([
      { label: la, release: a },
      { label: lb, release: b },
    ]),
  ];
  if (shared.length === 0)
    blocks.push({
      type: 'text',
      title: 'Same metric on the same data',
      lines: ['No metric was measured on the same dataset version and split for both releases.'],
    });
  else {
    blocks.push({
      type: 'table',
      id: 'differences',
      title: `Same metric on the same data: ${lb} minus ${la}`,
      columns: ['Dataset', 'Split', 'Metric', la, `${la} 95% CI`, lb, `${lb} 95% CI`, 'Difference', 'Same experiment'],
      rows: shared.map((s) => [
        s.dataset,
        s.split,
        s.metric,
        formatValue(s.a.value),
        s.a.ci === null ? '—' : `${formatValue(s.a.ci[0])} to ${formatValue(s.a.ci[1])}`,
        formatValue(s.b.value),
        s.b.ci === null ? '—' : `${formatValue(s.b.ci[0])} to ${formatValue(s.b.ci[1])}`,
        difference(s.b.value - s.a.value, s.a.value, s.b.value),
        s.sameExperiment ? 'yes' : 'no',
      ]),
      note: 'Differences of the stored estimates; each interval is its release’s own. Overlapping intervals do not show that the releases differ: for a paired test run both in one experiment.',
    });
    blocks.push({
      type: 'intervals',
      title: `Same metric on the same data: ${la} and ${lb} (95% CI)`,
      unit: shared.every((s) => isRate(s.a.value) && isRate(s.b.value)) ? 'percent' : 'number',
      items: shared.flatMap((s) => [
        { label: `${s.metric}, ${s.dataset}: ${la}`, value: s.a.value, ci: s.a.ci, n: s.a.n },
        { label: `${s.metric}, ${s.dataset}: ${lb}`, value: s.b.value, ci: s.b.ci, n: s.b.n },
      ]),
    });
  }
  return {
    schema: REPORT_SCHEMA,
    kind: 'release-comparison',
    title: `${la} vs ${lb}`,
    subtitle: `Release comparison · ${a.specializationName} / ${b.specializationName}`,
    lineage: input.lineage,
    blocks,
  };
}

interface Measured {
  value: number;
  ci: [number, number] | null;
  n: number;
}

export interface SharedMeasurement {
  dataset: string;
  split: string;
  metric: string;
  a: Measured;
  b: Measured;
  sameExperiment: boolean;
}

/** Each (dataset version, split, metric) both releases have a value for, from their newest evidence of it. */
export function sharedMeasurements(a: Release, b: Release): SharedMeasurement[] {
  const measured = (r: Release) => {
    const out = new Map<string, { e: ExperimentEvidence; m: Measured }>();
    for (const e of r.evidence) {
      if (e.kind !== 'experiment') continue;
      for (const m of e.metrics)
        if (m.value !== null)
          out.set(`${e.datasetVersionId}\u0000${e.split}\u0000${m.label}`, {
            e,
            m: { value: m.value, ci: m.ci, n: m.n },
          });
    }
    return out;
  };
  const [ma, mb] = [measured(a), measured(b)];
  return [...ma].flatMap(([key, x]) => {
    const y = mb.get(key);
    if (!y) return [];
    const metric = key.split('\u0000')[2] as string;
    return [
      {
        dataset: x.e.datasetName,
        split: x.e.split,
        metric,
        a: x.m,
        b: y.m,
        sameExperiment: x.e.experimentId === y.e.experimentId,
      },
    ];
  });
}

const isRate = (v: number): boolean => v >= 0 && v <= 1;

function difference(d: number, x: number, y: number): string {
  if (isRate(x) && isRate(y)) return `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)} points`;
  return `${d >= 0 ? '+' : ''}${d.toFixed(2)}`;
}
