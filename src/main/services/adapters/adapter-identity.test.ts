// AdapterIdentity on real folders: the hash covers the weights, follows a change, and refuses a file that differs
// from the digest recorded when the adapter was saved (or is not a regular file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lineageJson } from '../../engine/train/lineage';
import { AdapterIdentity } from './adapter-identity';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-adapter-id-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An adapter folder as saveAdapter writes it: PEFT files plus dovetail_adapter.json with their digests. */
function adapterFolder(name: string, weights: Uint8Array): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder);
  const files = {
    'adapter_config.json': new TextEncoder().encode('{"peft_type":"LORA","r":2}'),
    'adapter_model.safetensors': weights,
  };
  for (const [file, bytes] of Object.entries(files)) fs.writeFileSync(path.join(folder, file), bytes);
  const lineage = lineageJson(
    {
      source: 'imported',
      base_model: { content_hash: 'a'.repeat(64), name: null },
      dataset: null,
      template: null,
      hyper_parameters: {},
      final_losses: null,
      created_at: '2026-01-01T00:00:00.000Z',
      app_version: 'test',
    },
    'lora',
    files,
  );
  fs.writeFileSync(path.join(folder, 'dovetail_adapter.json'), JSON.stringify(lineage));
  return folder;
}

describe('AdapterIdentity', () => {
  it('gives equal weights one hash and other weights another', async () => {
    const identity = new AdapterIdentity();
    const a = await identity.of(adapterFolder('a', new Uint8Array([1, 2, 3, 4])));
    expect(await identity.of(adapterFolder('a-copy', new Uint8Array([1, 2, 3, 4])))).toBe(a);
    expect(await identity.of(adapterFolder('b', new Uint8Array([1, 2, 3, 5])))).not.toBe(a);
  });

  it('refuses weights changed after saving, and a weights file replaced by a link to /dev/zero', async () => {
    const identity = new AdapterIdentity();
    const folder = adapterFolder('a', new Uint8Array([1, 2, 3, 4]));
    await identity.of(folder);
    const weights = path.join(folder, 'adapter_model.safetensors');
    fs.writeFileSync(weights, new Uint8Array([9, 2, 3, 4]));
    fs.utimesSync(weights, new Date(), new Date(Date.now() + 10_000));
    await expect(identity.of(folder)).rejects.toMatchObject({
      message: 'adapter_model.safetensors changed since dovetail_adapter.json recorded it.',
      code: 'adapter-modified',
      where: weights,
    });
    fs.rmSync(weights);
    fs.symlinkSync('/dev/zero', weights);
    await expect(identity.of(folder)).rejects.toMatchObject({
      message: 'adapter_model.safetensors is a device, not a regular file.',
      code: 'file-not-regular',
    });
  });
});
