// Crash-safe file writes: write a temp file in the same folder, fsync it, rename it over the target, fsync the folder.
// A reader sees the old content or the new, never a torn file. Hand-written (not write-file-atomic) because the blob
// store reuses the same fsync/cleanup pieces for streams; used for small files (settings, the recent list).
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Replaces `file` with `data` atomically; on failure the old content (or absence) is kept and no temp file is left. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  // Same folder as the target: rename is only atomic within one file system.
  const temp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await removeQuietly(temp);
    throw error;
  }
  await fsyncDirectory(dir);
}

/** Writes `value` as pretty JSON (readable in a text editor when something needs repair by hand). */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The file's text, or undefined when it does not exist; other failures (permissions) are thrown. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Makes a rename inside `dir` durable across power loss (POSIX). Windows cannot open folders for fsync and its
 * rename is already journaled by NTFS, so there it is skipped; file systems that refuse it are tolerated too.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!isErrnoException(error) || !['EINVAL', 'ENOTSUP', 'EPERM', 'EISDIR'].includes(error.code ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Removes a file or folder if present; used in cleanup paths where a second failure must not hide the first. */
export async function removeQuietly(target: string): Promise<void> {
  await fs.rm(target, { force: true, recursive: true }).catch(() => undefined);
}

export async function pathExists(target: string): Promise<boolean> {
  try {
    await fs.stat(target);
    return true;
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return false;
    throw error;
  }
}

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
