// Every file the engine reads from a model or adapter folder goes through here: it must be a regular file once
// symlinks are resolved (a link to /dev/zero, a FIFO or a socket is refused, never read until memory runs out or
// waited on forever) and no larger than its kind's limit. Node fs only.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../../../shared/errors';

const MiB = 1024 * 1024;

/** Largest accepted size per kind of file; real checkpoints stay far below (Llama 3's tokenizer.json is 9 MB). */
export const READ_LIMITS = {
  /** config.json, generation_config.json, tokenizer_config.json, adapter_config.json, indexes, sidecars. */
  json: 16 * MiB,
  /** tokenizer.json, vocab files, chat templates. */
  tokenizer: 256 * MiB,
  /** adapter weights read whole (copy on import, lineage check). */
  adapterWeights: 2048 * MiB,
} as const;

export interface OpenedFile {
  readonly handle: FileHandle;
  readonly stats: Stats;
}

/**
 * Opens a file for reading only if it is a regular file. O_NONBLOCK keeps a FIFO from blocking the open (a thread of
 * the pool would wait for a writer forever); fstat of the open handle decides, so a swap between check and read
 * cannot slip a device in. Null when the file does not exist.
 */
export async function openRegular(path: string, code: string): Promise<OpenedFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const errno = (error as { code?: unknown }).code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') return null;
    throw new UserError(`Cannot read ${basename(path)}: ${error instanceof Error ? error.message : String(error)}`, {
      where: path,
      hint: 'Check that the file is readable by your user account.',
      code,
      cause: error,
    });
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw notRegularFile(path, stats, code);
  }
  return { handle, stats };
}

/** The error for a path that exists but is a FIFO, device, socket or folder where a file belongs. */
export function notRegularFile(path: string, stats: Stats, code: string): UserError {
  return new UserError(`${basename(path)} is ${kindOf(stats)}, not a regular file.`, {
    where: path,
    hint: 'Replace it (or the file its link points to) with the real file from the original checkpoint or adapter.',
    code,
  });
}

/** A regular file's bytes (at most `limit`), or null when it does not exist. */
export async function readBounded(path: string, limit: number, code: string): Promise<Buffer | null> {
  const opened = await openRegular(path, code);
  if (!opened) return null;
  const { handle, stats } = opened;
  try {
    if (stats.size > limit) {
      throw new UserError(
        `${basename(path)} is ${formatBytes(stats.size)}, more than the ${formatBytes(limit)} such a file may have.`,
        {
          where: path,
          hint: 'This is not the file a checkpoint or adapter folder holds under this name; copy the original file.',
          code,
        },
      );
    }
    const bytes = Buffer.alloc(stats.size);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === bytes.length ? bytes : bytes.subarray(0, done);
  } finally {
    await handle.close();
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'; // as platform/files/user-files words it
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(n >= 100 * MiB ? 0 : 1)} MiB` : `${n} bytes`;
}
