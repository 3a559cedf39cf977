// Content-addressed storage for large artifacts (weights, adapters, reports): a blob's name is the sha256 of its
// bytes, at <root>/<first 2 hex>/<all 64 hex>. Writes stream to <root>/.tmp/ (same file system) and are renamed in
// only after the hash is known and checked, so a name always means complete, verified content.
import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants, createReadStream, promises as fs, type ReadStream } from 'node:fs';
import path from 'node:path';
import { BugError, CancelledError, UserError } from '../../../shared/errors';
import { fsyncDirectory, isErrnoException, pathExists, removeQuietly } from '../files/atomic';

const SHA256 = /^[0-9a-f]{64}$/;
const TEMP_DIR = '.tmp';
/** Temp files older than this are leftovers of a crash (no write takes a day), so opening the store removes them. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

export type BlobSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface PutOptions {
  /** When the caller knows the hash (a manifest, a download), a mismatch is refused and nothing is stored. */
  readonly expectedSha256?: string;
  readonly signal?: AbortSignal;
}

/** What services see of the blob store. */
export interface Blobs {
  /** Stores bytes or a stream (a Node Readable works) and returns the sha256; storing existing content is a no-op. */
  put(source: BlobSource, options?: PutOptions): Promise<string>;
  /** Copies a file in by streaming it (never loads it whole). */
  putFile(file: string, options?: PutOptions): Promise<string>;
  has(sha256: string): Promise<boolean>;
  /** Where the blob lives (whether or not it exists); for memory-mapping or handing to a library that wants a path. */
  path(sha256: string): string;
  read(sha256: string): Promise<Buffer>;
  openRead(sha256: string): Promise<ReadStream>;
  /** Re-hashes the stored bytes: false when the file was altered behind the store's back. */
  verify(sha256: string): Promise<boolean>;
}

export class BlobStore implements Blobs {
  private constructor(readonly root: string) {}

  /** Opens (creating if needed) the store at `root` and removes stale temp files. */
  static async open(root: string, options: { staleTempMs?: number } = {}): Promise<BlobStore> {
    const store = new BlobStore(root);
    await fs.mkdir(path.join(root, TEMP_DIR), { recursive: true });
    await store.sweepTemp(options.staleTempMs ?? STALE_TEMP_MS);
    return store;
  }

  async put(source: BlobSource, options: PutOptions = {}): Promise<string> {
    return this.write(source instanceof Uint8Array ? [source] : source, options);
  }

  async putFile(file: string, options: PutOptions = {}): Promise<string> {
    try {
      // Surface a missing or unreadable file as the user's problem before any temp file exists.
      await fs.access(file, fsConstants.R_OK);
    } catch (error) {
      throw new UserError(`Could not read ${path.basename(file)}`, {
        code: 'file-unreadable',
        where: file,
        hint: 'Check that the file exists and can be read.',
        cause: error,
      });
    }
    const stream = createReadStream(file);
    try {
      return await this.write(stream, options);
    } finally {
      stream.destroy();
    }
  }

  async has(sha256: string): Promise<boolean> {
    return pathExists(this.path(sha256));
  }

  path(sha256: string): string {
    if (!SHA256.test(sha256)) throw new BugError(`Not a sha256 hex digest: ${JSON.stringify(sha256)}`);
    // The full digest as file name (not git's 62-char remainder) so that a blob copied out still names its content.
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async read(sha256: string): Promise<Buffer> {
    const file = this.path(sha256);
    try {
      return await fs.readFile(file);
    } catch (error) {
      throw this.missing(sha256, file, error);
    }
  }

  async openRead(sha256: string): Promise<ReadStream> {
    const file = this.path(sha256);
    const handle = await fs.open(file, 'r').catch((error: unknown) => {
      throw this.missing(sha256, file, error);
    });
    return handle.createReadStream();
  }

  async verify(sha256: string): Promise<boolean> {
    const hash = createHash('sha256');
    for await (const chunk of await this.openRead(sha256)) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256;
  }

  private async write(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: PutOptions): Promise<string> {
    const expected = options.expectedSha256?.toLowerCase();
    if (expected !== undefined && !SHA256.test(expected)) throw new BugError(`Not a sha256 hex digest: ${expected}`);
    const temp = path.join(this.root, TEMP_DIR, `${randomUUID()}.tmp`);
    const hash = createHash('sha256');
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(temp, 'wx');
      for await (const chunk of chunks) {
        if (options.signal?.aborted) throw new CancelledError('Storing the file was cancelled');
        if (!(chunk instanceof Uint8Array))
          throw new BugError('Blob sources must yield bytes (a stream with an encoding yields strings)');
        hash.update(chunk);
        await handle.write(chunk);
      }
      if (options.signal?.aborted) throw new CancelledError('Storing the file was cancelled');
      await handle.sync();
      await handle.close();
      handle = undefined;
      const sha256 = hash.digest('hex');
      if (expected !== undefined && sha256 !== expected) {
        throw new UserError('The content does not match its expected checksum.', {
          code: 'blob-hash-mismatch',
          hint: `Expected sha256 ${expected}, got ${sha256}. The source may be incomplete or altered; get it again.`,
        });
      }
      const target = this.path(sha256);
      if (await pathExists(target)) {
        // Same name, same content: keep the existing file and drop the duplicate.
        await fs.rm(temp, { force: true });
        return sha256;
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      try {
        await fs.rename(temp, target);
      } catch (error) {
        // A concurrent put of the same content won the race (Windows refuses to rename over an existing file).
        if (!(await pathExists(target))) throw error;
        await fs.rm(temp, { force: true });
        return sha256;
      }
      await fsyncDirectory(path.dirname(target));
      return sha256;
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await removeQuietly(temp);
      throw error;
    }
  }

  private async sweepTemp(olderThanMs: number): Promise<void> {
    const dir = path.join(this.root, TEMP_DIR);
    const now = Date.now();
    for (const name of await fs.readdir(dir)) {
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && now - stat.mtimeMs >= olderThanMs) await removeQuietly(file);
    }
  }

  private missing(sha256: string, file: string, cause: unknown): Error {
    if (isErrnoException(cause) && cause.code === 'ENOENT') {
      return new UserError(`A stored file is missing from the workspace (${sha256.slice(0, 12)}…).`, {
        code: 'blob-missing',
        where: file,
        hint: 'The workspace folder is incomplete; restore it from a backup or import the item again.',
        cause,
      });
    }
    return cause instanceof Error ? cause : new BugError(String(cause));
  }
}
