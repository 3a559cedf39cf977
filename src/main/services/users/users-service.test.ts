// Local identities over a real workspace db: passphrases stored only as scrypt hashes, signing in to a protected
// profile, throttled guesses, who is signed in after a restart, and admin-only user management with its rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { Database, workspaceMigrations } from '../../platform/db';
import type { WorkspaceAccess } from '../workspace';
import { hashPassphrase, verifyPassphrase } from './passphrase';
import { PASSPHRASE_FREE_GUESSES, UsersService } from './users-service';

let dir: string;
let db: Database;
let workspace: WorkspaceAccess;
const events: (string | null)[] = [];
const service = (): UsersService => {
  let n = 0;
  return new UsersService({
    workspace,
    events: { emit: (_e, p) => events.push(p.currentId) },
    clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, n++)),
  });
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-users-'));
  db = Database.create(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
  workspace = { active: { info: { id: 'ws', path: dir }, db } } as unknown as WorkspaceAccess;
  events.length = 0;
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function code(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).code;
}

describe('passphrases', () => {
  it('are stored as salted scrypt hashes and verified in constant time', async () => {
    const a = await hashPassphrase('correct horse');
    const b = await hashPassphrase('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(a).not.toContain('correct');
    expect(await verifyPassphrase('correct horse', a)).toBe(true);
    expect(await verifyPassphrase('correct horsf', a)).toBe(false);
    expect(await verifyPassphrase('correct horse', 'plain')).toBe(false);
  });
});

describe('the users service', () => {
  it('signs in to a protected profile only with its passphrase and throttles wrong ones', async () => {
    const users = service();
    const owner = (await users.current())!;
    expect(owner).toMatchObject({ name: 'Owner', role: 'admin', protected: false });
    await users.setPassphrase({ id: owner.id, next: 'owner passphrase' });
    const stored = db.prepare<{ passphrase: string }>('SELECT passphrase FROM users WHERE id = ?').get(owner.id);
    expect(stored?.passphrase).toMatch(/^scrypt\$/);
    const rita = await users.create({ name: 'Rita', role: 'editor', passphrase: 'rita passphrase' });
    const rex = await users.create({ name: 'Rex', role: 'reviewer' });
    expect(rita.protected).toBe(true);
    expect(rex.protected).toBe(false);

    await users.setCurrent({ id: rex.id }); // open profile: no passphrase asked
    expect(await code(users.setCurrent({ id: rita.id }))).toBe('passphrase-needed');
    for (let i = 0; i <= PASSPHRASE_FREE_GUESSES; i++)
      expect(await code(users.setCurrent({ id: rita.id, passphrase: `guess ${i}` }))).toBe('passphrase-wrong');
    // Now even the right one waits: guessing is slow.
    expect(await code(users.setCurrent({ id: rita.id, passphrase: 'rita passphrase' }))).toBe('passphrase-throttled');
    expect((await users.current())?.name).toBe('Rex');
    expect(await code(users.setCurrent({ id: owner.id, passphrase: 'wrong' }))).toBe('passphrase-wrong'); // per profile
    expect((await users.setCurrent({ id: owner.id, passphrase: 'owner passphrase' })).name).toBe('Owner');
  });

  it('after a restart signs in the oldest open profile, or nobody when every profile is protected', async () => {
    const users = service();
    const owner = (await users.current())!;
    await users.setPassphrase({ id: owner.id, next: 'owner passphrase' });
    expect((await users.current())?.id).toBe(owner.id); // setting it does not sign the owner out
    expect(await service().current()).toBeNull(); // a new app instance: only protected profiles
    expect(await code(Promise.resolve().then(() => service().currentUser()))).toBe('signed-out');
    const rex = await users.create({ name: 'Rex', role: 'reviewer' });
    expect((await service().current())?.id).toBe(rex.id); // not the admin
    await users.signOut();
    expect(await users.current()).toBeNull();
    expect(events.at(-1)).toBeNull();
  });

  it('keeps user management for admins with a passphrase, and roles that approve for protected profiles', async () => {
    const users = service();
    const owner = (await users.current())!;
    expect(await code(users.create({ name: 'Eve', role: 'reviewer' }))).toBe('passphrase-required');
    await users.setPassphrase({ id: owner.id, next: 'owner passphrase' });
    expect(await code(users.create({ name: 'Ed', role: 'editor' }))).toBe('passphrase-required');
    expect(await code(users.create({ name: 'Al', role: 'admin' }))).toBe('passphrase-required');
    const ana = await users.create({ name: 'Ana', role: 'analyst' });
    expect(await code(users.setRole({ id: ana.id, role: 'editor' }))).toBe('passphrase-required');
    expect(await code(users.setRole({ id: owner.id, role: 'analyst' }))).toBe('last-admin');

    // Ana is not an admin: she can set her own passphrase but nobody else's, and manages nobody.
    await users.setCurrent({ id: ana.id });
    await users.setPassphrase({ id: ana.id, next: 'ana passphrase' });
    expect(await code(users.setPassphrase({ id: ana.id, next: 'another one', current: 'wrong one' }))).toBe(
      'passphrase-wrong',
    );
    expect(await code(users.setPassphrase({ id: owner.id, next: 'taken over!' }))).toBe('forbidden');
    expect(await code(users.create({ name: 'Mal', role: 'reviewer' }))).toBe('forbidden');
    expect(await code(users.setRole({ id: ana.id, role: 'admin' }))).toBe('forbidden');

    await users.setCurrent({ id: owner.id, passphrase: 'owner passphrase' });
    expect((await users.setRole({ id: ana.id, role: 'admin' })).role).toBe('admin');
    expect((await users.setRole({ id: owner.id, role: 'analyst' })).role).toBe('analyst'); // another admin exists now
    // A forgotten passphrase: an admin sets a new one.
    await users.setCurrent({ id: ana.id, passphrase: 'ana passphrase' });
    await users.setPassphrase({ id: owner.id, next: 'a fresh start' });
    expect((await users.setCurrent({ id: owner.id, passphrase: 'a fresh start' })).name).toBe('Owner');
  });
});
