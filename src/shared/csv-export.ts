// Writing CSV for people to open in spreadsheets: RFC 4180 quoting, and text cells neutralised against formula
// injection (a cell a spreadsheet would run as a formula gets a leading apostrophe, the OWASP advice). Numbers and
// booleans are written as they are, so a negative number stays a number.
export type CsvValue = string | number | boolean | null | undefined;

/** First characters that make Excel, LibreOffice or Google Sheets treat a text cell as a formula or command. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r\t]/.test(text) || text.startsWith("'") ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: the header, then one line per row in the header's column order; ends with a newline. */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, CsvValue>>[]): string {
  const lines = [
    columns.map(csvCell).join(','),
    ...rows.map((row) => columns.map((c) => csvCell(Object.hasOwn(row, c) ? row[c] : '')).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
