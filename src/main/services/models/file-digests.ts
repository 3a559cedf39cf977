// Cheap change detection for a registered model's folder: each file it reads gets a digest (sha256 of the whole file
// for JSON/templates, of the 8-byte length + JSON header for safetensors, never the weight bytes). Digests are cached
// per path by (size, mtime, inode), so listing models re-reads nothing unless a file was touched.
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isErrnoException } from '../../platform/files/atomic';

export const ModelFile = z.object({ name: z.string(), size: z.number().int().nonnegative(), digest: z.string() });
export type ModelFile = z.infer<typeof ModelFile>;

/** The reference safetensors reader's header limit; anything larger is not a header. */
const MAX_HEADER_BYTES = 100_000_000;

export type Availability = { available: true; reason: null } | { available: false; reason: string };
const AVAILABLE: Availability = { available: true, reason: null };

interface Cached {
  readonly signature: string;
  readonly digest: string;
}

export class FileDigests {
  private readonly cache = new Map<string, Cached>();

  /** Size and digest of one file; null when it is missing or not a regular file. */
  async digest(path: string): Promise<{ size: number; digest: string } | null> {
    const s = await statFile(path);
    if (!s) return null;
    const signature = `${s.size}:${s.mtimeMs}:${s.ino}`;
    const cached = this.cache.get(path);
    if (cached?.signature === signature) return { size: s.size, digest: cached.digest };
    const digest = await digestFile(path, s.size);
    this.cache.set(path, { signature, digest });
    return { size: s.size, digest };
  }

  /** Name, size and digest of each file, checked against the sizes the engine saw when it inspected the folder. */
  async describe(folder: string, files: readonly { name: string; size: number }[]): Promise<ModelFile[] | { changed: string }> {
    const out: ModelFile[] = [];
    for (const file of files) {
      const got = await this.digest(join(folder, file.name));
      if (!got || got.size !== file.size) return { changed: file.name };
      out.push({ name: file.name, size: got.size, digest: got.digest });
    }
    return out;
  }

  /** Whether the folder still holds the same files: stat for each, a re-read only of files whose stat changed. */
  async check(folder: string, files: readonly ModelFile[]): Promise<Availability> {
    const folderStat = await stat(folder).catch(() => null);
    if (!folderStat?.isDirectory()) return { available: false, reason: `The folder ${folder} is missing or cannot be read.` };
    for (const file of files) {
      const got = await this.digest(join(folder, file.name)).catch(() => null);
      if (!got) return { available: false, reason: `${file.name} is missing from the model folder.` };
      if (got.size !== file.size || got.digest !== file.digest) {
        return { available: false, reason: `${file.name} has changed since the model was added.` };
      }
    }
    return AVAILABLE;
  }
}

async function statFile(path: string) {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return null;
    throw error;
  }
}

async function digestFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (!path.endsWith('.safetensors')) return hash.update(await readFile(path)).digest('hex');
  const handle = await open(path, 'r');
  try {
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    hash.update(prefix.subarray(0, bytesRead));
    const length = bytesRead === 8 ? prefix.readBigUInt64LE(0) : 0n;
    // A damaged header is reported by the loader when the model is used; here it only needs to digest consistently.
    if (length > 0n && length <= BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
      const header = Buffer.alloc(Number(length));
      await handle.read(header, 0, header.length, 8);
      hash.update(header);
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
