// ContentHasher on real files: whole-file sha256 equal to a one-shot digest, cache by (size, mtime, inode), progress,
// cancel, and refusal of FIFOs, devices and symlinks to them without blocking.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../shared/errors';
import { combineDigests, ContentHasher, type HashProgress } from './content-hash';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-hash-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('ContentHasher', () => {
  it('hashes whole files in chunks, with progress up to the total', async () => {
    const big = new Uint8Array(9 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const small = new TextEncoder().encode('{"a":1}');
    const files = [write('w.safetensors', big), write('config.json', small)];
    const progress: HashProgress[] = [];
    const out = await new ContentHasher().hashFiles(files, { onProgress: (p) => progress.push(p) });
    expect(out.map((h) => h.sha256)).toEqual([sha(big), sha(small)]);
    expect(out.map((h) => h.size)).toEqual([big.length, small.length]);
    expect(progress.at(-1)).toEqual({
      file: '',
      bytesDone: big.length + small.length,
      bytesTotal: big.length + small.length,
    });
  });

  it('reads a file again only when its size, mtime or inode changed', async () => {
    const file = write('a.bin', new Uint8Array([1, 2, 3]));
    const hasher = new ContentHasher();
    const first = await hasher.hashFile(file);
    expect(hasher.cached(file, first)).toEqual(first);
    // Same size, new bytes, new mtime: a new digest.
    fs.writeFileSync(file, new Uint8Array([1, 2, 4]));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = await hasher.hashFile(file);
    expect(second.sha256).toBe(sha(new Uint8Array([1, 2, 4])));
    expect(second.sha256).not.toBe(first.sha256);
    // Replaced by another file (new inode) with the same size and mtime.
    const other = write('b.bin', new Uint8Array([9, 9, 9]));
    fs.utimesSync(other, new Date(second.mtimeMs), new Date(second.mtimeMs));
    fs.renameSync(other, file);
    expect((await hasher.hashFile(file)).sha256).toBe(sha(new Uint8Array([9, 9, 9])));
  });

  it('stops with CancelledError when the signal aborts', async () => {
    const file = write('big.bin', new Uint8Array(20 * 1024 * 1024));
    const controller = new AbortController();
    const hashing = new ContentHasher().hashFile(file, {
      onProgress: () => controller.abort(),
      signal: controller.signal,
      progressEvery: 1,
    });
    await expect(hashing).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses a FIFO, a device and a symlink to /dev/zero with a UserError naming the file', async () => {
    execFileSync('mkfifo', [path.join(dir, 'fifo.safetensors')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.safetensors'));
    const hasher = new ContentHasher();
    for (const [name, kind] of [
      ['fifo.safetensors', 'a named pipe (FIFO)'],
      ['zero.safetensors', 'a device'],
    ] as const) {
      const error = await hasher.hashFile(path.join(dir, name)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({
        message: `${name} is ${kind}, not a regular file.`,
        where: path.join(dir, name),
        code: 'file-not-regular',
      });
    }
    await expect(hasher.hashFile('/dev/urandom')).rejects.toMatchObject({ code: 'file-not-regular' });
  });

  it('combines named digests in order under a version tag', () => {
    const parts = [
      { name: 'a', size: 1, sha256: 'x' },
      { name: 'b', size: 2, sha256: 'y' },
    ];
    expect(combineDigests('v1', parts)).not.toBe(combineDigests('v1', [...parts].reverse()));
    expect(combineDigests('v1', parts)).not.toBe(combineDigests('v2', parts));
    expect(combineDigests('v1', parts)).toMatch(/^[0-9a-f]{64}$/);
  });
});
