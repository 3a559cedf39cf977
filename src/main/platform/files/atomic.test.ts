// Atomic writes: the target ends up with the new content or keeps the old, and no temp file is left either way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathExists, readTextIfExists, writeFileAtomic, writeJsonAtomic } from './atomic';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving only the target', async () => {
    const file = path.join(dir, 'settings.json');
    await writeJsonAtomic(file, { a: 1 });
    await writeJsonAtomic(file, { a: 2 });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ a: 2 });
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('keeps the old content and leaves no temp file when the rename fails', async () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x'); // renaming a file over a non-empty folder fails
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'f.txt'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('readTextIfExists / pathExists', () => {
  it('distinguish a missing file from a present one', async () => {
    const file = path.join(dir, 'a.txt');
    expect(await readTextIfExists(file)).toBeUndefined();
    expect(await pathExists(file)).toBe(false);
    fs.writeFileSync(file, 'hello');
    expect(await readTextIfExists(file)).toBe('hello');
    expect(await pathExists(file)).toBe(true);
    expect(await pathExists(path.join(file, 'below-a-file'))).toBe(false);
  });
});
