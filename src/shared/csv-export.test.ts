// CSV export cells: RFC 4180 quoting and neutralised formula starts (=, +, -, @, tab, CR), numbers left as numbers.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv-export';

describe('csv export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1+cmd|calc')).toBe(`"'+1+cmd|calc"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves plain text, numbers and booleans as they are and quotes separators', () => {
    expect([csvCell('fine'), csvCell(-3), csvCell(2.5), csvCell(true), csvCell(null)]).toEqual([
      'fine',
      '-3',
      '2.5',
      'true',
      '',
    ]);
    expect(csvCell('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(toCsv(['a', 'b'], [{ a: '=1', b: 2 }, { a: 'x' }])).toBe(`a,b\n"'=1",2\nx,\n`);
  });
});
