// A registered model's files and their digests: the whole-file sha256 of every file (weights included, through the
// platform ContentHasher) with the (size, mtime, inode) signature seen when it was hashed, so re-checking an unchanged
// folder costs one stat per file. Entries written before weights were hashed ("legacy": safetensors digested by
// header only, no signature) are still checked the old way until a re-check upgrades them.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import {
  combineDigests,
  ContentHasher,
  notRegular,
  openRegularFile,
  sameSignature,
  signatureOf,
  type HashOptions,
} from '../../platform/files/content-hash';
import { isErrnoException } from '../../platform/files/atomic';

export const ModelFile = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** Whole-file sha256 when `signature` is present; a legacy entry's header-only digest otherwise. */
  digest: z.string(),
  signature: z.object({ mtimeMs: z.number(), ino: z.number() }).optional(),
});
export type ModelFile = z.infer<typeof ModelFile>;

/** The identity's version tag: bump when what goes into it changes. */
const MODEL_HASH_VERSION = 'dovetail-model-v2';
/** Files up to this size are re-hashed on the spot when their signature changed (JSON, tokenizer, small weights). */
const INLINE_RECHECK_BYTES = 32 * 1024 * 1024;
/** The reference safetensors reader's header limit; anything larger is not a header. */
const MAX_HEADER_BYTES = 100_000_000;

export type Availability =
  { available: true; reason: null; recheck: false } | { available: false; reason: string; recheck: boolean };
const AVAILABLE: Availability = { available: true, reason: null, recheck: false };
const gone = (reason: string): Availability => ({ available: false, reason, recheck: false });

export class ModelFiles {
  constructor(
    private readonly hasher: ContentHasher = new ContentHasher(),
    private readonly inlineRecheckBytes = INLINE_RECHECK_BYTES,
  ) {}

  /** Hashes each file whole; sizes must still be those the engine saw when it inspected the folder. */
  async hash(
    folder: string,
    files: readonly { name: string; size: number }[],
    options: HashOptions,
  ): Promise<ModelFile[]> {
    const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
    const hashes = await this.hasher.hashFiles(
      sorted.map((f) => join(folder, f.name)),
      options,
    );
    return sorted.map((f, i) => {
      const h = hashes[i];
      if (!h || h.size !== f.size) {
        throw new UserError(`${f.name} changed while the model was being inspected.`, {
          where: join(folder, f.name),
          hint: 'Wait until copying or downloading into the folder has finished, then add the model again.',
          code: 'model-changed',
        });
      }
      return { name: f.name, size: h.size, digest: h.sha256, signature: { mtimeMs: h.mtimeMs, ino: h.ino } };
    });
  }

  /** The model's content identity: every file's name, size and whole-file sha256. */
  static identity(files: readonly ModelFile[]): string {
    return combineDigests(
      MODEL_HASH_VERSION,
      files.map((f) => ({ name: f.name, size: f.size, sha256: f.digest })),
    );
  }

  /** Whether the folder still holds the same files: a stat each, a re-read only of small files whose stat changed. */
  async check(folder: string, files: readonly ModelFile[]): Promise<Availability> {
    const folderStat = await stat(folder).catch(() => null);
    if (!folderStat?.isDirectory()) return gone(`The folder ${folder} is missing or cannot be read.`);
    for (const file of files) {
      const path = join(folder, file.name);
      const s = await stat(path).catch((error: unknown) =>
        isErrnoException(error) && ['ENOENT', 'ENOTDIR'].includes(error.code ?? '') ? null : Promise.reject(error),
      );
      if (!s) return gone(`${file.name} is missing from the model folder.`);
      if (!s.isFile()) return gone(notRegular(path, s).message);
      const changed = gone(`${file.name} has changed since the model was added.`);
      if (s.size !== file.size) return changed;
      if (!file.signature) {
        if ((await legacyDigest(path, s.size)) !== file.digest) return changed;
        continue;
      }
      const now = signatureOf(s);
      if (
        sameSignature(now, { size: file.size, ...file.signature }) ||
        this.hasher.cached(path, now)?.sha256 === file.digest
      )
        continue;
      if (s.size > this.inlineRecheckBytes) {
        return {
          available: false,
          reason: `${file.name} was modified on disk (its date changed) since Dovetail hashed it; re-check the model to hash it again.`,
          recheck: true,
        };
      }
      if ((await this.hasher.hashFile(path)).sha256 !== file.digest) return changed;
    }
    return AVAILABLE;
  }

  /**
   * Hashes every file again: the entries with their new signatures when all match (legacy entries are upgraded to
   * whole-file digests after their old digest matched), or the name of the first file that differs.
   */
  async recheck(
    folder: string,
    files: readonly ModelFile[],
    options: HashOptions,
  ): Promise<ModelFile[] | { changed: string }> {
    for (const file of files) {
      if (file.signature) continue;
      const path = join(folder, file.name);
      const { handle, stats } = await openRegularFile(path);
      await handle.close();
      if (stats.size !== file.size || (await legacyDigest(path, stats.size)) !== file.digest)
        return { changed: file.name };
    }
    const fresh = await this.hash(folder, files, options).catch((error: unknown) => {
      if (error instanceof UserError && error.code === 'model-changed') return null;
      throw error;
    });
    if (!fresh) return { changed: files[0]?.name ?? folder };
    for (const file of files) {
      const now = fresh.find((f) => f.name === file.name);
      if (!now || now.size !== file.size || (file.signature && now.digest !== file.digest))
        return { changed: file.name };
    }
    return fresh;
  }
}

/** The digest entries written before weights were hashed: sha256 of JSON whole, of safetensors' length + header. */
async function legacyDigest(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    if (!path.endsWith('.safetensors')) return hash.update(await handle.readFile()).digest('hex');
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    hash.update(prefix.subarray(0, bytesRead));
    const length = bytesRead === 8 ? prefix.readBigUInt64LE(0) : 0n;
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
