// The audit trail through the composed app (real dispatcher, access control, services, SQLite and engine worker):
// state-changing calls are recorded with their actor, redacted arguments and content hashes; reads and refused calls
// are not; an edit of one row made directly in SQLite is named by audit.verify.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, AuditEntry } from '../../../shared/contract';
import { composeApp, type ComposedApp } from '../../compose';
import { localClient } from '../../headless/local-client';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { idsIn } from './recorder';

const DEMO_MODEL = path.resolve('resources/models/dovetail-wordnet-13m');

let dir: string;
let app: ComposedApp;
let api: Api;
let entries: AuditEntry[];
let modelHash: string;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-audit-app-')));
  app = composeApp({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(dir, 'user'),
    engineWorkerScript: await engineWorkerScript(),
    log: () => undefined,
  });
  api = localClient(app.dispatcher);
  await api.workspace.create({ path: path.join(dir, 'ws'), name: 'Audited' });
  const owner = (await api.users.current({}))!;
  await api.users.setPassphrase({ id: owner.id, next: 'owner passphrase' });
  const rita = await api.users.create({ name: 'Rita', role: 'editor', passphrase: 'rita passphrase' });
  await api.users.setCurrent({ id: rita.id, passphrase: 'rita passphrase' });
  await api.users.list({});
  await expect(api.users.create({ name: 'Sam', role: 'analyst' })).rejects.toThrow(/needs an admin/);
  const model = await api.models.add({ folder: DEMO_MODEL });
  modelHash = model.contentHash;
  await api.models.rename({ id: model.id, name: 'Tiny' });
  entries = (await api.audit.list({})).entries.reverse();
}, 180_000);
afterAll(async () => {
  await app?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the audit recorder', () => {
  it('records each successful state-changing call, in order, and no reads or refusals', () => {
    expect(entries.map((e) => e.method)).toEqual([
      'workspace.create',
      'users.setPassphrase',
      'users.create',
      'users.setCurrent',
      'models.add',
      'models.rename',
    ]);
  });

  it('says who made each change', () => {
    expect(entries[0]!.actor).toEqual({ kind: 'nobody', transport: 'cli' });
    expect(entries[1]!.actor).toMatchObject({ kind: 'profile', name: 'Owner' });
    expect(entries[4]!.actor).toMatchObject({ kind: 'profile', name: 'Rita' });
  });

  it('keeps the arguments without secrets', () => {
    expect(entries[2]!.args).toEqual({ name: 'Rita', role: 'editor', passphrase: '[redacted]' });
    const stored = app.workspace.active.db
      .prepare<{ text: string }>("SELECT group_concat(args || actor || objects, ' ') AS text FROM audit_log")
      .get()!.text;
    expect(stored).not.toMatch(/owner passphrase|rita passphrase/);
    expect(stored).toContain('[redacted]');
  });

  it('names the objects touched, with content hashes before and after where they have one', () => {
    const [add, rename] = entries.slice(4);
    expect(add!.objects).toEqual([{ id: expect.any(String), after: modelHash }]);
    expect(rename!.objects).toEqual([{ id: add!.objects[0]!.id, before: modelHash, after: modelHash }]);
    expect(rename!.args).toEqual({ id: add!.objects[0]!.id, name: 'Tiny' });
    expect(idsIn({ id: 'a', roundId: 'b', adapterIds: ['c'], name: 'n', nested: { id: 'x' } })).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('verifies, and names the entry edited directly in SQLite', async () => {
    expect(await api.audit.verify({})).toMatchObject({
      ok: true,
      checked: 6,
      head: { seq: 6, hash: entries[5]!.hash },
    });
    app.workspace.active.db
      .prepare("UPDATE audit_log SET args = json_set(args, '$.role', 'admin') WHERE seq = 3")
      .run();
    expect(await api.audit.verify({})).toMatchObject({ ok: false, broken: { seq: 3 } });
  });
});
