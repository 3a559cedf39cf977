// The hostile-input corpus (testing/hostile-inputs.ts) through the composed app with the real engine worker: every
// damaged model or adapter folder gives a UserError naming the file, registers nothing and leaves no folder behind,
// and the engine still answers afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { composeApp, type ComposedApp } from '../../compose';
import { localClient } from '../../headless/local-client';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { ADAPTER_BASE, HOSTILE_CASES, writeLora } from './testing/hostile-inputs';

let dir: string;
let app: ComposedApp;
let api: Api;
let baseModelId: string;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-hostile-')));
  app = composeApp({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(dir, 'user'),
    engineWorkerScript: await engineWorkerScript(),
    log: () => undefined,
  });
  api = localClient(app.dispatcher);
  await api.workspace.create({ path: path.join(dir, 'ws'), name: 'Hostile inputs' });
  baseModelId = (await api.models.add({ folder: ADAPTER_BASE })).id;
}, 120_000);
afterAll(async () => {
  await app?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function adaptersFolder(): string[] {
  const folder = path.join(dir, 'ws', 'adapters');
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

describe('hostile model and adapter inputs', () => {
  it('has at least 20 cases, models and adapters both', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(HOSTILE_CASES.map((c) => c.kind))).toEqual(new Set(['model', 'adapter']));
  });

  it('a valid adapter for the corpus base imports (the corpus edits a working folder)', async () => {
    const folder = path.join(dir, 'valid-lora');
    writeLora(folder);
    const adapter = await api.adapters.importPeft({ folder, modelId: baseModelId });
    expect(adapter).toMatchObject({ method: 'lora', modelId: baseModelId });
    await api.adapters.remove({ id: adapter.id });
  }, 60_000);

  for (const c of HOSTILE_CASES) {
    it(`${c.kind}: ${c.name}`, async () => {
      const folder = path.join(dir, 'cases', c.name.replace(/[^a-z0-9]+/gi, '-'));
      fs.mkdirSync(path.dirname(folder), { recursive: true });
      await c.build(folder);
      const models = (await api.models.list({})).length;
      const adapters = (await api.adapters.list({})).length;
      const onDisk = adaptersFolder();
      const error = await (
        c.kind === 'model' ? api.models.add({ folder }) : api.adapters.importPeft({ folder, modelId: baseModelId })
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      const userError = error as UserError;
      expect(userError.message).toMatch(c.message);
      expect(userError.hint).toBeTruthy();
      if (c.where !== undefined) expect(userError.where).toBe(path.join(folder, c.where));
      expect((await api.models.list({})).length).toBe(models);
      expect((await api.adapters.list({})).length).toBe(adapters);
      expect(adaptersFolder()).toEqual(onDisk);
      expect((await api.engine.status({})).state).toBe('ready');
    }, 60_000);
  }
});
