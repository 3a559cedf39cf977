// The user-path checks on real special files: a FIFO, a symlink to /dev/zero, /proc, a folder, a sparse file over
// the size limit, NUL and control characters in the text. Each is a UserError naming the path, never a Node code.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { checkPathText, checkUserFile, formatBytes, virtualFileSystem } from './user-files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-user-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const check = { where: 'test: path', maxBytes: 1024 * 1024, expected: 'a .jsonl or .csv file' };

async function refusal(target: string, maxBytes = check.maxBytes): Promise<UserError> {
  const error: unknown = await checkUserFile(target, { ...check, maxBytes }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError for ${target}, got ${String(error)}`);
  expect(error.message).not.toMatch(/\bE[A-Z]{3,}\b/); // no ENOENT, EISDIR ... in what the user reads
  expect(error.where).toBe('test: path');
  return error;
}

describe.runIf(process.platform === 'linux')('checkUserFile', () => {
  it('accepts a regular file, also through a symlink', async () => {
    const target = path.join(dir, 'rows.jsonl');
    fs.writeFileSync(target, '{"a": 1}\n');
    fs.symlinkSync(target, path.join(dir, 'link.jsonl'));
    expect((await checkUserFile(path.join(dir, 'link.jsonl'), check)).size).toBe(9);
  });

  it('refuses a FIFO, a link to /dev/zero, /proc, a folder and a missing file', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal(fifo)).message).toMatch(/is a named pipe \(FIFO\), not a regular file/);
    const zero = path.join(dir, 'zero.jsonl');
    fs.symlinkSync('/dev/zero', zero);
    expect((await refusal(zero)).message).toMatch(/is a device, not a regular file/);
    expect((await refusal('/proc/self/environ')).message).toMatch(/system folder \(\/proc\)/);
    expect((await refusal(dir)).message).toMatch(/is a folder, not a regular file/);
    expect((await refusal(path.join(dir, 'nope.csv'))).message).toMatch(/does not exist/);
  });

  it('refuses a file over the size limit without reading it (a sparse 2 GiB file)', async () => {
    const sparse = path.join(dir, 'huge.csv');
    fs.closeSync(fs.openSync(sparse, 'w'));
    fs.truncateSync(sparse, 2 * 1024 ** 3);
    const error = await refusal(sparse);
    expect(error.message).toMatch(/is 2\.0 GiB, over the limit of 1\.0 MiB/);
    expect(error.code).toBe('file-too-large');
  });

  it('names the virtual file system of /sys and /dev, and none for the temp folder', async () => {
    expect(await virtualFileSystem('/sys/kernel')).toBe('/sys');
    expect(await virtualFileSystem('/dev/shm/x')).toBe('/dev');
    expect(await virtualFileSystem(path.join(dir, 'new', 'folder'))).toBeUndefined();
  });
});

describe('checkPathText', () => {
  it('refuses NUL and control characters with a UserError', () => {
    expect(() => checkPathText('/tmp/a\u0000b.csv', 'w')).toThrow(/contains a NUL character/);
    expect(() => checkPathText('/tmp/a\nb.csv', 'w')).toThrow(/contains a control character/);
    expect(() => checkPathText('/tmp/ok file.csv', 'w')).not.toThrow();
  });

  it('formats sizes for people', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(8 * 1024 ** 3)]).toEqual([
      '512 bytes',
      '2.0 KiB',
      '8.0 GiB',
    ]);
  });
});
