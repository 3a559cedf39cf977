// Experiment results as plain text for a terminal: metrics per cell with CIs, the ablation's effects and verdict; a
// weight format check's main metric per format and cell against the stored precision.
import type { ExperimentResults, FormatComparison } from '../../shared/contract/experiments';
import { formatEffect, formatInterval, formatValue } from '../../shared/metric-format';
import { WEIGHT_FORMAT_NAMES } from '../../shared/weight-format';

const pct = (v: number | null): string => (v === null ? '   -  ' : (v * 100).toFixed(1).padStart(6));
const interval = (c: readonly [number, number] | null): string =>
  c === null ? '' : `[${(c[0] * 100).toFixed(1)}, ${(c[1] * 100).toFixed(1)}]`;

export function formatResults(r: ExperimentResults): string[] {
  const lines: string[] = [];
  const width = Math.max(8, ...r.cells.map((c) => c.cell.label.length));
  const primary = r.cells[0]?.metrics[0]?.label ?? '';
  lines.push(
    `${'cell'.padEnd(width)}  ${primary.slice(0, 28).padEnd(28)}  95% CI          n    ctx tok  ${
      r.cells[0]?.metrics
        .slice(1)
        .map((m) => m.label.slice(0, 18).padEnd(18))
        .join(' ') ?? ''
    }`,
  );
  for (const c of r.cells) {
    const [m0, ...rest] = c.metrics;
    lines.push(
      `${c.cell.label.padEnd(width)}  ${pct(m0?.value ?? null).padEnd(28)}  ${interval(m0?.ci ?? null).padEnd(14)}  ${String(c.n).padStart(3)}  ${c.meanPromptTokens.toFixed(0).padStart(7)}  ${rest.map((m) => `${pct(m.value)}${m.pass === false ? ' FAIL' : ''}`.padEnd(18)).join(' ')}`,
    );
  }
  if (r.ablation) {
    lines.push('', `Effects on ${r.ablation.metric} (points; 95% CI; Holm-adjusted p):`);
    for (const e of r.ablation.effects) {
      lines.push(
        `  ${e.terms.join(' x ').padEnd(34)} ${(e.estimate * 100).toFixed(1).padStart(6)}  ${interval(e.ci).padEnd(16)} p=${e.pHolm < 0.001 ? '<0.001' : e.pHolm.toFixed(3)}  (${e.test})`,
      );
    }
    const w = r.ablation.fullVsBase;
    lines.push(
      `  ${'full specialization vs base'.padEnd(34)} ${(w.estimate * 100).toFixed(1).padStart(6)}  ${interval(w.ci).padEnd(16)} p=${w.p < 0.001 ? '<0.001' : w.p.toFixed(3)}  (${w.test})`,
    );
    lines.push('', 'Verdict:', ...r.ablation.verdict.map((v) => `  ${v}`));
  }
  if (r.passed !== null) lines.push('', `Thresholds: ${r.passed ? 'PASS' : 'FAIL'}`);
  if (r.budgetPassed !== null) {
    lines.push('', `Budget: ${r.budgetPassed ? 'PASS' : 'FAIL'}`);
    // As the verdict: an ablation is judged on its full specialization (the last cell), a comparison on every cell.
    const judged = r.cells.some((c) => c.cell.mask !== null) ? r.cells.slice(-1) : r.cells;
    for (const c of judged)
      for (const b of c.budget) lines.push(`  ${c.cell.label}: ${b.name} ${b.met ? 'ok' : 'FAIL'}: ${b.detail}`);
  }
  return lines;
}

/** Per format and cell, the main metric as stored and at the format, the paired change with its CI and p. */
export function formatFormatComparison(c: FormatComparison): string[] {
  const width = Math.max(8, ...c.formats.flatMap((f) => f.cells.map((cell) => cell.label.length)));
  const metric = c.formats[0]?.cells[0]?.metrics[0]?.label ?? '';
  const lines = [
    `${'format'.padEnd(8)}${'cell'.padEnd(width)}  ${`${metric}: stored -> format`.padEnd(24)}  change (95% CI)         p        changed`,
  ];
  for (const f of c.formats)
    for (const cell of f.cells) {
      const m = cell.metrics[0];
      if (!m) continue;
      const values = `${formatValue(m.stored, m.kind)} -> ${formatValue(m.value, m.kind)}`;
      const change =
        m.diff === null ? '-' : `${formatEffect(m.diff, m.kind)} ${m.ci ? formatInterval(m.ci, m.kind) : ''}`;
      const p = m.p === null ? '-' : m.p < 0.001 ? '<0.001' : m.p.toFixed(3);
      lines.push(
        `${WEIGHT_FORMAT_NAMES[f.format].padEnd(8)}${cell.label.padEnd(width)}  ${values.padEnd(24)}  ${change.padEnd(22)}  ${p.padEnd(7)}  ${cell.changed}/${cell.compared}${f.complete ? '' : ' (incomplete)'}`,
      );
    }
  lines.push('', `n = ${c.rows} rows; paired bootstrap CIs (seed ${c.seed}); p: McNemar for pass/fail metrics.`);
  return lines;
}
