import { describe, expect, it } from 'vitest';
import { markup, textOf } from '../testing/markup';
import { StatisticsTable, type StatColumn } from './StatisticsTable';

interface Row {
  name: string;
  estimate: number;
  ci: [number, number];
  n: number;
  p: number;
}
const rows: Row[] = [
  { name: 'LoRA', estimate: 0.44, ci: [0.34, 0.54], n: 100, p: 0.001 },
  { name: 'Soft prompt', estimate: 0.02, ci: [-0.03, 0.07], n: 100, p: 0.4 },
];
const columns: StatColumn<Row>[] = [
  { header: 'Effect', cell: (r) => r.name },
  { header: 'Estimate', numeric: true, cell: (r) => r.estimate.toFixed(2), testId: 'estimate' },
  { header: '95% CI', numeric: true, cell: (r) => `[${r.ci[0].toFixed(2)}, ${r.ci[1].toFixed(2)}]` },
  { header: 'n', numeric: true, cell: (r) => r.n },
  { header: 'p', numeric: true, cell: (r) => r.p.toFixed(3), strong: (r) => r.p < 0.05, testId: 'p' },
];

describe('StatisticsTable', () => {
  const element = (
    <StatisticsTable rows={rows} columns={columns} rowKey={(r) => r.name} testId="effects" rowTestId="effect-row" />
  );

  it('shows a header and one row per estimate with its interval and n', () => {
    expect(textOf(element)).toBe(
      'Effect Estimate 95% CI n p LoRA 0.44 [0.34, 0.54] 100 0.001 Soft prompt 0.02 [-0.03, 0.07] 100 0.400',
    );
    expect(markup(element).match(/data-testid="effect-row"/g)).toHaveLength(2);
  });

  it('right-aligns numbers and marks the strong ones', () => {
    const html = markup(element);
    const estimate = /<td[^>]*data-testid="estimate"[^>]*>/.exec(html)?.[0] ?? '';
    expect(estimate).toContain('MuiTableCell-alignRight');
    const ps = [...html.matchAll(/<td[^>]*data-testid="p"[^>]*>/g)].map((m) => m[0]);
    expect(ps).toHaveLength(2);
    // Emotion gives the bold cell a class of its own.
    expect(ps[0]).not.toBe(ps[1]);
  });
});
