// Blob store: content addressing, dedup, streaming, hash checks, and no partial or temp files after a failure.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BugError, CancelledError, UserError } from '../../../shared/errors';
import { BlobStore } from './blob-store';

let dir: string;
let root: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-blobs-'));
  root = path.join(dir, 'blobs');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under the store, relative to its root. */
function files(): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((name) => fs.statSync(path.join(root, name)).isFile())
    .sort();
}

describe('BlobStore', () => {
  it('stores bytes under their sha256 with a two-character fan-out, and reads them back', async () => {
    const store = await BlobStore.open(root);
    const bytes = Buffer.from('hello blobs');
    const digest = await store.put(bytes);
    expect(digest).toBe(sha(bytes));
    expect(store.path(digest)).toBe(path.join(root, digest.slice(0, 2), digest));
    expect(await store.has(digest)).toBe(true);
    expect(await store.read(digest)).toEqual(bytes);
    expect(await store.verify(digest)).toBe(true);
    expect(await store.has(sha(Buffer.from('other')))).toBe(false);
  });

  it('keeps one file for identical content', async () => {
    const store = await BlobStore.open(root);
    const a = await store.put(Buffer.from('same'));
    const b = await store.put(Readable.from([Buffer.from('sa'), Buffer.from('me')]));
    expect(a).toBe(b);
    expect(files()).toEqual([path.join(a.slice(0, 2), a)]);
  });

  it('streams a file in and out', async () => {
    const store = await BlobStore.open(root);
    const source = path.join(dir, 'weights.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(source, bytes);
    const digest = await store.putFile(source);
    expect(digest).toBe(sha(bytes));
    const chunks: Buffer[] = [];
    for await (const chunk of await store.openRead(digest)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('refuses content that does not match the expected hash, leaving nothing behind', async () => {
    const store = await BlobStore.open(root);
    const error = await store
      .put(Buffer.from('tampered'), { expectedSha256: sha(Buffer.from('original')) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('blob-hash-mismatch');
    expect(files()).toEqual([]);
    expect(
      await store.put(Buffer.from('original'), { expectedSha256: sha(Buffer.from('original')).toUpperCase() }),
    ).toBe(sha(Buffer.from('original')));
  });

  it('removes the temp file when the source stream fails midway', async () => {
    const store = await BlobStore.open(root);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(1024, 1);
      throw new Error('disk unplugged');
    }
    await expect(store.put(failing())).rejects.toThrow('disk unplugged');
    expect(files()).toEqual([]);
  });

  it('stops on cancel with a CancelledError and cleans up', async () => {
    const store = await BlobStore.open(root);
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(10, 1);
      controller.abort();
      yield Buffer.alloc(10, 2);
    }
    await expect(store.put(slow(), { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(files()).toEqual([]);
  });

  it('rejects string chunks and malformed digests as bugs', async () => {
    const store = await BlobStore.open(root);
    await expect(
      store.put(Readable.from(['text'], { objectMode: true }) as AsyncIterable<Uint8Array>),
    ).rejects.toBeInstanceOf(BugError);
    expect(files()).toEqual([]);
    expect(() => store.path('../../etc/passwd')).toThrow(BugError);
  });

  it('reports a missing blob or source file as a UserError naming the file', async () => {
    const store = await BlobStore.open(root);
    const digest = sha(Buffer.from('never stored'));
    await expect(store.read(digest)).rejects.toMatchObject({ code: 'blob-missing', where: store.path(digest) });
    const missing = path.join(dir, 'nope.bin');
    await expect(store.putFile(missing)).rejects.toMatchObject({ code: 'file-unreadable', where: missing });
  });

  it('detects a blob altered on disk', async () => {
    const store = await BlobStore.open(root);
    const digest = await store.put(Buffer.from('pristine'));
    fs.writeFileSync(store.path(digest), 'altered');
    expect(await store.verify(digest)).toBe(false);
  });

  it('sweeps stale temp files at open and keeps recent ones', async () => {
    await BlobStore.open(root);
    const stale = path.join(root, '.tmp', 'stale.tmp');
    const fresh = path.join(root, '.tmp', 'fresh.tmp');
    fs.writeFileSync(stale, 'x');
    fs.writeFileSync(fresh, 'y');
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    fs.utimesSync(stale, old, old);
    await BlobStore.open(root);
    expect(fs.readdirSync(path.join(root, '.tmp'))).toEqual(['fresh.tmp']);
  });
});
