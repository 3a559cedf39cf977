// A report document as one self-contained HTML page: no scripts, no external files (charts are inline SVG), a strict
// CSP, and print styles so that the browser's "Save as PDF" gives a readable document too.
import { reportFootnote, type ReportBlock, type ReportDocument } from '../../../shared/report';
import { escapeXml as esc, intervalsSvg, linesSvg } from '../../../shared/report-charts';
import { LINEAGE_COLUMNS, lineageRows, madeLine } from '../../../shared/lineage-table';

function table(head: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (c: string | number | null) => `<td>${esc(c === null ? '—' : String(c))}</td>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

function block(b: ReportBlock): string {
  switch (b.type) {
    case 'text':
      return `${b.title === null ? '' : `<h2>${esc(b.title)}</h2>`}<ul class="${b.title === 'Verdict' ? 'verdict' : 'lines'}">${b.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
    case 'table':
      return `<h2>${esc(b.title)}</h2>${table(b.columns, b.rows)}${b.note === null ? '' : `<p class="note">${esc(b.note)}</p>`}`;
    case 'intervals':
      return `<h2>${esc(b.title)}</h2><figure>${intervalsSvg(b)}</figure>`;
    case 'lines':
      return `<h2>${esc(b.title)}</h2><figure>${linesSvg(b)}</figure>`;
    case 'examples':
      return `<h2>${esc(b.title)}</h2>${b.items
        .map(
          (item) =>
            `<details open><summary>${esc(item.title)}</summary>${item.expected === null ? '' : `<p><b>Expected:</b> <code>${esc(item.expected)}</code></p>`}${table(
              ['Configuration', 'Output', 'Score'],
              item.outputs.map((o) => [o.label, o.text ?? '(none)', o.score === null ? null : o.score.toFixed(2)]),
            )}</details>`,
        )
        .join('')}`;
  }
}

export function renderHtml(doc: ReportDocument): string {
  const body = [
    `<h1>${esc(doc.title)}</h1>`,
    doc.subtitle === null ? '' : `<p class="meta">${esc(doc.subtitle)}</p>`,
    ...doc.blocks.map(block),
    `<h2>Lineage</h2><p class="meta">${esc(madeLine(doc.lineage))} <code>dovetail report verify</code> checks these hashes against a workspace.</p>`,
    table(LINEAGE_COLUMNS, lineageRows(doc.lineage)),
  ].join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>${esc(doc.title)}</title><style>${CSS}</style></head><body>${body}<footer>${esc(reportFootnote(doc.kind))}</footer></body></html>`;
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f3f3f3}.meta,.note{color:#555}.verdict li{font-size:16px;margin:.4em 0}code{white-space:pre-wrap}footer{margin-top:3em;color:#777;font-size:12px}
@media print{body{max-width:none;margin:0}details{page-break-inside:avoid}h2{page-break-after:avoid}figure{page-break-inside:avoid}}`;
