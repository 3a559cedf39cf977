// A report document as a multi-page PDF, made in-process by pdfmake (tables that break across pages with repeated
// headers, the same inline SVG charts as the HTML report, page numbers in the footer). The fonts are the Roboto files
// pdfmake ships, read from its package folder; nothing is fetched.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { reportFootnote, type ReportBlock, type ReportDocument } from '../../../shared/report';
import { intervalsSvg, linesSvg } from '../../../shared/report-charts';
import { LINEAGE_COLUMNS, lineageRows, madeLine } from '../../../shared/lineage-table';

let fontsReady = false;
function useBundledFonts(): void {
  if (fontsReady) return;
  const folder = join(dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  pdfmake.setFonts({
    Roboto: {
      normal: join(folder, 'Roboto-Regular.ttf'),
      bold: join(folder, 'Roboto-Medium.ttf'),
      italics: join(folder, 'Roboto-Italic.ttf'),
      bolditalics: join(folder, 'Roboto-MediumItalic.ttf'),
    },
  });
  // A report never loads anything from outside and reads no file but the fonts: every image is an inline SVG.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => path.startsWith(folder));
  fontsReady = true;
}

/** Long unbroken runs (JSON, ids) get zero-width break opportunities, so a cell wraps instead of leaving the page. */
const breakable = (text: string): string => text.replace(/[^\s]{28}(?=[^\s])/g, (run) => `${run}\u200b`);
const cellText = (c: string | number | null): string => (c === null ? '—' : breakable(String(c)));

/** The lineage: a row per part, its content hash whole under its details (a reader copies it to check). */
function lineageTable(doc: ReportDocument): Content {
  return {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: [70, 130, '*'],
      body: [
        [
          { text: LINEAGE_COLUMNS[0] as string, style: 'th' },
          { text: LINEAGE_COLUMNS[1] as string, style: 'th' },
          { text: `${LINEAGE_COLUMNS[2] as string}; ${LINEAGE_COLUMNS[3] as string}`, style: 'th' },
        ],
        ...lineageRows(doc.lineage).map((r): TableCell[] => [
          { text: cellText(r[0] ?? null) },
          { text: cellText(r[1] ?? null) },
          { stack: [{ text: cellText(r[2] || null) }, { text: r[3] ?? '—', style: 'hash' }] },
        ]),
      ],
    },
    layout: 'lightHorizontalLines',
    style: 'table',
  };
}

function table(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): Content {
  return {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: columns.map(() => '*'),
      body: [
        columns.map((c) => ({ text: c, style: 'th' })),
        ...rows.map((r) => columns.map((_, i) => ({ text: cellText(r[i] ?? null) }))),
      ],
    },
    layout: 'lightHorizontalLines',
    style: 'table',
  };
}

function heading(text: string): Content {
  return { text, style: 'h2', headlineLevel: 1 };
}

function block(b: ReportBlock): Content[] {
  switch (b.type) {
    case 'text':
      return [
        ...(b.title === null ? [] : [heading(b.title)]),
        { ul: b.lines, style: b.title === 'Verdict' ? 'verdict' : 'body' },
      ];
    case 'table':
      return [
        heading(b.title),
        table(b.columns, b.rows),
        ...(b.note === null ? [] : [{ text: b.note, style: 'note' }]),
      ];
    case 'intervals':
      return [heading(b.title), { svg: intervalsSvg(b), fit: [515, 600] }];
    case 'lines':
      return [heading(b.title), { svg: linesSvg(b), fit: [515, 400] }];
    case 'examples':
      return [
        heading(b.title),
        ...b.items.flatMap((item): Content[] => [
          { text: item.title, style: 'h3' },
          ...(item.expected === null ? [] : [{ text: [{ text: 'Expected: ', bold: true }, item.expected] }]),
          table(
            ['Configuration', 'Output', 'Score'],
            item.outputs.map((o) => [o.label, o.text ?? '(none)', o.score === null ? null : o.score.toFixed(2)]),
          ),
        ]),
      ];
  }
}

export function pdfDefinition(doc: ReportDocument): TDocumentDefinitions {
  return {
    info: {
      title: doc.title,
      author: doc.lineage.actor.name,
      subject: `Dovetail ${doc.kind} report`,
      creator: 'Dovetail',
    },
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 48],
    content: [
      { text: doc.title, style: 'h1' },
      ...(doc.subtitle === null ? [] : [{ text: doc.subtitle, style: 'meta' }]),
      ...doc.blocks.flatMap(block),
      heading('Lineage'),
      {
        text: `${madeLine(doc.lineage)} \`dovetail report verify\` checks these hashes against a workspace.`,
        style: 'meta',
      },
      lineageTable(doc),
      { text: reportFootnote(doc.kind), style: 'note', margin: [0, 16, 0, 0] },
    ],
    footer: (page, pages) => ({
      columns: [
        { text: doc.title, style: 'footer' },
        { text: `Page ${page} of ${pages}`, style: 'footer', alignment: 'right' },
      ],
      margin: [40, 16, 40, 0],
    }),
    // A heading never ends a page: near the foot of one it moves to the next with what follows it.
    pageBreakBefore: (node, queries) =>
      node.headlineLevel === 1 &&
      (queries.getFollowingNodesOnPage().length === 0 || node.startPosition.verticalRatio > 0.82),
    defaultStyle: { font: 'Roboto', fontSize: 9, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
      h3: { fontSize: 10, bold: true, margin: [0, 8, 0, 4] },
      th: { bold: true, fillColor: '#f3f3f3' },
      table: { margin: [0, 4, 0, 8], fontSize: 8 },
      verdict: { fontSize: 11, margin: [0, 2, 0, 6] },
      body: { margin: [0, 2, 0, 6] },
      meta: { color: '#555555', margin: [0, 0, 0, 6] },
      note: { color: '#555555', fontSize: 8 },
      footer: { color: '#777777', fontSize: 8 },
      hash: { color: '#555555', fontSize: 7 },
    },
  };
}

export async function renderPdf(doc: ReportDocument): Promise<Buffer> {
  useBundledFonts();
  return pdfmake.createPdf(pdfDefinition(doc)).getBuffer();
}
