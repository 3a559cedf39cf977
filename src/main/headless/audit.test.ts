// `dovetail audit verify <workspace>` through the composed app: 0 with the head printed for an intact chain, 1 naming
// the entry for one edited directly in SQLite, a UserError without a workspace or with an unknown action.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { composeApp, type ComposedApp } from '../compose';
import { engineWorkerScript } from '../host/testing/engine-worker-script';
import { runAudit } from './audit';
import { localClient } from './local-client';

let dir: string;
let app: ComposedApp;
let api: Api;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-audit-cli-')));
  app = composeApp({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(dir, 'user'),
    engineWorkerScript: await engineWorkerScript(),
    log: () => undefined,
  });
  api = localClient(app.dispatcher);
}, 120_000);
afterAll(async () => {
  await app.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('verifies a workspace named on the command line, and exits 1 naming an edited entry', async () => {
  const lines: string[] = [];
  const log = (...l: string[]): void => void lines.push(...l);
  await expect(runAudit(api, 'verify', undefined, { log })).rejects.toThrow(UserError);
  const folder = path.join(dir, 'ws');
  await api.workspace.create({ path: folder, name: 'CLI' });
  const owner = (await api.users.current({}))!;
  await api.users.setPassphrase({ id: owner.id, next: 'owner passphrase' });
  await api.users.signOut({});
  await api.workspace.close({});

  expect(await runAudit(api, 'verify', folder, { log })).toBe(0);
  // create, setPassphrase, signOut, then the open made by this command (nobody signed in: verify needs no profile)
  expect(lines[0]).toBe(`Audit chain of ${folder} is intact: 4 entries.`);
  expect(lines[1]).toMatch(/^Head: entry 4, hash [0-9a-f]{64}$/);

  app.workspace.active.db
    .prepare("UPDATE audit_log SET actor = json_set(actor, '$.name', 'Someone else') WHERE seq = 2")
    .run();
  lines.length = 0;
  expect(await runAudit(api, 'verify', folder, { log })).toBe(1);
  expect(lines).toEqual([
    `Audit chain of ${folder} is BROKEN after 1 intact entries.`,
    'Entry 2: its content was changed after it was written (the hash does not match)',
  ]);
  await expect(runAudit(api, 'check', folder, { log })).rejects.toThrow(/Unknown audit action/);
}, 120_000);
