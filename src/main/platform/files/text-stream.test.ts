// Text streams over real files: strict decoding stops at the line with a bad byte, a line over the cap is refused
// with its number before it is held whole, the byte cap holds, and readUserText refuses what it cannot read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { TextReadFailure, lines, openTextSource, readUserText, type TextSource } from './text-stream';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-text-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

async function readLines(
  target: string,
  maxChars = 1000,
  maxBytes = 1e9,
): Promise<{ lines: string[]; failure?: TextReadFailure; lastLine: number }> {
  const source = await openTextSource(target, { maxBytes });
  if (!source.ok) throw new Error(source.reason);
  const out: string[] = [];
  let lastLine = 0;
  try {
    for await (const { text, line } of lines((source as TextSource).chunks(), maxChars)) {
      out.push(text);
      lastLine = line;
    }
  } catch (error) {
    if (!(error instanceof TextReadFailure)) throw error;
    return { lines: out, failure: error, lastLine };
  }
  return { lines: out, lastLine };
}

describe('text streams', () => {
  it('splits lines through CRLF and a missing last newline, dropping a BOM', async () => {
    expect((await readLines(file('crlf.txt', '\uFEFFa\r\nb\n\nc'))).lines).toEqual(['a', 'b', '', 'c']);
  });

  it('converts UTF-16 with its BOM', async () => {
    const target = file('u16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x,y\nä,ö\n', 'utf16le')]));
    expect((await readLines(target)).lines).toEqual(['x,y', 'ä,ö']);
  });

  it('stops at a byte that is not UTF-8, after the lines before it', async () => {
    const head = Array.from({ length: 200 }, (_, i) => `{"n": ${i}, "word": "déjà"}`).join('\n');
    const target = file(
      'bad-byte.jsonl',
      Buffer.concat([Buffer.from(`${head}\n{"n": "caf`), Buffer.from([0xe9]), Buffer.from('"}\n{"n": 1}\n')]),
    );
    const read = await readLines(target);
    expect(read.lines).toHaveLength(200);
    expect(read.failure?.reason).toBe('is not valid UTF-8 text');
    expect(read.failure?.hint).toMatch(/save it with the encoding "UTF-8"/);
  });

  it('refuses a line over the cap with its number, without waiting for its end', async () => {
    const target = file('long.jsonl', `{"a": 1}\n{"b": "${'x'.repeat(5000)}"}\n`);
    const read = await readLines(target, 1000);
    expect(read.lines).toEqual(['{"a": 1}']);
    expect(read.failure?.line).toBe(2);
    expect(read.failure?.reason).toMatch(/^is longer than 1000 bytes/);
  });

  it('holds the byte cap even when the file is larger than it was when checked', async () => {
    const read = await readLines(file('grown.txt', 'a\n'.repeat(1000)), 1000, 100);
    expect(read.failure?.reason).toMatch(/grew past the limit of 100 bytes/);
  });

  it('readUserText reads a small file whole and refuses a folder, a FIFO-free binary and a file over its limit', async () => {
    expect(
      (await readUserText(file('ok.json', '{"a": 1}'), { where: 'test', maxBytes: 100, expected: 'JSON' })).text,
    ).toBe('{"a": 1}');
    await expect(readUserText(dir, { where: 'test', maxBytes: 100, expected: 'JSON' })).rejects.toThrow(
      /is a folder, not a regular file/,
    );
    await expect(
      readUserText(file('bin.dat', Buffer.from([1, 0, 2, 0, 0, 0, 3])), {
        where: 'test',
        maxBytes: 100,
        expected: 'JSON',
      }),
    ).rejects.toThrow(/binary file/);
    const big = readUserText(file('big.json', 'x'.repeat(200)), { where: 'test', maxBytes: 100, expected: 'JSON' });
    await expect(big).rejects.toBeInstanceOf(UserError);
    await expect(big).rejects.toThrow(/is 200 bytes, over the limit of 100 bytes/);
  });
});
