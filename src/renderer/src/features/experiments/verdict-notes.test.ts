import { describe, expect, it } from 'vitest';
import type { CellResult, ExperimentResults, VersusBase } from '../../../../shared/contract';
import type { MetricSpec } from '../../../../shared/metrics';
import { mainVersusBase, versusBaseLine, zeroExplanation } from './verdict-notes';

const metrics: MetricSpec[] = [
  { kind: 'classification', field: 'category', name: 'Category accuracy' },
  { kind: 'json_valid' },
];
const cellResult = (label: string, values: number[]): CellResult => ({
  cell: { specializationId: label, label, components: [], mask: null },
  n: 100,
  metrics: values.map((value, metric) => ({
    metric,
    label: `m${metric}`,
    value,
    ci: [value, value],
    n: 100,
    pass: null,
  })),
  meanPromptTokens: 0,
  meanOutputTokens: 0,
  meanTimeToFirstTokenMs: null,
  meanTotalMs: null,
  meanTokensPerSecond: null,
  performance: {
    n: 100,
    p95LatencyMs: null,
    p95TimeToFirstTokenMs: null,
    meanTokensPerSecond: null,
    maxContextTokens: null,
    peakMemoryBytes: null,
  },
  budget: [],
});
type Row = VersusBase['rows'][number];
const row = (metric: number, over: Partial<Row>): Row => ({
  cell: 'Triage LoRA+soft',
  metric,
  label: metric === 0 ? 'Category accuracy' : 'Valid JSON',
  baseValue: 0,
  value: 0,
  estimate: 0,
  ci: [0, 0],
  p: 1,
  pHolm: 1,
  test: 'mcnemar',
  significant: false,
  direction: 'higher',
  ...over,
});
const results = (cells: CellResult[], rows: Row[]): ExperimentResults => ({
  experimentId: 'e',
  n: 100,
  complete: true,
  cells,
  ablation: null,
  versusBase: { base: 'Base model', rows },
  passed: null,
  budgetPassed: null,
});

describe('verdict notes', () => {
  it('says the direct vs-base result on the main metric in one sentence', () => {
    const r = row(0, { value: 0.44, estimate: 0.44, ci: [0.34, 0.54], p: 1e-6, pHolm: 2e-6, significant: true });
    const res = results([cellResult('Base model', [0, 0]), cellResult('Triage LoRA+soft', [0.44, 0.9])], [r]);
    expect(mainVersusBase(res)).toHaveLength(1);
    expect(versusBaseLine(r, 'Base model', metrics[0] as MetricSpec)).toBe(
      'Triage LoRA+soft vs Base model: 44.0% against 0.0%, +44.0 (34.0-54.0) pts, p (Holm) <0.001: a significant gain.',
    );
    expect(
      versusBaseLine(row(0, { estimate: 0.01, ci: [-0.02, 0.04] }), 'Base model', metrics[0] as MetricSpec),
    ).toMatch(/no clear difference \(the 95% CI includes 0\)/);
    expect(zeroExplanation(res, metrics)).toBeNull();
  });

  it('explains an all-0% main metric in plain words and lists the significant secondary gains', () => {
    const gain = row(1, { value: 0.218, estimate: 0.218, ci: [0.17, 0.26], p: 1e-9, pHolm: 2e-9, significant: true });
    const res = results(
      [cellResult('Base model', [0, 0]), cellResult('Triage LoRA+soft', [0, 0.218])],
      [row(0, {}), gain],
    );
    const why = zeroExplanation(res, metrics);
    expect(why?.reasons[0]).toMatch(/reads the "category" field of an answer written as JSON/);
    expect(why?.reasons.join(' ')).toMatch(/valid JSON in 21\.8% of its answers/);
    expect(why?.reasons.join(' ')).toMatch(/Balanced preset \(LoRA \+ soft prompt, learning rate 2e-3, batch 8\)/);
    expect(why?.gains).toEqual([
      'Valid JSON: Triage LoRA+soft vs Base model: 21.8% against 0.0%, +21.8 (17.0-26.0) pts, p (Holm) <0.001: a significant gain.',
    ]);
    // A loss or an insignificant change is not listed as a gain.
    const none = results(res.cells, [row(0, {}), row(1, { estimate: -0.2, ci: [-0.3, -0.1], significant: true })]);
    expect(zeroExplanation(none, metrics)?.gains).toEqual([]);
  });
});
