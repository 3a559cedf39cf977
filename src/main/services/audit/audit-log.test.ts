// The audit log over a real workspace db: the chain verifies; an edit of one row in SQLite, a deleted entry in the
// middle and entries cut off the end are each named by verification; filters, export and the redaction of secrets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../../shared/contract/audit';
import { contract } from '../../../shared/contract';
import { Database, workspaceMigrations } from '../../platform/db';
import { appendEntry, exportEntries, listEntries, matchingEntries, verifyLog } from './audit-log';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain';
import { REDACTED, SECRET_ARGS, SECRET_KEY, redactArgs } from './redaction';

let dir: string;
let db: Database;
const ADA: AuditActor = { kind: 'profile', userId: 'u-ada', name: 'Ada', transport: 'ipc' };
const NOBODY: AuditActor = { kind: 'nobody', transport: 'cli' };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-audit-'));
  db = Database.create(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
  const at = (minute: number): string => new Date(Date.UTC(2026, 11, 7, 12, minute)).toISOString();
  appendEntry(db, {
    at: at(0),
    actor: NOBODY,
    method: 'workspace.create',
    args: { path: '/ws', name: 'W' },
    objects: [],
  });
  appendEntry(db, {
    at: at(1),
    actor: ADA,
    method: 'models.add',
    args: { folder: '/m' },
    objects: [{ id: 'm1', after: 'aa' }],
  });
  appendEntry(db, {
    at: at(2),
    actor: ADA,
    method: 'models.rename',
    args: { id: 'm1', name: 'Tiny' },
    objects: [{ id: 'm1', before: 'aa', after: 'aa' }],
  });
  appendEntry(db, {
    at: at(3),
    actor: ADA,
    method: 'templates.save',
    args: { name: '=cmd', source: '{{ x }}' },
    objects: [{ id: 't1' }],
  });
  appendEntry(db, { at: at(4), actor: NOBODY, method: 'users.signOut', args: {}, objects: [] });
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the hash chain', () => {
  it('links each entry to the one before and verifies end to end', () => {
    const entries = [...matchingEntries(db, {})];
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    // The hash is sha256 over the canonical JSON of the entry with its previous hash, nothing else.
    const { hash, ...fields } = entries[2]!;
    expect(entryHash(fields)).toBe(hash);
    expect(canonicalJson({ b: 1, a: [true, null, 'é'] })).toBe('{"a":[true,null,"é"],"b":1}');
    expect(verifyLog(db)).toEqual({ ok: true, checked: 5, head: { seq: 5, hash: entries[4]!.hash } });
  });

  it('names the entry whose row was edited directly in SQLite', () => {
    db.prepare("UPDATE audit_log SET args = json_set(args, '$.name', 'Huge') WHERE seq = 3").run();
    const result = verifyLog(db);
    expect(result).toMatchObject({ ok: false, checked: 2, broken: { seq: 3 } });
    expect(result.broken?.problem).toBe(
      'Entry 3: its content was changed after it was written (the hash does not match)',
    );
  });

  it('names an entry whose actor or time was edited, and one made unreadable', () => {
    db.prepare("UPDATE audit_log SET at = '2026-01-01T00:00:00.000Z' WHERE seq = 2").run();
    expect(verifyLog(db).broken?.seq).toBe(2);
    db.prepare("UPDATE audit_log SET at = '2026-12-07T12:01:00.000Z', actor = 'not json' WHERE seq = 2").run();
    expect(verifyLog(db).broken).toEqual({
      seq: 2,
      problem: 'Entry 2: its stored content is not valid JSON any more (edited)',
    });
    // Listing still shows the damaged entry, for what it is.
    expect(listEntries(db, { method: 'models.add' }, 10).entries[0]!.actor).toEqual({
      kind: 'profile',
      name: 'unreadable: not json',
      transport: 'test',
    });
  });

  it('an entry edited and re-hashed breaks the link of the next one', () => {
    const row = [...matchingEntries(db, {})][1]!;
    const forged = { ...row, args: { folder: '/elsewhere' } };
    db.prepare('UPDATE audit_log SET args = ?, hash = ? WHERE seq = 2').run(
      canonicalJson(forged.args),
      entryHash(forged),
    );
    expect(verifyLog(db).broken).toMatchObject({ seq: 3 });
    expect(verifyLog(db).broken?.problem).toMatch(/^Entry 3: its link to entry 2 is broken/);
  });

  it('detects a deleted entry in the middle and entries cut off the end', () => {
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(verifyLog(db).broken).toEqual({ seq: 3, problem: 'Entry 3: entry 3 is missing (deleted)' });
    db.prepare('DELETE FROM audit_log WHERE seq >= 3').run();
    expect(verifyLog(db)).toMatchObject({
      ok: false,
      checked: 2,
      broken: { seq: 3, problem: 'Entry 3: entries 3-5 are missing from the end (deleted)' },
    });
  });

  it('detects a log emptied of every entry', () => {
    db.prepare('DELETE FROM audit_log').run();
    expect(verifyLog(db)).toMatchObject({ ok: false, broken: { seq: 1 } });
  });

  it('an empty log verifies, and appending continues the chain after a reopen', () => {
    const empty = Database.create(path.join(dir, 'empty.sqlite'), { migrations: workspaceMigrations });
    expect(verifyLog(empty)).toEqual({ ok: true, checked: 0, head: { seq: 0, hash: GENESIS_HASH } });
    empty.close();
    db.close();
    db = Database.open(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
    appendEntry(db, { at: new Date(0).toISOString(), actor: ADA, method: 'users.signOut', args: {}, objects: [] });
    expect(verifyLog(db)).toMatchObject({ ok: true, checked: 6 });
  });
});

describe('listing and export', () => {
  it('filters by actor, method, object and time, newest first', () => {
    const seqs = (filter: Parameters<typeof listEntries>[1]): number[] =>
      listEntries(db, filter, 100).entries.map((e) => e.seq);
    expect(seqs({})).toEqual([5, 4, 3, 2, 1]);
    expect(seqs({ actor: 'ada' })).toEqual([4, 3, 2]);
    expect(seqs({ actor: 'u-ada' })).toEqual([4, 3, 2]);
    expect(seqs({ actor: 'nobody' })).toEqual([5, 1]);
    expect(seqs({ method: 'models.' })).toEqual([3, 2]);
    expect(seqs({ method: 'models.add' })).toEqual([2]);
    expect(seqs({ objectId: 'm1' })).toEqual([3, 2]);
    expect(seqs({ from: '2026-12-07T13:01:00+01:00', to: '2026-12-07T12:03:00Z' })).toEqual([4, 3, 2]);
    expect(listEntries(db, {}, 2, 4)).toMatchObject({ total: 5, entries: [{ seq: 3 }, { seq: 2 }] });
  });

  it('exports JSON Lines that verify again and CSV with formula-like cells neutralised', () => {
    const jsonl = exportEntries(matchingEntries(db, {}), 'jsonl');
    expect(jsonl.count).toBe(5);
    const lines = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { hash: string; prevHash: string });
    lines.forEach((entry, i) => {
      const { hash, ...fields } = entry as unknown as Parameters<typeof entryHash>[0] & { hash: string };
      expect(entryHash(fields)).toBe(hash);
      if (i > 0) expect(entry.prevHash).toBe(lines[i - 1]!.hash);
    });
    const csv = exportEntries(matchingEntries(db, { method: 'templates.save' }), 'csv').text.split('\n');
    expect(csv[0]).toBe('seq,at,actor,actor_kind,actor_id,transport,method,objects,args,prev_hash,hash');
    expect(csv[1]).toContain('Ada,profile,u-ada,ipc,templates.save,t1,');
    expect(csv[1]).toContain('"{""name"":""=cmd"",""source"":""{{ x }}""}"');
  });
});

describe('redaction', () => {
  it('hides the secrets the table names, and any key that looks secret, wherever it is', () => {
    expect(redactArgs('users', 'create', { name: 'Rita', role: 'editor', passphrase: 'rita passphrase' })).toEqual({
      name: 'Rita',
      role: 'editor',
      passphrase: REDACTED,
    });
    expect(redactArgs('users', 'setPassphrase', { id: 'u1', current: 'old one!', next: 'new one!!' })).toEqual({
      id: 'u1',
      current: REDACTED,
      next: REDACTED,
    });
    expect(redactArgs('reviews', 'createRound', { name: 'R', seed: 42 })).toEqual({ name: 'R', seed: REDACTED });
    expect(redactArgs('x', 'y', { nested: [{ apiToken: 't', password: 'p', keep: 'k' }] })).toEqual({
      nested: [{ apiToken: REDACTED, password: REDACTED, keep: 'k' }],
    });
    expect(redactArgs('x', 'y', { text: 'a\uD800b' })).toEqual({ text: 'a\uFFFDb' });
  });

  it('names only real methods, and every argument of the contract that looks secret is in the table', () => {
    const table = SECRET_ARGS as Record<string, Record<string, readonly string[]>>;
    const services = contract as unknown as Record<
      string,
      { methods: Record<string, { arg: { shape?: Record<string, unknown> } }> }
    >;
    for (const [service, methods] of Object.entries(table)) {
      for (const [method, keys] of Object.entries(methods)) {
        const shape = services[service]?.methods[method]?.arg.shape;
        expect(shape, `${service}.${method}`).toBeDefined();
        for (const key of keys) expect(Object.keys(shape!), `${service}.${method}.${key}`).toContain(key);
      }
    }
    for (const [service, spec] of Object.entries(services)) {
      for (const [method, m] of Object.entries(spec.methods)) {
        for (const key of Object.keys(m.arg.shape ?? {})) {
          if (SECRET_KEY.test(key))
            expect(table[service]?.[method] ?? [], `${service}.${method}.${key}`).toContain(key);
        }
      }
    }
  });
});
