// The recent list through WorkspaceService: order, cap, dedupe, the exists flag, forgetting, and a damaged file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECENT_CAP, RECENT_FILE } from './recent-list';
import { WorkspaceService } from './workspace-service';

let dir: string;
let appData: string;
let service: WorkspaceService;
let tick: number;
let warnings: string[];

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-recent-')));
  appData = path.join(dir, 'app-data');
  tick = 0;
  warnings = [];
  service = new WorkspaceService({
    appDataDir: appData,
    clock: () => new Date(Date.UTC(2026, 0, 1) + tick++ * 1000),
    appVersion: '0.1.0-test',
    events: { emit: () => undefined },
    paths: { homeDir: dir, relativeTo: dir },
    onWarning: (message) => warnings.push(message),
  });
});
afterEach(async () => {
  await service.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const names = async (): Promise<string[]> => (await service.recent({})).map((entry) => entry.name);

describe('recent workspaces', () => {
  it('lists most recent first and moves a reopened workspace to the top without duplicating it', async () => {
    await service.create({ path: 'a', name: 'A' });
    await service.create({ path: 'b', name: 'B' });
    await service.create({ path: 'c', name: 'C' });
    expect(await names()).toEqual(['C', 'B', 'A']);
    await service.open({ path: path.join(dir, 'a') });
    await service.open({ path: './b/../a/' }); // same folder, typed another way: still one entry
    const recent = await service.recent({});
    expect(recent.map((entry) => entry.name)).toEqual(['A', 'C', 'B']);
    expect(recent[0]).toMatchObject({ path: path.join(dir, 'a'), exists: true });
    expect(new Date(recent[0]?.openedAt ?? 0) > new Date(recent[1]?.openedAt ?? 0)).toBe(true);
  });

  it('dedupes a folder reached through a symlink', async () => {
    await service.create({ path: 'real', name: 'Real' });
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'), 'dir');
    await service.close({});
    expect((await service.open({ path: 'link' })).path).toBe(path.join(dir, 'real'));
    expect(await names()).toEqual(['Real']);
  });

  it(`keeps at most ${RECENT_CAP} entries`, async () => {
    for (let i = 0; i < RECENT_CAP + 3; i++) await service.create({ path: `ws${i}`, name: `W${i}` });
    const listed = await names();
    expect(listed).toHaveLength(RECENT_CAP);
    expect(listed[0]).toBe(`W${RECENT_CAP + 2}`);
    expect(listed).not.toContain('W0');
  });

  it('marks a workspace whose folder has gone, and forgets it on request', async () => {
    await service.create({ path: 'kept', name: 'Kept' });
    await service.create({ path: 'gone', name: 'Gone' });
    await service.close({});
    fs.rmSync(path.join(dir, 'gone'), { recursive: true });
    expect((await service.recent({})).map((entry) => [entry.name, entry.exists])).toEqual([
      ['Gone', false],
      ['Kept', true],
    ]);
    expect(await service.forgetRecent({ path: 'gone' })).toBeNull();
    expect(await names()).toEqual(['Kept']);
  });

  it('treats a damaged recent file as empty and rewrites it on the next open', async () => {
    fs.mkdirSync(appData);
    fs.writeFileSync(path.join(appData, RECENT_FILE), '{"version": 1, "workspaces": [ {"path": tru');
    expect(await service.recent({})).toEqual([]);
    await service.create({ path: 'a', name: 'A' });
    expect(await names()).toEqual(['A']);
    expect(fs.readdirSync(appData)).toEqual([RECENT_FILE]);
  });

  it('keeps the good entries of a hand-edited file', async () => {
    fs.mkdirSync(appData);
    const good = { path: path.join(dir, 'x'), name: 'X', openedAt: '2026-01-01T00:00:00.000Z' };
    const file = {
      version: 1,
      workspaces: [good, { path: 'relative/path', name: 'R', openedAt: 'x' }, { name: 'no path' }, good],
    };
    fs.writeFileSync(path.join(appData, RECENT_FILE), JSON.stringify(file));
    expect(await service.recent({})).toEqual([{ ...good, exists: false }]);
  });

  it('does not fail an open when the recent list cannot be saved', async () => {
    fs.writeFileSync(appData, 'a file where the app-data folder should be');
    const info = await service.create({ path: 'a', name: 'A' });
    expect(service.active.info).toEqual(info);
    expect(warnings).toHaveLength(1);
  });
});
