// The experiment (or ablation) report as a document: what was compared on which data, the verdict, the effects and
// interactions with CIs, threshold results, metrics per cell with n, charts, and where the cells disagree. Labels are
// the names people gave things (specialization names, component names), never internal keys.
import { COMPONENT_LABELS, type Component } from '../../../shared/contract/specializations';
import type { Experiment, ExperimentCell, ExperimentResults, OutputRow } from '../../../shared/contract/experiments';
import type { LineageManifest } from '../../../shared/lineage';
import { formatEffect, formatValue } from '../../../shared/metric-format';
import { METRIC_BINARY, type MetricKind } from '../../../shared/metrics';
import { REPORT_SCHEMA, type ReportBlock, type ReportDocument } from '../../../shared/report';

export interface ExperimentReportInput {
  experiment: Experiment;
  results: ExperimentResults;
  rows: readonly OutputRow[];
  lineage: LineageManifest;
  datasetName: string;
  /** Specialization names by id (compare designs label cells by them). */
  specializationName(id: string): string;
  /** Sections placed before the results (the demo's training summary). */
  preface?: readonly { title: string; lines: string[] }[];
}

/** A metric's value as the app shows it ("72.1%", "0.721", "12.3"), and a difference ("+4.2 pts", "+0.031"). */
const valueOf =
  (kind: MetricKind) =>
  (v: number | null): string =>
    v === null ? '—' : `${formatValue(v, kind)}${METRIC_BINARY[kind] ? '%' : ''}`;
const diffOf =
  (kind: MetricKind) =>
  (v: number): string =>
    `${formatEffect(v, kind)}${METRIC_BINARY[kind] ? ' pts' : ''}`;
const interval = (c: readonly [number, number] | null, f: (v: number) => string): string =>
  c === null ? '—' : `${f(c[0])} to ${f(c[1])}`;
const chartUnit = (kind: MetricKind, difference: boolean) =>
  METRIC_BINARY[kind] ? (difference ? ('points' as const) : ('percent' as const)) : ('number' as const);
const pValue = (p: number): string => (p < 0.001 ? '< 0.001' : p.toFixed(3));

export function componentsLabel(components: readonly Component[]): string {
  return components.length === 0 ? 'base model' : components.map((c) => COMPONENT_LABELS[c]).join(' + ');
}

export function buildExperimentReport(input: ExperimentReportInput): ReportDocument {
  const { experiment: e, results: r } = input;
  const label = (cell: ExperimentCell): string =>
    cell.mask === null ? input.specializationName(cell.specializationId) : componentsLabel(cell.components);
  const kindOf = (metric: number): MetricKind => e.spec.metrics[metric]?.kind ?? 'exact_match';
  const primary = kindOf(0);
  const blocks: ReportBlock[] = [];
  blocks.push({
    type: 'text',
    title: null,
    lines: [
      `${e.spec.design.kind === 'ablation' ? 'Ablation' : 'Comparison'} on ${input.datasetName}, ${e.spec.split} split${e.spec.limit === null ? '' : ` (first ${e.spec.limit} rows)`}: ${r.n} paired examples, ${e.cells.length} configurations.`,
      `Bootstrap and permutation seed ${e.spec.seed}; ${r.complete ? 'every output present' : 'incomplete: some outputs are missing'}.`,
      ...(r.passed === null
        ? []
        : [
            `Thresholds: ${r.passed ? 'every thresholded metric passes' : 'at least one thresholded metric fails'} (see the metrics table).`,
          ]),
    ],
  });
  for (const p of input.preface ?? []) blocks.push({ type: 'text', title: p.title, lines: [...p.lines] });
  if (r.versusBase) {
    blocks.push({
      type: 'table',
      id: 'versus-base',
      title: `Against the base model (${r.versusBase.base}; paired, Holm-adjusted p)`,
      columns: [
        'Configuration',
        'Metric',
        'Base',
        'Configuration value',
        'Difference',
        '95% CI',
        'p (Holm)',
        'Significant',
      ],
      rows: r.versusBase.rows.map((x) => [
        x.cell,
        x.label,
        valueOf(kindOf(x.metric))(x.baseValue),
        valueOf(kindOf(x.metric))(x.value),
        diffOf(kindOf(x.metric))(x.estimate),
        interval(x.ci, diffOf(kindOf(x.metric))),
        pValue(x.pHolm),
        x.significant ? 'yes' : 'no',
      ]),
      note: null,
    });
  }
  const a = r.ablation;
  if (a) {
    blocks.push({ type: 'text', title: 'Verdict', lines: a.verdict });
    blocks.push({
      type: 'intervals',
      title: `${a.metric} per configuration (mean, 95% bootstrap CI, n = ${a.n})`,
      unit: chartUnit(primary, false),
      items: a.cells.map((c) => ({ label: componentsLabel(c.components), value: c.mean, ci: c.ci, n: a.n })),
    });
    blocks.push({
      type: 'intervals',
      title: `Effects on ${a.metric} (95% CI)`,
      unit: chartUnit(primary, true),
      items: a.effects.map((x) => ({ label: x.terms.join(' × '), value: x.estimate, ci: x.ci, n: a.n })),
    });
    blocks.push({
      type: 'table',
      id: 'effects',
      title: `Effects and interactions on ${a.metric}`,
      columns: ['Effect', 'Estimate', '95% CI', 'p', 'p (Holm)', 'Test'],
      rows: a.effects.map((x) => [
        x.terms.join(' × '),
        diffOf(primary)(x.estimate),
        interval(x.ci, diffOf(primary)),
        pValue(x.p),
        pValue(x.pHolm),
        x.test,
      ]),
      note: `n = ${a.n} paired examples; ${a.resamples} resamples, seed ${a.seed}.`,
    });
    blocks.push({
      type: 'table',
      id: 'comparisons',
      title: 'Paired comparisons',
      columns: ['Comparison', 'Difference', '95% CI', 'p (Holm)', 'Test'],
      rows: [
        [
          'full specialization vs base model (unadjusted p)',
          diffOf(primary)(a.fullVsBase.estimate),
          interval(a.fullVsBase.ci, diffOf(primary)),
          pValue(a.fullVsBase.p),
          a.fullVsBase.test,
        ],
        ...a.comparisons.map((x) => [
          x.label,
          diffOf(primary)(x.estimate),
          interval(x.ci, diffOf(primary)),
          pValue(x.pHolm),
          x.test,
        ]),
      ],
      note: null,
    });
  }
  const metricNames = r.cells[0]?.metrics.map((m) => m.label) ?? [];
  blocks.push({
    type: 'table',
    id: 'metrics-per-cell',
    title: 'Metrics per configuration',
    columns: [
      'Configuration',
      'n',
      ...metricNames.flatMap((m) => [m, `${m} 95% CI`, `${m} threshold`]),
      'Prompt tokens',
      'Output tokens',
      'Latency (ms)',
      'Tokens/s',
    ],
    rows: r.cells.map((c) => [
      label(c.cell),
      c.n,
      ...c.metrics.flatMap((m, i) => [
        valueOf(kindOf(i))(m.value),
        interval(m.ci, valueOf(kindOf(i))),
        m.pass === null ? 'none' : m.pass ? 'pass' : 'FAIL',
      ]),
      round(c.meanPromptTokens),
      round(c.meanOutputTokens),
      c.meanTotalMs === null ? null : round(c.meanTotalMs),
      c.meanTokensPerSecond === null ? null : round(c.meanTokensPerSecond),
    ]),
    note: null,
  });
  for (const [i, name] of metricNames.entries()) {
    if (a && i === 0) continue;
    blocks.push({
      type: 'intervals',
      title: `${name} per configuration (95% CI)`,
      unit: chartUnit(kindOf(i), false),
      items: r.cells.flatMap((c) => {
        const m = c.metrics[i];
        return m && m.value !== null ? [{ label: label(c.cell), value: m.value, ci: m.ci, n: m.n }] : [];
      }),
    });
  }
  const disagree = input.rows.filter((x) => x.disagree);
  const worst = [...input.rows]
    .sort((x, y) => minScore(x) - minScore(y))
    .filter((x) => x.failed)
    .slice(0, 5);
  const example = (row: OutputRow) => ({
    title: Object.values(row.input).map(String).join(' | ').slice(0, 200),
    expected: row.reference,
    outputs: row.outputs.map((o, k) => ({
      label: e.cells[k] ? label(e.cells[k]) : `#${k + 1}`,
      text: o.text,
      score: o.score,
    })),
  });
  if (worst.length > 0)
    blocks.push({
      type: 'examples',
      title: `Worst examples (${worst.length} of ${input.rows.filter((x) => x.failed).length} with a failure)`,
      items: worst.map(example),
    });
  if (disagree.length > 0)
    blocks.push({
      type: 'examples',
      title: `Where the configurations disagree (${Math.min(12, disagree.length)} of ${disagree.length})`,
      items: disagree.slice(0, 12).map(example),
    });
  return {
    schema: REPORT_SCHEMA,
    kind: 'experiment',
    title: e.name,
    subtitle: `${e.spec.design.kind === 'ablation' ? 'Ablation' : 'Comparison'} · ${input.datasetName} (${e.spec.split})`,
    lineage: input.lineage,
    blocks,
  };
}

function minScore(row: OutputRow): number {
  return Math.min(...row.outputs.map((o) => o.score ?? 1));
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
