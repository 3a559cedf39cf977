// The worker's loaded-model cache in-process (real ORT sessions): LRU of 2, held models never evicted, unload while
// in use releases the sessions when the last request ends, failed loads are not cached, a new weight format reloads,
// a request naming a format gets that format beside the model's own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REFERENCE_ROOT } from '../models/testing/reference-fixtures';
import { LoadedModels } from './loaded-models';

const folder = (name: string) => join(REFERENCE_ROOT, name);
let cache: LoadedModels | undefined;
afterEach(() => cache?.dispose());

describe('LoadedModels', () => {
  it('keeps the two most recently used models and releases the third one back', async () => {
    cache = new LoadedModels({ threads: 1 });
    for (const name of ['llama', 'qwen2', 'llama', 'mistral'])
      (await cache.acquire({ folder: folder(name) })).release();
    await cache.settled();
    expect(cache.size).toBe(2);
    expect(cache.sessionCount).toBe(2);
    const again = await cache.acquire({ folder: folder('llama') });
    expect(again.loadMs).toBe(0); // used more recently than qwen2, so it stayed
    again.release();
    const qwen = await cache.acquire({ folder: folder('qwen2') });
    expect(qwen.loadMs).toBeGreaterThan(0);
    qwen.release();
  });

  it('never evicts a model a request holds, and unload waits for the request to end', async () => {
    cache = new LoadedModels({ threads: 1, capacity: 1 });
    const held = await cache.acquire({ folder: folder('llama') });
    (await cache.acquire({ folder: folder('qwen2') })).release();
    await cache.settled();
    expect(cache.sessionCount).toBe(1); // qwen2 went, llama is held
    expect(await cache.unload(folder('llama'))).toBe(1);
    expect(cache.sessionCount).toBe(1);
    held.release();
    await cache.settled();
    expect(cache.sessionCount).toBe(0);
  });

  it('does not cache a failed load', async () => {
    cache = new LoadedModels({ threads: 1 });
    await expect(cache.acquire({ folder: folder('no-such-model') })).rejects.toMatchObject({ code: 'model-folder' });
    expect(cache.size).toBe(0);
  });
});

describe('LoadedModels weight formats', () => {
  it('loads a model at its weight format, and again when the format changes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dovetail-loaded-weights-'));
    try {
      let format: 'q4' | null = null;
      cache = new LoadedModels({ threads: 1, weights: () => (format ? { format, cacheFolder: root } : null) });
      const ids = { data: BigInt64Array.from([5, 9, 20, 7], BigInt), dims: [1, 4] as [number, number] };
      const plain = await cache.acquire({ folder: folder('llama') });
      expect(plain.model.weightFormat).toBe('stored');
      const before = await plain.model.runner.forward({ inputIds: ids });
      plain.release();
      format = 'q4';
      const quantized = await cache.acquire({ folder: folder('llama') });
      expect(quantized.loadMs).toBeGreaterThan(0);
      expect(quantized.model.weightFormat).toBe('q4');
      const after = await quantized.model.runner.forward({ inputIds: ids });
      expect(after.dims).toEqual(before.dims);
      expect(after.data.some((v, i) => Math.abs(v - (before.data[i] as number)) > 1e-4)).toBe(true);
      quantized.release();
      expect((await cache.acquire({ folder: folder('llama') })).loadMs).toBe(0); // same format: kept
    } finally {
      await cache?.dispose();
      cache = undefined;
      await rm(root, { recursive: true, force: true });
    }
  });
  it('runs a request that names a format at that format, beside the model at its own', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dovetail-loaded-named-'));
    try {
      cache = new LoadedModels({
        threads: 1,
        weights: (_hash, named) => (named && named !== 'stored' ? { format: named, cacheFolder: root } : null),
      });
      const ids = { data: BigInt64Array.from([5, 9, 20, 7], BigInt), dims: [1, 4] as [number, number] };
      const own = await cache.acquire({ folder: folder('llama') });
      const named = await cache.acquire({ folder: folder('llama'), weightFormat: 'q8' });
      expect(own.model.weightFormat).toBe('stored');
      expect(named.model.weightFormat).toBe('q8');
      expect(cache.size).toBe(2);
      const a = await own.model.runner.forward({ inputIds: ids });
      const b = await named.model.runner.forward({ inputIds: ids });
      expect(b.data.some((v, i) => Math.abs(v - (a.data[i] as number)) > 1e-5)).toBe(true);
      own.release();
      named.release();
      // A third model evicts the least recently used entry, the stored one: only its sessions go, the 8-bit entry
      // stays loaded and answers as before.
      (await cache.acquire({ folder: folder('qwen2') })).release();
      await cache.settled();
      const kept = await cache.acquire({ folder: folder('llama'), weightFormat: 'q8' });
      expect(kept.loadMs).toBe(0);
      expect(Array.from((await kept.model.runner.forward({ inputIds: ids })).data)).toEqual(Array.from(b.data));
      kept.release();
      const reloaded = await cache.acquire({ folder: folder('llama') });
      expect(reloaded.loadMs).toBeGreaterThan(0);
      reloaded.release();
    } finally {
      await cache?.dispose();
      cache = undefined;
      await rm(root, { recursive: true, force: true });
    }
  });
});
