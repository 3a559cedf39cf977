// The only place better-sqlite3 is opened for writing. Database wraps one read-write connection: it creates or opens
// (after read-only checks), switches to WAL, turns foreign keys on, migrates, and hands services the SqlDatabase view.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { nativeBindingOption } from './native';
import { BugError, UserError } from '../../../shared/errors';
import { checkDatabaseFile } from './checks';
import { type Migration, type MigrationTarget, runMigrations, validateMigrations } from './migrate';
import type { BindArg, RunResult, Statement } from './types';

/** 'DVTL' in ASCII: PRAGMA application_id marks a SQLite file as a Dovetail database (sqlite.org/pragma.html). */
export const DOVETAIL_APPLICATION_ID = 0x4456544c;

export interface DatabaseOptions {
  readonly migrations: readonly Migration[];
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  readonly applicationId?: number;
}

type RawStatement = BetterSqlite3.Statement<unknown[], unknown>;

export class Database implements MigrationTarget {
  private readonly statements = new Map<string, RawStatement>();
  private raw: BetterSqlite3.Database | undefined;
  private version = 0;

  private constructor(
    readonly file: string,
    raw: BetterSqlite3.Database,
  ) {
    this.raw = raw;
  }

  /** Creates a new database file (it must not exist) at the newest schema version. */
  static create(file: string, options: DatabaseOptions): Database {
    validateMigrations(options.migrations);
    if (fs.existsSync(file)) throw new BugError(`Database.create: ${file} already exists`);
    try {
      const raw = new BetterSqlite3(file, { ...nativeBindingOption(), timeout: options.busyTimeoutMs ?? 5000 });
      try {
        // The id goes in before the WAL switch so that it lands in the main file, not only in the -wal.
        raw.pragma(`application_id = ${options.applicationId ?? DOVETAIL_APPLICATION_ID}`);
      } catch (error) {
        raw.close();
        throw error;
      }
      return Database.configure(file, raw, options);
    } catch (error) {
      // A half-made database is worse than none: the next create would find the file and refuse.
      for (const leftover of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(leftover, { force: true });
      throw error;
    }
  }

  /** Opens an existing database; refuses newer, foreign or damaged files before anything is written. */
  static open(file: string, options: DatabaseOptions): Database {
    const latestVersion = validateMigrations(options.migrations);
    const timeoutMs = options.busyTimeoutMs ?? 5000;
    checkDatabaseFile(file, {
      applicationId: options.applicationId ?? DOVETAIL_APPLICATION_ID,
      latestVersion,
      timeoutMs,
    });
    let raw: BetterSqlite3.Database;
    try {
      raw = new BetterSqlite3(file, { ...nativeBindingOption(), fileMustExist: true, timeout: timeoutMs });
    } catch (error) {
      throw new UserError('The workspace database could not be opened for writing.', {
        code: 'db-unreadable',
        where: file,
        hint: 'Check that the folder is writable and that no other program has the workspace open.',
        cause: error,
      });
    }
    return Database.configure(file, raw, options);
  }

  private static configure(file: string, raw: BetterSqlite3.Database, options: DatabaseOptions): Database {
    const db = new Database(file, raw);
    try {
      const mode = String(raw.pragma('journal_mode = WAL', { simple: true }));
      if (mode !== 'wal') {
        throw new UserError('The workspace folder does not support the database journal Dovetail needs.', {
          code: 'db-no-wal',
          where: file,
          hint: 'Put the workspace on a local disk (network drives often cannot share SQLite write-ahead logs).',
        });
      }
      // NORMAL is crash-safe in WAL mode (a killed process loses nothing); only power loss can drop the last commits.
      raw.pragma('synchronous = NORMAL');
      runMigrations(db, options.migrations);
      db.version = db.userVersion();
      db.setForeignKeys(true);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get schemaVersion(): number {
    return this.version;
  }

  prepare<Row = Record<string, unknown>>(sql: string): Statement<Row> {
    const raw = this.connection();
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = raw.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return this.wrap<Row>(statement);
  }

  exec(sql: string): void {
    this.connection().exec(sql);
  }

  transaction<T>(fn: () => T): T {
    const raw = this.connection();
    try {
      return raw.transaction(fn).immediate();
    } catch (error) {
      // better-sqlite3 rejects async callbacks only after running them (and rolls back); say why it is a bug.
      if (error instanceof TypeError && /cannot return a promise/.test(error.message)) {
        throw new BugError('Database.transaction got an async function; a transaction cannot span an await', {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Closes the connection; SQLite checkpoints the WAL and removes -wal/-shm. Safe to call twice. */
  close(): void {
    const raw = this.raw;
    if (!raw) return;
    this.raw = undefined;
    this.statements.clear();
    raw.close();
  }

  get isOpen(): boolean {
    return this.raw !== undefined;
  }

  userVersion(): number {
    return Number(this.connection().pragma('user_version', { simple: true }));
  }

  setUserVersion(version: number): void {
    if (!Number.isInteger(version) || version < 0) throw new BugError(`Invalid user_version ${version}`);
    this.connection().pragma(`user_version = ${version}`);
  }

  setForeignKeys(on: boolean): void {
    this.connection().pragma(`foreign_keys = ${on ? 'ON' : 'OFF'}`);
  }

  foreignKeyViolations(): number {
    return (this.connection().pragma('foreign_key_check') as unknown[]).length;
  }

  private connection(): BetterSqlite3.Database {
    if (!this.raw) throw new BugError(`Database ${this.file} is closed; do not keep it across workspace changes`);
    return this.raw;
  }

  private wrap<Row>(statement: RawStatement): Statement<Row> {
    // Re-check on every call: a statement kept past close() must fail as a bug, not as a driver TypeError.
    const live = (): RawStatement => {
      this.connection();
      return statement;
    };
    return {
      run: (...args: BindArg[]): RunResult => live().run(...args),
      get: (...args: BindArg[]) => live().get(...args) as Row | undefined,
      all: (...args: BindArg[]) => live().all(...args) as Row[],
      iterate: (...args: BindArg[]) => live().iterate(...args) as IterableIterator<Row>,
    };
  }
}
