// A self-contained HTML report of an experiment (no scripts, no external files; charts as inline SVG), for the
// headless main job and for sharing a result: the verdict, the cells with CIs, the effects, metrics per cell and
// a sample of outputs where the cells disagree.
import type { Experiment, ExperimentResults, OutputRow } from '../../../shared/contract/experiments';

export interface ReportExtras {
  /** Sections placed before the results (e.g. the demo's training summary), as [title, plain-text lines]. */
  preface?: { title: string; lines: string[] }[];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)}`);
const ci = (c: readonly [number, number] | null): string => (c === null ? '' : `${pct(c[0])} to ${pct(c[1])}`);

export function renderReport(e: Experiment, r: ExperimentResults, rows: readonly OutputRow[], extras: ReportExtras = {}): string {
  const parts: string[] = [];
  parts.push(`<h1>${esc(e.name)}</h1>`);
  parts.push(`<p class="meta">Dataset split: ${esc(e.spec.split)} &middot; ${r.n} paired examples &middot; ${e.cells.length} cells &middot; bootstrap and permutation seed ${e.spec.seed} &middot; ${r.complete ? 'complete' : 'incomplete (some outputs missing)'}${r.passed === null ? '' : ` &middot; thresholds: <b>${r.passed ? 'PASS' : 'FAIL'}</b>`}</p>`);
  for (const section of extras.preface ?? []) parts.push(`<h2>${esc(section.title)}</h2><ul>${section.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`);
  if (r.ablation) {
    const a = r.ablation;
    parts.push(`<h2>Verdict</h2><ul class="verdict">${a.verdict.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>`);
    parts.push(`<h2>${esc(a.metric)} per cell (mean, 95% bootstrap CI, n = ${a.n})</h2>`);
    const labels = a.cells.map((c) => (c.components.length === 0 ? 'base' : c.components.join(' + ')));
    parts.push(barChart(labels, a.cells.map((c) => ({ value: c.mean, ci: c.ci })), { percent: true }));
    parts.push(`<h2>Effects on ${esc(a.metric)} (95% CI; Holm-adjusted p)</h2>`);
    parts.push(barChart(a.effects.map((x) => x.terms.join(' x ')), a.effects.map((x) => ({ value: x.estimate, ci: x.ci })), { percent: true, signed: true }));
    parts.push(table(['Effect', 'Estimate (pts)', '95% CI', 'p', 'p (Holm)', 'Test'], a.effects.map((x) => [x.terms.join(' x '), pct(x.estimate), ci(x.ci), fmtP(x.p), fmtP(x.pHolm), x.test])));
    const w = a.fullVsBase;
    parts.push(table(['Comparison', 'Difference (pts)', '95% CI', 'p (Holm)', 'Test'], [
      ['full specialization minus base (unadjusted p)', pct(w.estimate), ci(w.ci), fmtP(w.p), w.test],
      ...a.comparisons.map((x) => [x.label, pct(x.estimate), ci(x.ci), fmtP(x.pHolm), x.test]),
    ]));
  }
  parts.push('<h2>Metrics per cell</h2>');
  const metricNames = r.cells[0]?.metrics.map((m) => m.label) ?? [];
  parts.push(table(['Cell', 'n', ...metricNames.map((m) => `${m} (95% CI)`), 'Prompt tokens', 'Output tokens', 'Latency ms'], r.cells.map((c) => [
    c.cell.label, String(c.n), ...c.metrics.map((m) => `${pct(m.value)} (${ci(m.ci)})${m.pass === null ? '' : m.pass ? ' pass' : ' FAIL'}`),
    c.meanPromptTokens.toFixed(1), c.meanOutputTokens.toFixed(1), c.meanTotalMs === null ? '-' : c.meanTotalMs.toFixed(0),
  ])));
  const sample = rows.filter((x) => x.disagree).slice(0, 12);
  if (sample.length > 0) {
    parts.push(`<h2>Where the cells disagree (${sample.length} of ${rows.filter((x) => x.disagree).length})</h2>`);
    for (const row of sample) {
      parts.push(`<details><summary>${esc(Object.values(row.input).map(String).join(' | ').slice(0, 160))}</summary><p><b>Expected:</b> <code>${esc(row.reference ?? '')}</code></p>`);
      parts.push(table(['Cell', 'Output', 'Score'], row.outputs.map((o, k) => [e.cells[k]?.label ?? '', o.text ?? '(none)', o.score === null ? '-' : o.score.toFixed(2)])));
      parts.push('</details>');
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${esc(e.name)}</title><style>${CSS}</style></head><body>${parts.join('\n')}<footer>Made by Dovetail. Numbers are means over paired examples; CIs are percentile bootstrap intervals; p-values are paired tests, Holm-corrected within the analysis.</footer></body></html>`;
}

function fmtP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Horizontal bars with CI whiskers; `signed` centres zero for effects. */
function barChart(labels: string[], values: { value: number; ci: readonly [number, number] }[], o: { percent: boolean; signed?: boolean }): string {
  const rowH = 26, left = 220, width = 460, top = 10;
  const lo = o.signed ? Math.min(0, ...values.map((v) => v.ci[0])) : 0;
  const hi = Math.max(o.signed ? 0 : 1, ...values.map((v) => v.ci[1]));
  const x = (v: number): number => left + ((v - lo) / (hi - lo || 1)) * width;
  const h = top * 2 + rowH * values.length + 20;
  const bars = values.map((v, i) => {
    const y = top + i * rowH;
    const x0 = x(Math.min(0, v.value)), x1 = x(Math.max(0, v.value));
    return `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(labels[i] ?? '')}</text>`
      + `<rect x="${x0}" y="${y + 4}" width="${Math.max(1, x1 - x0)}" height="${rowH - 10}" fill="${v.value >= 0 ? '#4a7bd0' : '#d0674a'}" opacity="0.75"/>`
      + `<line x1="${x(v.ci[0])}" x2="${x(v.ci[1])}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" stroke="#222" stroke-width="2"/>`
      + `<text x="${left + width + 6}" y="${y + 16}">${o.percent ? pct(v.value) : v.value.toFixed(2)}</text>`;
  }).join('');
  const zero = o.signed ? `<line x1="${x(0)}" x2="${x(0)}" y1="${top}" y2="${h - 20}" stroke="#888" stroke-dasharray="3 3"/>` : '';
  return `<svg role="img" width="${left + width + 60}" height="${h}" font-family="sans-serif" font-size="12">${zero}${bars}</svg>`;
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.meta{color:#555}.verdict li{font-size:16px;margin:.4em 0}code{white-space:pre-wrap}footer{margin-top:3em;color:#777;font-size:12px}`;
