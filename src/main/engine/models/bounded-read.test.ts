// bounded-read and finite-check on real files: regular files only (links resolved), size limits, no blocking on a
// FIFO, and NaN/Inf found by file, tensor and element for each dtype.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBounded } from './bounded-read';
import { findNonFinite } from './finite-check';
import type { TensorInfo } from './safetensors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-bounded-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readBounded', () => {
  it('reads a regular file (also through a link), and gives null for a missing one', async () => {
    fs.writeFileSync(path.join(dir, 'real.json'), '{"a":1}');
    fs.symlinkSync(path.join(dir, 'real.json'), path.join(dir, 'link.json'));
    expect((await readBounded(path.join(dir, 'link.json'), 100, 'x'))?.toString()).toBe('{"a":1}');
    expect(await readBounded(path.join(dir, 'none.json'), 100, 'x')).toBeNull();
  });

  it('refuses a file over the limit, a FIFO, a device and a folder, naming the file', async () => {
    fs.writeFileSync(path.join(dir, 'big.json'), 'x'.repeat(101));
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    fs.mkdirSync(path.join(dir, 'folder.json'));
    const cases: [string, string][] = [
      ['big.json', 'big.json is 101 bytes, more than the 100 bytes such a file may have.'],
      ['pipe.json', 'pipe.json is a named pipe (FIFO), not a regular file.'],
      ['folder.json', 'folder.json is a folder, not a regular file.'],
    ];
    for (const [name, message] of cases) {
      await expect(readBounded(path.join(dir, name), 100, 'model-file')).rejects.toMatchObject({
        message,
        where: path.join(dir, name),
        code: 'model-file',
      });
    }
    await expect(readBounded('/dev/zero', 100, 'model-file')).rejects.toMatchObject({
      message: 'zero is a device, not a regular file.',
    });
  });
});

describe('findNonFinite', () => {
  function tensorFile(dtype: TensorInfo['dtype'], words: number[]): TensorInfo {
    const file = path.join(dir, `${dtype}.bin`);
    const width = dtype === 'F32' ? 4 : 2;
    const bytes = Buffer.alloc(words.length * width);
    words.forEach((w, i) => (width === 4 ? bytes.writeUInt32LE(w, i * 4) : bytes.writeUInt16LE(w, i * 2)));
    fs.writeFileSync(file, bytes);
    return {
      name: `t.${dtype}`,
      dtype,
      shape: [words.length],
      file: path.basename(file),
      path: file,
      offset: 0,
      length: bytes.length,
    };
  }

  it('finds NaN and Inf by bit pattern in F32, F16 and BF16, and nothing in finite data', async () => {
    expect(await findNonFinite([tensorFile('F32', [0x3f800000, 0x7f800000])])).toMatchObject({
      index: 1,
      value: 'Inf',
    });
    expect(await findNonFinite([tensorFile('F16', [0x3c00, 0x3c00, 0x7e00])])).toMatchObject({
      index: 2,
      value: 'NaN',
    });
    expect(await findNonFinite([tensorFile('BF16', [0xff80])])).toMatchObject({ index: 0, value: 'Inf' });
    // The largest finite values of each dtype are not flagged.
    expect(
      await findNonFinite([tensorFile('F32', [0x7f7fffff]), tensorFile('F16', [0x7bff]), tensorFile('BF16', [0x7f7f])]),
    ).toBeNull();
  });
});
