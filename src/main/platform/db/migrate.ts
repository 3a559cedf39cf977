// The migration runner: brings a database from its PRAGMA user_version to the newest version in an ordered list.
// All pending migrations run in one transaction, so a failure leaves the database exactly as it was.
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from './types';

export interface Migration {
  /** 1, 2, 3, ...: the list is dense and ordered; the version is what PRAGMA user_version holds afterwards. */
  readonly version: number;
  /** A few words for error messages and reviewers: "workspace meta table". */
  readonly name: string;
  /** SQL script, or a function for data migrations that need to compute. Never edit one that has shipped. */
  readonly up: string | ((db: SqlDatabase) => void);
}

/** Checks the list's shape once, at open; a gap or a misordered entry is a programming error. */
export function validateMigrations(migrations: readonly Migration[]): number {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new BugError(
        `Migration list is out of order: entry ${index} ("${migration.name}") has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  return migrations.length;
}

/** The low-level operations the runner needs; the Database class provides them on its read-write connection. */
export interface MigrationTarget extends SqlDatabase {
  userVersion(): number;
  setUserVersion(version: number): void;
  setForeignKeys(on: boolean): void;
  foreignKeyViolations(): number;
}

/** Runs the pending migrations; returns the versions applied (empty when the database was current). */
export function runMigrations(db: MigrationTarget, migrations: readonly Migration[]): number[] {
  const latest = validateMigrations(migrations);
  const from = db.userVersion();
  if (from > latest) {
    // The open-time checks refuse newer databases before any write; reaching here means they were skipped.
    throw new BugError(`Database version ${from} is newer than this build's ${latest}; it should have been refused`);
  }
  const pending = migrations.slice(from);
  if (pending.length === 0) return [];
  // SQLite's table-rebuild recipe needs foreign keys off (dropping a parent table would cascade); the check
  // below restores the guarantee before commit. The pragma is a no-op inside a transaction, hence out here.
  db.setForeignKeys(false);
  try {
    db.transaction(() => {
      for (const migration of pending) {
        try {
          if (typeof migration.up === 'string') db.exec(migration.up);
          else migration.up(db);
        } catch (error) {
          throw new BugError(`Migration ${migration.version} ("${migration.name}") failed: ${messageOf(error)}`, {
            cause: error,
          });
        }
        db.setUserVersion(migration.version);
      }
      const violations = db.foreignKeyViolations();
      if (violations > 0) {
        throw new BugError(`Migrations left ${violations} foreign key violation(s); rolled back`);
      }
    });
  } finally {
    db.setForeignKeys(true);
  }
  return pending.map((migration) => migration.version);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
