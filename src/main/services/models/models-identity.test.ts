// Model identity covers the weights: fine-tunes that share config, tokenizer and safetensors headers are different
// models; hashing reports progress and can be cancelled; a touched weight file is re-checked by hashing it again; a
// model registered with the older header-only hash keeps working. Real engine worker, real files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../../shared/contract/models';
import { loadCheckpoint } from '../../engine/models';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { DEMO, FIXTURES, modelsHarness, type ModelsHarness } from './testing/models-harness';

let host: EngineHost;
let h: ModelsHarness;

beforeAll(async () => {
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  await host.start();
});
afterAll(() => host.dispose());
beforeEach(async () => {
  h = await modelsHarness(host, { inlineRecheckBytes: 1024 });
});
afterEach(() => h.dispose());

/** Overwrites the last float32 of a safetensors file's data with `value`: same size, same header, other weights. */
function retouch(file: string, value: number): void {
  const bytes = fs.readFileSync(file);
  bytes.writeFloatLE(value, bytes.length - 4);
  fs.writeFileSync(file, bytes);
}

describe('model identity', () => {
  it('tells apart a fine-tune whose config, tokenizer and safetensors headers equal its base', async () => {
    const base = await h.ok('add', { folder: h.copy(path.join(FIXTURES, 'tiny-llama-f32'), 'base') });
    const tunedFolder = h.copy(path.join(FIXTURES, 'tiny-llama-f32'), 'tuned');
    retouch(path.join(tunedFolder, 'model.safetensors'), 0.125);
    const tuned = await h.ok('add', { folder: tunedFolder });
    expect(tuned.id).not.toBe(base.id);
    expect(tuned.contentHash).not.toBe(base.contentHash);
    expect(h.rows()).toBe(2);
    expect(await h.ok('add', { folder: h.copy(tunedFolder, 'tuned-copy') })).toMatchObject({ id: tuned.id });
  });

  it('reports hashing progress over every file the model reads, weights included', async () => {
    await h.ok('add', { folder: DEMO });
    const files = [
      'config.json',
      'generation_config.json',
      'model-00001-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00003-of-00003.safetensors',
      'model.safetensors.index.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ];
    const total = files.reduce((a, f) => a + fs.statSync(path.join(DEMO, f)).size, 0);
    expect(new Set(h.progress.map((p) => p.file))).toEqual(new Set([...files, '']));
    expect(h.progress.at(-1)).toEqual({ folder: fs.realpathSync(DEMO), file: '', bytesDone: total, bytesTotal: total });
    expect(h.progress.every((p, i) => i === 0 || p.bytesDone >= (h.progress[i - 1]?.bytesDone ?? 0))).toBe(true);
  });

  it('cancels hashing on request and registers nothing', async () => {
    const folder = h.copy(DEMO, 'demo');
    h.onProgress = (p) => {
      if (p.file.endsWith('.safetensors')) void h.call('cancelHashing', { folder });
    };
    expect(await h.error('add', { folder })).toMatchObject({
      kind: 'cancelled',
      message: 'Hashing the model files was cancelled; nothing was registered or changed.',
    });
    expect(h.rows()).toBe(0);
    expect(h.changes).toEqual([]);
    expect(await h.ok<boolean>('cancelHashing', { folder })).toBe(false);
  });

  it('asks for a re-check when a large file was touched, and finds a changed weight by hashing', async () => {
    const folder = h.copy(path.join(FIXTURES, 'tiny-llama-f32'), 'llama');
    const model = await h.ok('add', { folder });
    const weights = path.join(folder, 'model.safetensors');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(weights, later, later);
    expect(await h.ok('get', { id: model.id })).toMatchObject({
      available: false,
      recheckable: true,
      unavailableReason:
        'model.safetensors was modified on disk (its date changed) since Dovetail hashed it; re-check the model to hash it again.',
    });
    expect(await h.ok('recheck', { id: model.id })).toMatchObject({ available: true, recheckable: false });
    expect(await h.ok('get', { id: model.id })).toMatchObject({ available: true });

    retouch(weights, 0.25);
    expect(await h.ok('get', { id: model.id })).toMatchObject({ available: false, recheckable: true });
    expect(await h.ok('recheck', { id: model.id })).toMatchObject({
      available: false,
      recheckable: false,
      unavailableReason: 'model.safetensors has changed since the model was added.',
    });
  });

  it('keeps a model registered with the older header-only hash, and tells it from a fine-tune', async () => {
    const folder = h.copy(path.join(FIXTURES, 'tiny-llama-f32'), 'old');
    const added = await h.ok('add', { folder });
    const headerHash = await makeLegacy(h, added);
    expect(await h.ok('get', { id: added.id })).toMatchObject({ contentHash: headerHash, available: true });
    // The same folder again is the legacy entry (its files hashed now equal); a fine-tune is a new model.
    expect(await h.ok('add', { folder: h.copy(folder, 'old-copy') })).toMatchObject({
      id: added.id,
      contentHash: headerHash,
    });
    const tuned = h.copy(folder, 'tuned');
    retouch(path.join(tuned, 'model.safetensors'), 0.5);
    expect(await h.ok('add', { folder: tuned })).toMatchObject({ id: 'model-2' });
    // A re-check upgrades the legacy entry's digests to whole files; its identity stays.
    expect(await h.ok('recheck', { id: added.id })).toMatchObject({ available: true, contentHash: headerHash });
    const files = JSON.parse(
      (h.workspace.active.db.prepare('SELECT files FROM models WHERE id = ?').get(added.id) as { files: string }).files,
    ) as { signature?: unknown }[];
    expect(files.every((f) => f.signature !== undefined)).toBe(true);
  });
});

/** Rewrites a row as the registry wrote it before weights were hashed; returns its header-only hash. */
async function makeLegacy(h: ModelsHarness, model: ModelRecord): Promise<string> {
  const files = [
    'config.json',
    'generation_config.json',
    'model.safetensors',
    'tokenizer.json',
    'tokenizer_config.json',
  ].filter((f) => fs.existsSync(path.join(model.folder, f)));
  const legacy = files.map((name) => {
    const bytes = fs.readFileSync(path.join(model.folder, name));
    const part = name.endsWith('.safetensors') ? bytes.subarray(0, 8 + Number(bytes.readBigUInt64LE(0))) : bytes;
    return { name, size: bytes.length, digest: createHash('sha256').update(part).digest('hex') };
  });
  const { headerHash } = await loadCheckpoint(model.folder);
  h.workspace.active.db
    .prepare('UPDATE models SET content_hash = ?, files = ? WHERE id = ?')
    .run(headerHash, JSON.stringify(legacy), model.id);
  return headerHash;
}
