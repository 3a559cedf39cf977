// A report's tables as CSV files (one per table, the lineage included), for spreadsheets: the same cells the HTML and
// PDF show, text neutralised against formula injection.
import { toCsv } from '../../../shared/csv-export';
import type { ReportDocument } from '../../../shared/report';
import { LINEAGE_COLUMNS, lineageRows } from '../../../shared/lineage-table';

export function renderCsv(doc: ReportDocument): { fileName: string; text: string }[] {
  const tables = doc.blocks.flatMap((b) =>
    b.type === 'table' ? [{ id: b.id, columns: b.columns, rows: b.rows }] : [],
  );
  tables.push({ id: 'lineage', columns: LINEAGE_COLUMNS, rows: lineageRows(doc.lineage) });
  return tables.map((t) => ({
    fileName: `${t.id}.csv`,
    text: toCsv(
      t.columns,
      t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null]))),
    ),
  }));
}
