// Writes a folder all at once: files go to a hidden temp folder beside the target, are flushed to disk, and the temp
// folder is renamed into place. A failure or crash leaves no target (at most a ".*.tmp-*" folder that is removed).
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { BugError, UserError } from '../../../shared/errors';
import { describe, isNotFound } from './json-files';

export interface FileToWrite {
  /** Relative path inside the folder, e.g. "adapter_config.json" or "prompt_tuning/adapter_model.safetensors". */
  path: string;
  bytes: Uint8Array;
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directory fsync is not possible everywhere (Windows); the rename itself is still atomic.
  }
}

/** Creates `target` (which must not exist) holding exactly `files`; nothing is left behind on failure. */
export async function writeFolderAtomically(target: string, files: readonly FileToWrite[]): Promise<void> {
  const folder = resolve(target);
  for (const f of files) {
    const parts = f.path.split('/');
    if (isAbsolute(f.path) || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
      throw new BugError(`writeFolderAtomically: "${f.path}" is not a plain relative path`);
    }
  }
  if (await exists(folder)) {
    throw new UserError(`${basename(folder)} already exists; adapter versions are never overwritten.`, {
      where: folder,
      hint: 'Choose a new folder name, or delete the old folder first.',
      code: 'adapter-exists',
    });
  }
  const parent = dirname(folder);
  await mkdir(parent, { recursive: true });
  const temp = join(parent, `.${basename(folder)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(temp);
    for (const f of files) {
      const path = join(temp, f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeDurably(path, f.bytes);
    }
    await rename(temp, folder);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof UserError || error instanceof BugError) throw error;
    throw new UserError(`Cannot write ${basename(folder)}: ${describe(error)}`, {
      where: folder,
      hint: 'Check free disk space and that the folder is writable.',
      code: 'adapter-write',
      cause: error,
    });
  }
  await syncFolder(parent);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw new UserError(`Cannot check ${basename(path)}: ${describe(error)}`, {
      where: path,
      hint: 'Check the folder permissions.',
      code: 'adapter-write',
      cause: error,
    });
  }
}
