// Database: create/open, migrations, transactions, and the read-only refusal of newer or damaged files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BugError, UserError } from '../../../shared/errors';
import { Database } from './database';
import type { Migration } from './migrate';
import { workspaceMigrations } from './migrations';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-db-'));
  file = path.join(dir, 'test.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const notesMigrations: Migration[] = [
  { version: 1, name: 'notes', up: 'CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT;' },
  {
    version: 2,
    name: 'tags',
    up: `CREATE TABLE tag (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL REFERENCES note(id), label TEXT) STRICT;`,
  },
];

/** A closed database with some rows, so it spans several pages. */
function makeDatabase(migrations: readonly Migration[] = notesMigrations): void {
  const db = Database.create(file, { migrations });
  const insert = db.prepare('INSERT INTO note (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`note ${i} `.repeat(20));
  });
  db.close();
}

function snapshot(): Record<string, string> {
  return Object.fromEntries(
    fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]),
  );
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('Database', () => {
  it('creates at the newest version with WAL and foreign keys on, and leaves no -wal/-shm after close', () => {
    const db = Database.create(file, { migrations: notesMigrations });
    expect(db.schemaVersion).toBe(2);
    expect(db.prepare<{ journal_mode: string }>('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    expect(db.prepare<{ foreign_keys: number }>('PRAGMA foreign_keys').get()?.foreign_keys).toBe(1);
    expect(() => db.prepare('INSERT INTO tag (note_id, label) VALUES (?, ?)').run(42, 'x')).toThrow(/FOREIGN KEY/);
    db.close();
    expect(fs.readdirSync(dir)).toEqual(['test.sqlite']);
  });

  it('runs each migration once: reopening is idempotent and later entries apply on the next open', () => {
    const runs: number[] = [];
    const counted = (version: number, sql: string): Migration => ({
      version,
      name: `m${version}`,
      up: (db) => {
        runs.push(version);
        db.exec(sql);
      },
    });
    const first = [counted(1, 'CREATE TABLE a (x INTEGER) STRICT')];
    Database.create(file, { migrations: first }).close();
    const reopened = Database.open(file, { migrations: first });
    expect(reopened.schemaVersion).toBe(1);
    reopened.close();
    expect(runs).toEqual([1]);

    const second = [...first, counted(2, 'CREATE TABLE b (y INTEGER) STRICT')];
    const upgraded = Database.open(file, { migrations: second });
    expect(upgraded.schemaVersion).toBe(2);
    expect(upgraded.prepare('SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name').all('table')).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    upgraded.close();
    expect(runs).toEqual([1, 2]);
  });

  it('rolls back every pending migration when one fails', () => {
    Database.create(file, { migrations: notesMigrations.slice(0, 1) }).close();
    const broken: Migration[] = [
      ...notesMigrations,
      { version: 3, name: 'broken', up: 'CREATE TABLE nope (x); SELECT * FROM missing_table;' },
    ];
    const error = caught(() => Database.open(file, { migrations: broken }));
    expect(error).toBeInstanceOf(BugError);
    expect((error as Error).message).toMatch(/Migration 3 \("broken"\) failed/);
    const db = Database.open(file, { migrations: notesMigrations.slice(0, 1) });
    expect(db.schemaVersion).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name IN ('tag', 'nope')").all()).toEqual([]);
    db.close();
  });

  it('rejects a migration list with a gap', () => {
    const gap: Migration[] = [{ version: 2, name: 'two', up: 'SELECT 1' }];
    expect(() => Database.create(file, { migrations: gap })).toThrow(BugError);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('commits a transaction, rolls it back on throw, and nests as a savepoint', () => {
    const db = Database.create(file, { migrations: notesMigrations });
    const insert = db.prepare('INSERT INTO note (body) VALUES (?)');
    const count = () => db.prepare<{ n: number }>('SELECT count(*) AS n FROM note').get()?.n;
    db.transaction(() => {
      insert.run('a');
      insert.run('b');
    });
    expect(count()).toBe(2);
    expect(() =>
      db.transaction(() => {
        insert.run('c');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count()).toBe(2);
    db.transaction(() => {
      insert.run('d');
      expect(() =>
        db.transaction(() => {
          insert.run('e');
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(db.prepare('SELECT body FROM note ORDER BY id').all()).toEqual([
      { body: 'a' },
      { body: 'b' },
      { body: 'd' },
    ]);
    db.close();
  });

  it('treats an async transaction body and use after close as bugs', () => {
    const db = Database.create(file, { migrations: notesMigrations });
    const insert = db.prepare('INSERT INTO note (body) VALUES (?)');
    expect(() => db.transaction(() => Promise.resolve(insert.run('x')))).toThrow(BugError);
    expect(db.prepare('SELECT count(*) AS n FROM note').get()).toEqual({ n: 0 });
    db.close();
    db.close();
    expect(() => insert.run('late')).toThrow(BugError);
    expect(() => db.prepare('SELECT 1')).toThrow(BugError);
  });
});

describe('Database.open refuses without changing anything', () => {
  function expectRefused(code: string, message: RegExp): void {
    const before = snapshot();
    const error = caught(() => Database.open(file, { migrations: notesMigrations }));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe(code);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).where).toBe(file);
    expect((error as UserError).hint).toBeTruthy();
    expect(snapshot()).toEqual(before);
  }

  it('a database from a newer version', () => {
    makeDatabase([...notesMigrations, { version: 3, name: 'future', up: 'CREATE TABLE future (x TEXT) STRICT' }]);
    expectRefused('db-newer', /newer version of Dovetail/);
  });

  it('garbage bytes', () => {
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    expectRefused('db-corrupt', /not a SQLite database/);
  });

  it('an empty file', () => {
    fs.writeFileSync(file, '');
    expectRefused('db-corrupt', /empty/);
  });

  it('a truncated file', () => {
    makeDatabase();
    const size = fs.statSync(file).size;
    fs.truncateSync(file, Math.floor(size / 2));
    expectRefused('db-corrupt', /truncated/);
  });

  it('a file cut mid-page', () => {
    makeDatabase();
    fs.truncateSync(file, fs.statSync(file).size - 100);
    expectRefused('db-corrupt', /truncated/);
  });

  it('damaged pages inside an intact header', () => {
    makeDatabase();
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xff, pageSize, pageSize * 4); // overwrite b-tree pages 2..4
    fs.writeFileSync(file, bytes);
    expectRefused('db-corrupt', /database is damaged/);
  });

  it('a SQLite database that is not ours', () => {
    makeDatabase();
    const bytes = fs.readFileSync(file);
    bytes.writeUInt32BE(0, 68); // application_id
    fs.writeFileSync(file, bytes);
    expectRefused('db-foreign', /not one created by Dovetail/);
  });
});

describe('a database left by a crash (committed pages still in the -wal)', () => {
  /** Copies db + -wal while a writer holds them, as a killed process would leave them (no checkpoint). */
  function crashCopy(write: (raw: BetterSqlite3.Database) => void): void {
    makeDatabase();
    const live = new BetterSqlite3(file);
    live.pragma('wal_autocheckpoint = 0');
    write(live);
    for (const name of ['test.sqlite', 'test.sqlite-wal']) {
      fs.copyFileSync(path.join(dir, name), path.join(dir, `crash-${name}`));
    }
    live.close();
    for (const name of fs.readdirSync(dir)) if (!name.startsWith('crash-')) fs.rmSync(path.join(dir, name));
    file = path.join(dir, 'crash-test.sqlite');
  }

  it('is refused when the newer version is only in the -wal, leaving db and -wal unchanged', () => {
    crashCopy((raw) => raw.pragma('user_version = 9'));
    const before = snapshot();
    expect(Object.keys(before).sort()).toEqual(['crash-test.sqlite', 'crash-test.sqlite-wal']);
    const error = caught(() => Database.open(file, { migrations: notesMigrations }));
    expect((error as UserError).code).toBe('db-newer');
    expect(snapshot()).toEqual(before);
  });

  it('opens and keeps the committed rows', () => {
    crashCopy((raw) => raw.prepare('INSERT INTO note (body) VALUES (?)').run('after the crash'));
    const db = Database.open(file, { migrations: notesMigrations });
    expect(db.prepare('SELECT body FROM note ORDER BY id DESC LIMIT 1').get()).toEqual({ body: 'after the crash' });
    db.close();
  });
});

describe('workspace migrations', () => {
  it('create the workspace meta table as a single-row STRICT table', () => {
    const db = Database.create(file, { migrations: workspaceMigrations });
    expect(db.schemaVersion).toBe(workspaceMigrations.length);
    const insert = db.prepare(
      'INSERT INTO workspace (singleton, id, name, created_at, app_version) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(1, 'id-1', 'Demo', '2026-01-01T00:00:00.000Z', '0.1.0');
    expect(() => insert.run(2, 'id-2', 'Other', 'x', 'y')).toThrow(/CHECK/);
    expect(() => insert.run(1, 'id-3', 'Dup', 'x', 'y')).toThrow(/UNIQUE|PRIMARY KEY/);
    db.close();
  });
});
