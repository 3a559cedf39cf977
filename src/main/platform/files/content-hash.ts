// Content identity of files on disk: a streamed sha256 of each whole file (weights included), with progress and
// cancel, cached per path by (size, mtime, inode) so an unchanged file is never read twice in one app run. Models,
// adapters, releases and exports name their content by these digests. Node fs and crypto only; no services.
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { CancelledError, UserError } from '../../../shared/errors';
import { kindOf } from './user-files';

/** What says "this file has not changed" without reading it; stored beside a digest to re-check it later. */
export interface FileSignature {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

export interface FileHash extends FileSignature {
  readonly path: string;
  /** sha256 (hex) of the whole file. */
  readonly sha256: string;
}

/** Bytes hashed so far across all files of one hashFiles call. */
export interface HashProgress {
  readonly file: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface HashOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: HashProgress) => void;
  /** Bytes between progress reports (64 MiB by default, so a fast disk does not flood the event transports). */
  readonly progressEvery?: number;
}

/** Read size: large enough that syscalls do not dominate, small enough that each hash step is a few ms. */
const CHUNK_BYTES = 1024 * 1024;
const PROGRESS_EVERY_BYTES = 64 * 1024 * 1024;

export function signatureOf(stats: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>): FileSignature {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

export function sameSignature(a: FileSignature, b: FileSignature): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/**
 * Opens `path` for reading only if it is a regular file once symlinks are resolved. O_NONBLOCK keeps a FIFO from
 * blocking the open (a thread-pool thread would wait forever for a writer); fstat on the open handle then refuses
 * FIFOs, devices (/dev/zero) and sockets without a race between the check and the read.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; stats: Stats }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UserError(
      code === 'ENOENT'
        ? `${basename(path)} is missing.`
        : `Cannot read ${basename(path)}: ${(error as Error).message}`,
      {
        where: path,
        hint:
          code === 'ENOENT'
            ? 'Check that the folder still holds all its files.'
            : 'Check that the file is readable by your user account.',
        code: 'file-unreadable',
        cause: error,
      },
    );
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw notRegular(path, stats);
  }
  return { handle, stats };
}

export function notRegular(path: string, stats: Stats): UserError {
  return new UserError(`${basename(path)} is ${kindOf(stats)}, not a regular file.`, {
    where: path,
    hint: 'Replace it (or the file its link points to) with the real file from the original checkpoint or adapter.',
    code: 'file-not-regular',
  });
}

export class ContentHasher {
  private readonly cache = new Map<string, FileHash>();

  /** The cached digest when the file's signature still matches, without reading it; null otherwise. */
  cached(path: string, signature: FileSignature): FileHash | null {
    const hit = this.cache.get(path);
    return hit && sameSignature(hit, signature) ? hit : null;
  }

  /** Hashes the files one after another (progress over their total size); cached files cost one fstat each. */
  async hashFiles(paths: readonly string[], options: HashOptions = {}): Promise<FileHash[]> {
    const opened: { path: string; handle: FileHandle; stats: Stats }[] = [];
    try {
      for (const path of paths) opened.push({ path, ...(await openRegularFile(path)) });
      const toRead = opened.filter((o) => !this.cached(o.path, signatureOf(o.stats)));
      const bytesTotal = toRead.reduce((a, o) => a + o.stats.size, 0);
      let done = 0;
      const out: FileHash[] = [];
      for (const o of opened) {
        const hit = this.cached(o.path, signatureOf(o.stats));
        if (hit) {
          out.push(hit);
          continue;
        }
        const base = done;
        options.onProgress?.({ file: o.path, bytesDone: base, bytesTotal });
        const hash = await hashHandle(o.path, o.handle, o.stats, options, (n) =>
          options.onProgress?.({ file: o.path, bytesDone: base + n, bytesTotal }),
        );
        done += o.stats.size;
        this.cache.set(o.path, hash);
        out.push(hash);
      }
      options.onProgress?.({ file: '', bytesDone: done, bytesTotal });
      return out;
    } finally {
      await Promise.all(opened.map((o) => o.handle.close().catch(() => undefined)));
    }
  }

  async hashFile(path: string, options: HashOptions = {}): Promise<FileHash> {
    const [hash] = await this.hashFiles([path], options);
    if (!hash) throw new Error('hashFiles returned no digest');
    return hash;
  }
}

async function hashHandle(
  path: string,
  handle: FileHandle,
  stats: Stats,
  options: HashOptions,
  progress: (bytes: number) => void,
): Promise<FileHash> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, stats.size)));
  let position = 0;
  let reported = 0;
  for (;;) {
    if (options.signal?.aborted) throw new CancelledError(`Hashing ${basename(path)} was cancelled.`);
    // Each read is an await: the event loop answers API calls between chunks.
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
    if (position > stats.size) break; // growing while read: reported below
    if (position - reported >= (options.progressEvery ?? PROGRESS_EVERY_BYTES)) {
      reported = position;
      progress(position);
    }
  }
  const after = await handle.stat();
  if (position !== stats.size || !sameSignature(signatureOf(after), signatureOf(stats))) {
    throw new UserError(`${basename(path)} changed while it was being read.`, {
      where: path,
      hint: 'Wait until copying or downloading into the folder has finished, then try again.',
      code: 'file-changed',
    });
  }
  progress(position);
  return { path, ...signatureOf(stats), sha256: hash.digest('hex') };
}

/** One digest over named parts (name, size and sha256 of each, in the order given), under a version tag. */
export function combineDigests(
  version: string,
  parts: readonly { name: string; size: number; sha256: string }[],
): string {
  const hash = createHash('sha256').update(`${version}\n`);
  for (const p of parts) hash.update(`${p.name}\n${p.size}\n${p.sha256}\n`);
  return hash.digest('hex');
}
