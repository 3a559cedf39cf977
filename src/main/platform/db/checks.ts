// Read-only checks that run before a database file is opened for writing: is it SQLite, is it ours, is it whole,
// is its schema no newer than this build. Nothing here writes to the file; the -wal/-shm files a read-only SQLite
// connection creates for a WAL database are removed again, so a refused database leaves the folder byte-identical.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { nativeBindingOption } from './native';
import { UserError } from '../../../shared/errors';

const HEADER_SIZE = 100;
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface FileChecks {
  /** PRAGMA application_id every database of ours carries; 0 means "not set", which is refused too. */
  readonly applicationId: number;
  /** The newest schema version this build can migrate to. */
  readonly latestVersion: number;
  /** Busy timeout (ms) for the read-only connection, in case another process holds a write lock. */
  readonly timeoutMs: number;
}

/** Throws a UserError (code db-corrupt, db-foreign, db-newer or db-unreadable) unless the file is safe to open. */
export function checkDatabaseFile(file: string, checks: FileChecks): { userVersion: number } {
  checkHeader(file, checks.applicationId);
  return checkWithSqlite(file, checks);
}

/** The 100-byte header (sqlite.org/fileformat.html#the_database_header): catches garbage and truncation early. */
function checkHeader(file: string, applicationId: number): void {
  const header = Buffer.alloc(HEADER_SIZE);
  let size: number;
  let read: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      size = fs.fstatSync(fd).size;
      read = fs.readSync(fd, header, 0, HEADER_SIZE, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw unreadable(file, error);
  }
  // SQLite treats an empty file as a new empty database; for a workspace it means the file was lost or truncated.
  if (read < HEADER_SIZE || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw corrupt(file, size === 0 ? 'The database file is empty.' : 'The database file is not a SQLite database.');
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw corrupt(file, 'The database header is damaged.');
  const storedId = header.readUInt32BE(68);
  if (storedId !== applicationId) {
    throw new UserError('This file is a SQLite database, but not one created by Dovetail.', {
      code: 'db-foreign',
      where: file,
      hint: 'Open the workspace folder that Dovetail created, or create a new workspace.',
    });
  }
  // The in-header page count is trusted only when its "valid-for" counter matches the change counter.
  const pageCount = header.readUInt32BE(28);
  const headerCountValid = header.readUInt32BE(24) === header.readUInt32BE(92) && pageCount > 0;
  if (size % pageSize !== 0 || (headerCountValid && size < pageCount * pageSize)) {
    throw corrupt(file, `The database file is truncated (${size} bytes).`);
  }
}

function checkWithSqlite(file: string, checks: FileChecks): { userVersion: number } {
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((sidecar) => !fs.existsSync(sidecar));
  let connection: BetterSqlite3.Database | undefined;
  try {
    connection = new BetterSqlite3(file, {
      ...nativeBindingOption(),
      readonly: true,
      fileMustExist: true,
      timeout: checks.timeoutMs,
    });
    const userVersion = Number(connection.pragma('user_version', { simple: true }));
    if (userVersion > checks.latestVersion) {
      throw new UserError('This workspace database was saved by a newer version of Dovetail.', {
        code: 'db-newer',
        where: file,
        hint: `Its schema is version ${userVersion}; this Dovetail understands up to version ${checks.latestVersion}. Update Dovetail to open it. Nothing was changed.`,
      });
    }
    // quick_check reads every page and verifies b-tree structure (not index contents): O(N), fast enough at open.
    const problems = (connection.pragma('quick_check(3)') as { quick_check: string }[])
      .map((row) => row.quick_check)
      .filter((line) => line !== 'ok')
      .map((line) =>
        line
          .replace(/\*\*\* in database \w+ \*\*\*/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    if (problems.length > 0) throw corrupt(file, `The database is damaged: ${problems.join('; ')}`);
    return { userVersion };
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = sqliteCode(error);
    if (code?.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
      throw corrupt(file, `The database is damaged (${errorMessage(error)}).`, error);
    }
    throw unreadable(file, error);
  } finally {
    connection?.close();
    // A read-only connection cannot write WAL frames, so any -wal it created is empty: removing it loses nothing.
    for (const sidecar of sidecars) fs.rmSync(sidecar, { force: true });
  }
}

function corrupt(file: string, message: string, cause?: unknown): UserError {
  return new UserError(message, {
    code: 'db-corrupt',
    where: file,
    hint: 'Restore the workspace folder from a backup. Dovetail did not change the file.',
    cause,
  });
}

function unreadable(file: string, cause: unknown): UserError {
  return new UserError(`The database file could not be read (${errorMessage(cause)}).`, {
    code: 'db-unreadable',
    where: file,
    hint: 'Check that the folder is readable and writable and that no other program has the workspace open.',
    cause,
  });
}

export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
