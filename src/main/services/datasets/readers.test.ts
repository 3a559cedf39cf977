// The record readers on small files: line numbers through CRLF, blank lines and multi-line cells; TSV and JSONL
// detection; each kind of broken quoting reported at the line where the bad record starts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, openReader, type ReadItem } from './readers';
import { hashSplit, splitFromValue } from './splits';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-readers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function read(name: string, text: string): Promise<ReadItem[]> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const items: ReadItem[] = [];
  for await (const item of openReader(file, await detectFormat(file)).items()) items.push(item);
  return items;
}
const summary = (items: ReadItem[]) => items.map((i) => (i.kind === 'row' ? [i.line, i.data] : [i.line, i.reason]));

describe('readers', () => {
  it('numbers CSV lines through CRLF, blank lines and multi-line cells', async () => {
    const items = await read('crlf.csv', 'a,b\r\n1,2\r\n\r\n3,"x\r\ny"\r\n5,6');
    expect(summary(items)).toEqual([[2, { a: '1', b: '2' }], [4, { a: '3', b: 'x\r\ny' }], [6, { a: '5', b: '6' }]]);
  });

  it('detects TSV and JSONL (with a BOM) without a telling extension', async () => {
    expect(summary(await read('data.txt', 'a\tb\n1\t2\n'))).toEqual([[2, { a: '1', b: '2' }]]);
    expect(summary(await read('rows.txt', '\uFEFF{"a": 1}\n\n{"a": 2}\n'))).toEqual([[1, { a: 1 }], [3, { a: 2 }]]);
  });

  it('reports broken quoting at the line where the record starts', async () => {
    const unclosed = await read('unclosed.csv', 'a,b\n1,2\n3,"never closed\n5,6\n');
    expect(summary(unclosed).at(-1)).toEqual([3, 'has broken quoting: a quoted field that starts here is never closed']);
    const opening = await read('opening.csv', 'a,b\n1,x"y\n');
    expect(summary(opening)).toEqual([[2, 'has broken quoting: a quote inside a field that does not start with one']]);
    // The rows before the bad one are still read (csv-parse had them buffered when it failed).
    const closing = await read('closing.csv', 'a,b\n1,2\n3,"x"y\n5,6\n');
    expect(summary(closing)).toEqual([[2, { a: '1', b: '2' }], [3, 'has broken quoting: a closing quote is followed by more text (write a quote inside a quoted field as "")']]);
    const header = await read('header.csv', 'a,a\n1,2\n');
    expect(summary(header)).toEqual([[1, 'the header row names the column "a" twice']]);
  });
});

describe('splits', () => {
  it('maps split names and aliases, and never uses a split with fraction 0', () => {
    expect(['train', ' Dev ', 'valid', 'VAL', 'test', 'holdout'].map(splitFromValue)).toEqual(['train', 'validation', 'validation', 'validation', 'test', null]);
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const noTest = new Set(keys.map((k) => hashSplit(3, k, { train: 0.5, validation: 0.5, test: 0 })));
    expect([...noTest].sort()).toEqual(['train', 'validation']);
    expect(keys.map((k) => hashSplit(3, k, { train: 1, validation: 0, test: 0 })).every((s) => s === 'train')).toBe(true);
  });
});
