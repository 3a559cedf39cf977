// WorkspaceService against real folders: create/open/close, refusals that change nothing, events, the active getter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventSink } from '../../../shared/contract/define';
import type { WorkspaceInfo, workspaceContract } from '../../../shared/contract/workspace';
import { UserError } from '../../../shared/errors';
import { workspaceMigrations } from '../../platform/db';
import { DATABASE_FILE, MARKER_FILE } from './layout';
import { WorkspaceService } from './workspace-service';

let dir: string;
let events: (WorkspaceInfo | null)[];
let service: WorkspaceService;
let tick: number;

function makeService(): WorkspaceService {
  const sink: EventSink<typeof workspaceContract> = {
    emit: (_event, payload) => events.push(payload as WorkspaceInfo | null),
  };
  return new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(Date.UTC(2026, 0, 1) + tick++ * 1000),
    appVersion: '0.1.0-test',
    events: sink,
    paths: { homeDir: path.join(dir, 'home'), relativeTo: dir },
  });
}

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-ws-')));
  fs.mkdirSync(path.join(dir, 'home'));
  events = [];
  tick = 0;
  service = makeService();
});
afterEach(async () => {
  await service.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file below `folder` with its bytes, to prove a refusal wrote nothing. */
function snapshot(folder: string): Record<string, string> {
  const names = (fs.readdirSync(folder, { recursive: true }) as string[]).sort();
  return Object.fromEntries(
    names.map((name) => {
      const full = path.join(folder, name);
      return [name, fs.statSync(full).isFile() ? fs.readFileSync(full).toString('base64') : 'dir'];
    }),
  );
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('WorkspaceService create/open/close', () => {
  it('creates a workspace, reopens it with the same id, and emits onChanged each time', async () => {
    const created = await service.create({ path: 'projects/ws', name: 'Support bot' });
    const folder = path.join(dir, 'projects', 'ws');
    expect(created).toMatchObject({
      name: 'Support bot',
      path: folder,
      createdAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: workspaceMigrations.length,
    });
    expect(fs.readdirSync(folder).sort()).toEqual(
      ['blobs', DATABASE_FILE, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-wal`, MARKER_FILE].sort(),
    );
    expect(await service.current({})).toEqual(created);

    expect(await service.close({})).toBeNull();
    expect(fs.readdirSync(folder).sort()).toEqual(['blobs', DATABASE_FILE, MARKER_FILE].sort());
    const reopened = await service.open({ path: folder });
    expect(reopened).toEqual(created);
    expect(events).toEqual([created, null, created]);
  });

  it('survives a restart: a new service instance opens the same workspace', async () => {
    const created = await service.create({ path: path.join(dir, 'ws'), name: 'A' });
    await service.dispose();
    service = makeService();
    expect(await service.current({})).toBeNull();
    expect((await service.open({ path: path.join(dir, 'ws') })).id).toBe(created.id);
  });

  it('gives other services the db and blob store of the open workspace, and a clear error when none is open', async () => {
    expect(() => service.active).toThrow('Open a workspace first');
    try {
      void service.active;
    } catch (error) {
      expect((error as UserError).code).toBe('no-workspace');
    }
    await service.create({ path: 'ws', name: 'A' });
    const { db, blobs, info } = service.active;
    expect(db.prepare('SELECT name FROM workspace').get()).toEqual({ name: 'A' });
    const digest = await blobs.put(Buffer.from('artifact'));
    expect(blobs.path(digest).startsWith(path.join(info.path, 'blobs'))).toBe(true);
    await service.close({});
    expect(() => service.active).toThrow(UserError);
    expect(() => db.prepare('SELECT 1')).toThrow(/closed/);
  });

  it('opening another workspace closes the current one', async () => {
    const a = await service.create({ path: 'a', name: 'A' });
    const dbA = service.active.db;
    const b = await service.create({ path: 'b', name: 'B' });
    expect(() => dbA.prepare('SELECT 1')).toThrow(/closed/);
    expect(service.active.info.id).toBe(b.id);
    expect((await service.open({ path: 'a' })).id).toBe(a.id);
    expect(events.map((e) => e?.name)).toEqual(['A', 'B', 'A']);
  });

  it('keeps the current workspace when opening another fails', async () => {
    const a = await service.create({ path: 'a', name: 'A' });
    fs.mkdirSync(path.join(dir, 'plain'));
    await rejection(service.open({ path: 'plain' }));
    expect(service.active.info).toEqual(a);
  });

  it('resolves ~ and relative paths to absolute ones', async () => {
    const created = await service.create({ path: '~/work/ws', name: 'Home' });
    expect(created.path).toBe(path.join(dir, 'home', 'work', 'ws'));
    expect((await service.open({ path: './home/work/ws/' })).id).toBe(created.id);
  });
});

describe('WorkspaceService refusals', () => {
  it('refuses to create in a non-empty folder that is not a workspace, and leaves it alone', async () => {
    const folder = path.join(dir, 'docs');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const before = snapshot(folder);
    const error = await rejection(service.create({ path: folder, name: 'X' }));
    expect(error).toMatchObject({ code: 'folder-not-empty', where: folder });
    expect(error.hint).toMatch(/empty folder/);
    expect(snapshot(folder)).toEqual(before);
  });

  it('creates in an empty existing folder (OS clutter allowed) but not over an existing workspace', async () => {
    const folder = path.join(dir, 'empty');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, '.DS_Store'), '');
    await service.create({ path: folder, name: 'X' });
    const error = await rejection(service.create({ path: folder, name: 'Y' }));
    expect(error.code).toBe('workspace-exists');
  });

  it('refuses to create where a file is', async () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect((await rejection(service.create({ path: 'file', name: 'X' }))).code).toBe('not-a-folder');
  });

  it('says clearly when a folder is missing or is not a workspace', async () => {
    expect(await rejection(service.open({ path: 'nowhere' }))).toMatchObject({
      code: 'workspace-missing',
      where: path.join(dir, 'nowhere'),
    });
    fs.mkdirSync(path.join(dir, 'plain'));
    fs.writeFileSync(path.join(dir, 'plain', 'a.txt'), 'x');
    const error = await rejection(service.open({ path: 'plain' }));
    expect(error).toMatchObject({ code: 'not-a-workspace', where: path.join(dir, 'plain') });
    expect(error.hint).toBeTruthy();
    expect(events).toEqual([]);
  });

  it('refuses a workspace from a newer version and changes no byte', async () => {
    const { path: folder } = await service.create({ path: 'ws', name: 'A' });
    await service.close({});
    const dbFile = path.join(folder, DATABASE_FILE);
    const bytes = fs.readFileSync(dbFile);
    bytes.writeUInt32BE(99, 60); // PRAGMA user_version lives at header offset 60
    fs.writeFileSync(dbFile, bytes);
    const before = snapshot(folder);
    const error = await rejection(service.open({ path: folder }));
    expect(error).toMatchObject({ code: 'db-newer', where: dbFile });
    expect(error.hint).toMatch(/Update Dovetail/);
    expect(snapshot(folder)).toEqual(before);
    expect(await service.current({})).toBeNull();
  });

  it('refuses a newer folder layout (marker) and changes no byte', async () => {
    const { path: folder } = await service.create({ path: 'ws', name: 'A' });
    await service.close({});
    fs.writeFileSync(path.join(folder, MARKER_FILE), JSON.stringify({ format: 'dovetail-workspace', layout: 7 }));
    const before = snapshot(folder);
    expect((await rejection(service.open({ path: folder }))).code).toBe('workspace-newer');
    expect(snapshot(folder)).toEqual(before);
  });

  it.each([
    ['garbage bytes', (file: string) => fs.writeFileSync(file, Buffer.alloc(4096, 0x42))],
    ['a truncated file', (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
  ])('refuses a corrupt database (%s) and changes no byte', async (_label, damage) => {
    const { path: folder } = await service.create({ path: 'ws', name: 'A' });
    await service.close({});
    const dbFile = path.join(folder, DATABASE_FILE);
    damage(dbFile);
    const before = snapshot(folder);
    const error = await rejection(service.open({ path: folder }));
    expect(error).toMatchObject({ code: 'db-corrupt', where: dbFile });
    expect(error.hint).toMatch(/backup/);
    expect(snapshot(folder)).toEqual(before);
  });

  it('refuses a workspace whose database is missing', async () => {
    const { path: folder } = await service.create({ path: 'ws', name: 'A' });
    await service.close({});
    fs.rmSync(path.join(folder, DATABASE_FILE));
    expect((await rejection(service.open({ path: folder }))).code).toBe('workspace-corrupt');
  });
});

describe('hostile workspace locations', () => {
  it
    .runIf(process.platform === 'linux')
    .each(['/proc/dovetail-ws', '/sys/dovetail/ws', '/dev/dovetail-ws', '/proc/self/fd/0'])(
    'refuses %s as a virtual file system, and the next call answers',
    async (target) => {
      const error = await rejection(service.create({ path: target, name: 'A' }));
      expect(error).toMatchObject({ code: 'virtual-file-system', where: 'workspace.create: path' });
      expect(error.message).toMatch(/holds views of the running system, not files/);
      expect((await rejection(service.open({ path: target }))).code).toBe('virtual-file-system');
      expect((await service.create({ path: 'ws', name: 'B' })).name).toBe('B');
    },
  );

  it('refuses a path with a NUL character without touching the disk', async () => {
    expect((await rejection(service.create({ path: 'ws\u0000x', name: 'A' }))).code).toBe('bad-path');
    expect(fs.readdirSync(dir).sort()).toEqual(['home']);
  });

  it('gives up a call that hangs after its time limit, and later calls go ahead', async () => {
    let release: () => void = () => undefined;
    const hanging = new WorkspaceService({
      appDataDir: path.join(dir, 'app-data'),
      clock: () => new Date(),
      appVersion: 'test',
      events: { emit: () => undefined },
      paths: { homeDir: dir, relativeTo: dir },
      timeLimitMs: 300,
      // Stands in for a file system that stops answering: the first open waits until released.
      onOpened: (folder) =>
        folder.endsWith('stuck') ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    });
    const stuck = await rejection(hanging.create({ path: 'stuck', name: 'Stuck' }));
    expect(stuck.code).toBe('workspace-timeout');
    expect((await hanging.create({ path: 'fine', name: 'Fine' })).name).toBe('Fine');
    release();
    await new Promise((resolve) => setImmediate(resolve)); // the late call's remaining steps run now
    expect(await hanging.current()).toMatchObject({ name: 'Fine' }); // the late one never switches
    await hanging.dispose();
  });
});
