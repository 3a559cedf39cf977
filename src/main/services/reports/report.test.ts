// The report document of a comparison, rendered to HTML, CSV and JSON: names people gave things (never internal
// keys), the lineage with hashes, charts inline, and JSON that validates against the committed JSON Schema, which is
// generated from the zod schema (run with UPDATE_SCHEMAS=1 to rewrite it after a deliberate change).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Experiment, ExperimentResults, OutputRow } from '../../../shared/contract/experiments';
import { ReportDocument } from '../../../shared/report';
import { manifest } from '../lineage/specialization-lineage';
import { buildExperimentReport } from './experiment-report';
import { renderCsv } from './render-csv';
import { renderHtml } from './render-html';
import { renderPdf } from './render-pdf';

const SCHEMA_FILE = fileURLToPath(new URL('../../../../docs/schemas/report.schema.json', import.meta.url));
const names: Record<string, string> = { 'spec-0001': 'Plain model', 'spec-0002': 'Triage tuned' };
const experiment: Experiment = {
  id: 'exp-0001',
  name: 'Triage check',
  spec: {
    name: 'Triage check',
    datasetVersionId: 'dv-0001',
    split: 'test',
    limit: null,
    design: { kind: 'compare', specializationIds: Object.keys(names) },
    metrics: [{ kind: 'exact_match' } as Experiment['spec']['metrics'][number]],
    seed: 7,
    batchSize: 8,
    budget: null,
  },
  cells: Object.keys(names).map((id) => ({ specializationId: id, label: `cell-${id}`, components: [], mask: null })),
  state: 'completed',
  progress: null,
  error: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:05:00.000Z',
};
const cell = (id: string, value: number): ExperimentResults['cells'][number] => ({
  cell: { specializationId: id, label: `cell-${id}`, components: [], mask: null },
  n: 50,
  metrics: [{ metric: 0, label: 'Exact match', value, ci: [value - 0.1, value + 0.1], n: 50, pass: value > 0.5 }],
  meanPromptTokens: 40,
  meanOutputTokens: 5,
  meanTimeToFirstTokenMs: 20,
  meanTotalMs: 120,
  meanTokensPerSecond: 41,
  performance: {
    n: 100,
    p95LatencyMs: 150,
    p95TimeToFirstTokenMs: 30,
    meanTokensPerSecond: 41,
    maxContextTokens: 60,
    peakMemoryBytes: 300 * 1024 * 1024,
  },
  budget: [],
});
const results: ExperimentResults = {
  experimentId: 'exp-0001',
  n: 50,
  complete: true,
  cells: [cell('spec-0001', 0.1), cell('spec-0002', 0.62)],
  ablation: null,
  passed: false,
  budgetPassed: null,
};
const rows: OutputRow[] = [
  {
    exampleIdx: 0,
    key: 'row-1',
    input: { message: 'Where is my order?' },
    reference: 'shipping',
    disagree: true,
    failed: true,
    outputs: [
      {
        text: 'billing',
        score: 0,
        finishReason: 'stop',
        promptTokens: 3,
        generatedTokens: 1,
        timeToFirstTokenMs: 1,
        totalMs: 2,
      },
      {
        text: 'shipping',
        score: 1,
        finishReason: 'stop',
        promptTokens: 3,
        generatedTokens: 1,
        timeToFirstTokenMs: 1,
        totalMs: 2,
      },
    ],
  },
];
const lineage = manifest(
  { kind: 'experiment', id: 'exp-0001', name: 'Triage check' },
  [
    {
      kind: 'datasetVersion',
      id: 'dv-0001',
      name: 'Support triage v1',
      hash: 'a'.repeat(64),
      detail: { split: 'test', 'rows used': 50 },
    },
    { kind: 'model', id: 'model-0001', name: 'Demo 13M', hash: 'b'.repeat(64), detail: {} },
  ],
  { appVersion: '1.2.3', actor: { id: 'u-1', name: 'Ana' }, at: new Date('2026-12-02T09:00:00Z') },
);
const doc = buildExperimentReport({
  experiment,
  results,
  rows,
  lineage,
  datasetName: 'Support triage v1',
  specializationName: (id) => names[id] ?? id,
});

describe('experiment report', () => {
  it('is a valid document whose JSON validates against the committed JSON Schema', () => {
    const generated = `${JSON.stringify(z.toJSONSchema(ReportDocument, { io: 'input' }), null, 2)}\n`;
    if (process.env['UPDATE_SCHEMAS'] === '1') fs.writeFileSync(SCHEMA_FILE, generated);
    expect(
      fs.readFileSync(SCHEMA_FILE, 'utf8'),
      'docs/schemas/report.schema.json is stale: run with UPDATE_SCHEMAS=1',
    ).toBe(generated);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(generated) as object);
    const json = JSON.parse(JSON.stringify(ReportDocument.parse(doc))) as unknown;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(json as object), schema: 'other' })).toBe(false);
  });

  it('labels everything with the names people gave it, prints thresholds and n, and carries the lineage', () => {
    const html = renderHtml(doc);
    expect(html).toContain('<h1>Triage check</h1>');
    expect(html).toContain('Triage tuned');
    expect(html).toContain('Support triage v1');
    expect(html).toContain('a'.repeat(64));
    expect(html).toContain('Made by Ana on 2026-12-02T09:00:00.000Z with Dovetail 1.2.3');
    expect(html).toMatch(/<svg[^>]*aria-label="Exact match per configuration/);
    expect(html).not.toMatch(/cell-spec-|spec-0002/);
    expect(html).not.toMatch(/<script/i);
  });

  it('writes every table as CSV with the numbers the HTML shows', () => {
    const files = renderCsv(doc);
    expect(files.map((f) => f.fileName)).toEqual(['metrics-per-cell.csv', 'lineage.csv']);
    const table = parse(files[0]?.text ?? '', { columns: true }) as Record<string, string>[];
    expect(
      table.map((r) => [
        r['Configuration'],
        r['n'],
        r['Exact match'],
        r['Exact match 95% CI'],
        r['Exact match threshold'],
      ]),
    ).toEqual([
      ['Plain model', '50', '10.0%', '0.0% to 20.0%', 'FAIL'],
      ['Triage tuned', '50', '62.0%', '52.0% to 72.0%', 'pass'],
    ]);
  });

  it('renders a PDF with the bundled fonts, a page count in the footer and no external resource', async () => {
    const pdf = await renderPdf(doc);
    if (process.env['KEEP_REPORT_PDF']) fs.writeFileSync(process.env['KEEP_REPORT_PDF'], pdf);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Roboto/); // embedded (subset), not a system font
  });
});
