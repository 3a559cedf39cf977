// Encoding sniffing on the byte patterns users' files come in: BOMs, UTF-16 without one, Latin-1 from old
// spreadsheets, UTF-32 and binary files (refused), and encodings Dovetail does not convert (refused by name).
import { describe, expect, it } from 'vitest';
import { encodedLength, sniffEncoding } from './text-encoding';

const utf16le = (text: string) => Buffer.from(text, 'utf16le');
const utf16be = (text: string) => utf16le(text).swap16();

describe('sniffEncoding', () => {
  it('reads plain UTF-8 and a UTF-8 BOM without a note', () => {
    expect(sniffEncoding(Buffer.from('a,b\ncafé,1\n'))).toEqual({
      ok: true,
      encoding: 'utf-8',
      bomBytes: 0,
      note: null,
    });
    expect(sniffEncoding(Buffer.from('\uFEFFa,b\n'))).toMatchObject({
      ok: true,
      encoding: 'utf-8',
      bomBytes: 3,
      note: null,
    });
  });

  it('converts UTF-16 with or without a BOM, with a note naming it', () => {
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('a,b\n1,2\n')]))).toMatchObject({
      ok: true,
      encoding: 'utf-16le',
      bomBytes: 2,
    });
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('a,b\n1,2\n')]))).toMatchObject({
      ok: true,
      encoding: 'utf-16be',
      bomBytes: 2,
    });
    const noBom = sniffEncoding(utf16le('{"text": "hello", "output": "world"}\n'));
    expect(noBom).toMatchObject({ ok: true, encoding: 'utf-16le', bomBytes: 0 });
    expect(noBom.ok && noBom.note).toMatch(/UTF-16 \(little-endian\); Dovetail converted it to UTF-8/);
    expect(sniffEncoding(utf16be('{"text": "hello"}\n'))).toMatchObject({ ok: true, encoding: 'utf-16be' });
  });

  it('converts Latin-1 text as Windows-1252, with a note', () => {
    const latin1 = Buffer.from('name,city\nJosé,München\nFrançoise,Zürich\nÅngström,Malmö\n', 'latin1');
    const found = sniffEncoding(latin1);
    expect(found).toMatchObject({ ok: true, encoding: 'windows-1252' });
    expect(found.ok && found.note).toMatch(/Windows-1252 \(Latin-1\)/);
  });

  it('refuses UTF-32, binary files and other encodings, saying which and how to re-save', () => {
    const utf32 = sniffEncoding(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]));
    expect(utf32).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/encoded as UTF-32/),
      hint: expect.stringMatching(/UTF-8/),
    });
    expect(
      sniffEncoding(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0, 0x13, 0, 0, 0, 0xff, 0x10])),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/binary file/) });
    // Shift_JIS Japanese: not UTF-8, not Latin-1.
    const sjis = Buffer.from(
      '8374835f8343838b96bc2c92ca2c89bf8ae80a82b182ea82cd93fa967b8cea82c582b7814288ea8d7396da82c582b781420a',
      'hex',
    );
    const refused = sniffEncoding(sjis);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/^is encoded as .+, which Dovetail does not read/);
  });

  it('counts the bytes a decoded text took in its encoding', () => {
    expect(encodedLength('é', 'utf-8')).toBe(2);
    expect(encodedLength('é', 'utf-16le')).toBe(2);
    expect(encodedLength('é', 'windows-1252')).toBe(1);
  });
});
