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

async function read(name: string, text: string | Buffer): Promise<ReadItem[]> {
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
    expect(summary(items)).toEqual([
      [2, { a: '1', b: '2' }],
      [4, { a: '3', b: 'x\r\ny' }],
      [6, { a: '5', b: '6' }],
    ]);
  });

  it('detects TSV and JSONL (with a BOM) without a telling extension', async () => {
    expect(summary(await read('data.txt', 'a\tb\n1\t2\n'))).toEqual([[2, { a: '1', b: '2' }]]);
    expect(summary(await read('rows.txt', '\uFEFF{"a": 1}\n\n{"a": 2}\n'))).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
    ]);
  });

  it('reports broken quoting at the line where the record starts', async () => {
    const unclosed = await read('unclosed.csv', 'a,b\n1,2\n3,"never closed\n5,6\n');
    expect(summary(unclosed).at(-1)).toEqual([
      3,
      'has broken quoting: a quoted field that starts here is never closed',
    ]);
    const opening = await read('opening.csv', 'a,b\n1,x"y\n');
    expect(summary(opening)).toEqual([[2, 'has broken quoting: a quote inside a field that does not start with one']]);
    // The rows before the bad one are still read (csv-parse had them buffered when it failed).
    const closing = await read('closing.csv', 'a,b\n1,2\n3,"x"y\n5,6\n');
    expect(summary(closing)).toEqual([
      [2, { a: '1', b: '2' }],
      [3, 'has broken quoting: a closing quote is followed by more text (write a quote inside a quoted field as "")'],
    ]);
    const header = await read('header.csv', 'a,a\n1,2\n');
    expect(summary(header)).toEqual([[1, 'the header row names the column "a" twice']]);
  });
});

describe('hostile data files', () => {
  it('reads UTF-16 and Latin-1 files as text (the note says so) and names the line of a byte that is not text', async () => {
    const file = path.join(dir, 'utf16.csv');
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,city\nJosé,Zürich\n', 'utf16le')]),
    );
    const reader = openReader(file, 'csv');
    const items: ReadItem[] = [];
    for await (const item of reader.items()) items.push(item);
    expect(summary(items)).toEqual([[2, { name: 'José', city: 'Zürich' }]]);
    expect(reader.encodingNote()).toMatch(/UTF-16 \(little-endian\)/);
    expect(
      summary(await read('latin1.jsonl', Buffer.from('{"name": "François", "city": "Malmö, Skåne"}\n', 'latin1'))),
    ).toEqual([[1, { name: 'François', city: 'Malmö, Skåne' }]]);
    const mixed = await read(
      'mixed.jsonl',
      Buffer.concat([Buffer.from('{"a": "é"}\n{"a": "'), Buffer.from([0xff]), Buffer.from('"}\n')]),
    );
    expect(summary(mixed)).toEqual([
      [1, { a: 'é' }],
      [2, 'is not valid UTF-8 text'],
    ]);
  });

  it('says a JSON array (or one pretty-printed document) is not JSON Lines, with the hint', async () => {
    const array = await read('array.json', '[\n  {"a": 1},\n  {"a": 2}\n]\n');
    expect(array).toEqual([
      {
        kind: 'problem',
        line: 0,
        reason: 'is a JSON array, not JSON Lines',
        fatal: true,
        hint: expect.stringMatching(/jq -c/),
      },
    ]);
    expect(summary(await read('oneline.jsonl', '[{"a": 1}, {"a": 2}]\n'))).toEqual([
      [0, 'is a JSON array, not JSON Lines'],
    ]);
    expect(summary(await read('pretty.json', '{\n  "a": 1\n}\n'))).toEqual([
      [0, 'is one JSON document spread over several lines, not JSON Lines'],
    ]);
  });

  it('keeps a CSV column named __proto__ or constructor as an own field, leaving prototypes alone', async () => {
    const items = await read('proto.csv', '__proto__,constructor,text\nx,y,z\n');
    const row = items[0];
    expect(row?.kind).toBe('row');
    const data = row?.kind === 'row' ? row.data : {};
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor', 'text']);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses a binary file as a whole', async () => {
    expect(summary(await read('sheet.csv', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0x14, 0])))).toEqual([
      [0, expect.stringMatching(/binary file/)],
    ]);
  });
});

describe('splits', () => {
  it('maps split names and aliases, and never uses a split with fraction 0', () => {
    expect(['train', ' Dev ', 'valid', 'VAL', 'test', 'holdout'].map(splitFromValue)).toEqual([
      'train',
      'validation',
      'validation',
      'validation',
      'test',
      null,
    ]);
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const noTest = new Set(keys.map((k) => hashSplit(3, k, { train: 0.5, validation: 0.5, test: 0 })));
    expect([...noTest].sort()).toEqual(['train', 'validation']);
    expect(keys.map((k) => hashSplit(3, k, { train: 1, validation: 0, test: 0 })).every((s) => s === 'train')).toBe(
      true,
    );
  });
});
