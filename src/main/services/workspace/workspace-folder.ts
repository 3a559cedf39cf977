// Creating and opening one workspace folder (layout in ./layout.ts). Create either finishes or removes what it
// made; open checks marker and database read-only before the database is touched, so a refusal changes nothing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { WorkspaceInfo } from '../../../shared/contract/workspace';
import { UserError } from '../../../shared/errors';
import { BlobStore } from '../../platform/blobs';
import { Database, type Migration } from '../../platform/db';
import { isErrnoException, removeQuietly } from '../../platform/files/atomic';
import { BLOBS_DIR, DATABASE_FILE, MARKER_FILE, meaningfulEntries, readMarker, writeMarker } from './layout';

/** An open workspace folder; `close` releases the database handle. */
export interface OpenedFolder {
  readonly info: WorkspaceInfo;
  readonly db: Database;
  readonly blobs: BlobStore;
}

export interface CreateParams {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly appVersion: string;
  readonly migrations: readonly Migration[];
}

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: string;
}

export async function createWorkspaceFolder(folder: string, params: CreateParams): Promise<OpenedFolder> {
  const firstCreated = await prepareEmptyFolder(folder);
  let db: Database | undefined;
  try {
    db = Database.create(path.join(folder, DATABASE_FILE), { migrations: params.migrations });
    const created = db;
    created.transaction(() => {
      created
        .prepare('INSERT INTO workspace (singleton, id, name, created_at, app_version) VALUES (1, ?, ?, ?, ?)')
        .run(params.id, params.name, params.createdAt, params.appVersion);
    });
    const blobs = await BlobStore.open(path.join(folder, BLOBS_DIR));
    await writeMarker(folder);
    const info = {
      id: params.id,
      name: params.name,
      path: folder,
      createdAt: params.createdAt,
      schemaVersion: db.schemaVersion,
    };
    return { info, db, blobs };
  } catch (error) {
    db?.close();
    // Remove only what this call made: the whole folder if it created it, else its own entries.
    if (firstCreated !== undefined) await removeQuietly(firstCreated);
    else {
      for (const name of [MARKER_FILE, DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, BLOBS_DIR]) {
        await removeQuietly(path.join(folder, name));
      }
    }
    throw error;
  }
}

/** Makes sure `folder` exists and is empty; returns the top-most folder it had to create (for cleanup), if any. */
async function prepareEmptyFolder(folder: string): Promise<string | undefined> {
  const entries = await meaningfulEntries(folder).catch(async (error: unknown) => {
    if (isErrnoException(error) && error.code === 'ENOTDIR') {
      // ENOTDIR: the folder itself is a file, or a folder on the way to it is.
      const itself = await fs.stat(folder).then(
        (s) => s.isFile(),
        () => false,
      );
      throw new UserError(
        itself ? 'A file with that name already exists.' : 'A part of the path is a file, not a folder.',
        {
          code: 'not-a-folder',
          where: folder,
          hint: 'Choose a folder (or a new name) for the workspace.',
        },
      );
    }
    throw unwritable(folder, error);
  });
  if (entries === undefined) {
    try {
      return await makeFolders(folder);
    } catch (error) {
      throw unwritable(folder, error);
    }
  }
  if ((await readMarker(folder).catch(() => 'ok' as const)) === 'ok') {
    throw new UserError('This folder is already a Dovetail workspace.', {
      code: 'workspace-exists',
      where: folder,
      hint: 'Open it instead, or choose another folder for a new workspace.',
    });
  }
  if (entries.length > 0) {
    throw new UserError('The folder is not empty.', {
      code: 'folder-not-empty',
      where: folder,
      hint: 'Choose an empty folder, or type a new folder name: Dovetail creates the folder for you.',
    });
  }
  return undefined;
}

export async function openWorkspaceFolder(folder: string, migrations: readonly Migration[]): Promise<OpenedFolder> {
  const entries = await meaningfulEntries(folder).catch((error: unknown) => {
    if (isErrnoException(error) && error.code === 'ENOTDIR') {
      throw new UserError('This is a file, not a workspace folder.', {
        code: 'not-a-folder',
        where: folder,
        hint: 'Choose the folder that contains dovetail-workspace.json.',
      });
    }
    throw error;
  });
  if (entries === undefined) {
    throw new UserError('The workspace folder does not exist.', {
      code: 'workspace-missing',
      where: folder,
      hint: 'It may have been moved or deleted. Open it from its new place, or remove it from the recent list.',
    });
  }
  if ((await readMarker(folder)) === 'absent') {
    throw new UserError('This folder is not a Dovetail workspace.', {
      code: 'not-a-workspace',
      where: folder,
      hint:
        entries.length === 0
          ? 'The folder is empty: use "Create workspace" to make one here.'
          : 'Choose a folder that contains dovetail-workspace.json, or create a new workspace in an empty folder.',
    });
  }
  const dbFile = path.join(folder, DATABASE_FILE);
  if (!entries.includes(DATABASE_FILE)) {
    throw new UserError('The workspace database is missing.', {
      code: 'workspace-corrupt',
      where: dbFile,
      hint: 'Restore the workspace folder from a backup.',
    });
  }
  const db = Database.open(dbFile, { migrations });
  try {
    const row = db.prepare<WorkspaceRow>('SELECT id, name, created_at FROM workspace WHERE singleton = 1').get();
    if (!row) {
      throw new UserError('The workspace database has no workspace record.', {
        code: 'workspace-corrupt',
        where: dbFile,
        hint: 'Restore the workspace folder from a backup.',
      });
    }
    // A sync tool may drop an empty blobs/ folder; recreating it is safe once the checks above passed.
    const blobs = await BlobStore.open(path.join(folder, BLOBS_DIR));
    const info = {
      id: row.id,
      name: row.name,
      path: folder,
      createdAt: row.created_at,
      schemaVersion: db.schemaVersion,
    };
    return { info, db, blobs };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * mkdir -p one level at a time. Node's recursive mkdir retries forever where mkdir answers ENOENT for a parent that
 * exists (as /proc does); here each level is tried once. Returns the top-most folder made.
 */
async function makeFolders(folder: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let probe = folder; ; probe = path.dirname(probe)) {
    const exists = await fs.stat(probe).then(
      () => true,
      () => false,
    );
    if (exists) break;
    missing.unshift(probe);
    if (path.dirname(probe) === probe) break;
  }
  for (const level of missing) await fs.mkdir(level);
  return missing[0];
}

function unwritable(folder: string, cause: unknown): UserError {
  const reason = isErrnoException(cause) ? ` (${cause.code})` : '';
  return new UserError(`The folder could not be created or read${reason}.`, {
    code: 'folder-unwritable',
    where: folder,
    hint: 'Choose a folder you can write to.',
    cause,
  });
}
