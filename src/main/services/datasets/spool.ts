// The import's scratch file between its two passes: one line per checked row, written as the files stream in and
// read back synchronously (in chunks) inside the database transaction. Lives in <workspace>/imports/ as
// <pid>-<uuid>.spool and is deleted when the import ends, whatever the outcome; one left by a killed app is removed
// when the workspace is next opened (removeStaleSpools).
import { randomUUID } from 'node:crypto';
import { closeSync, createWriteStream, openSync, readSync, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { SplitName } from '../../../shared/contract/datasets';

export interface SpooledRow {
  readonly key: string;
  readonly split: SplitName;
  readonly file: string;
  readonly line: number;
  readonly rowHash: string;
  readonly inputHash: string;
  readonly data: Record<string, unknown>;
}

/** A spooled row as read back: the data stays the JSON text it will be stored as. */
export type SpooledRecord = Omit<SpooledRow, 'data'> & { readonly data: string };

const CHUNK_BYTES = 1024 * 1024;

/** The folder of a workspace that holds spools. */
export const IMPORTS_DIR = 'imports';

/** Spools of imports running in this process (absolute paths): never stale. */
const live = new Set<string>();

/** A new spool's path: the pid tells a later sweep whether its writer may still be alive. */
export function newSpoolPath(workspaceFolder: string): string {
  return join(workspaceFolder, IMPORTS_DIR, `${process.pid}-${randomUUID()}.spool`);
}

/**
 * Deletes spools whose import cannot be running: made by a process that is gone, by this one but no longer in use,
 * or named in an older way. Returns how many files and bytes it removed. Failures to remove one are skipped.
 */
export async function removeStaleSpools(workspaceFolder: string): Promise<{ files: number; bytes: number }> {
  const folder = join(workspaceFolder, IMPORTS_DIR);
  const names = await readdir(folder).catch(() => [] as string[]);
  let files = 0;
  let bytes = 0;
  for (const name of names.filter((n) => n.endsWith('.spool'))) {
    const file = join(folder, name);
    if (live.has(file) || writerAlive(name)) continue;
    const size = (await stat(file).catch(() => null))?.size ?? 0;
    const removed = await rm(file, { force: true }).then(
      () => true,
      () => false,
    );
    if (removed) {
      files++;
      bytes += size;
    }
  }
  return { files, bytes };
}

/** Whether the process named in a spool's file name runs (another app instance importing into this workspace). */
function writerAlive(name: string): boolean {
  const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? NaN);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SpoolWriter {
  private constructor(
    readonly file: string,
    private readonly stream: WriteStream,
  ) {}

  static async create(file: string): Promise<SpoolWriter> {
    await mkdir(dirname(file), { recursive: true });
    const stream = createWriteStream(file, { flags: 'wx' });
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    live.add(file);
    return new SpoolWriter(file, stream);
  }

  /** Appends a row; waits only when the stream's buffer is full (back-pressure). */
  async write(row: SpooledRow): Promise<void> {
    // The head is a JSON array without raw tabs (JSON escapes them), so the first tab ends it.
    const head = JSON.stringify([row.key, row.split, row.file, row.line, row.rowHash, row.inputHash]);
    if (!this.stream.write(`${head}\t${JSON.stringify(row.data)}\n`)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        this.stream.once('error', onError);
        this.stream.once('drain', () => {
          this.stream.off('error', onError);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  /** Closes (if open) and deletes the file. */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.file, { force: true });
    live.delete(this.file);
  }
}

/** Reads the spool back in order, synchronously (for use inside a transaction). */
export function* readSpool(file: string): Generator<SpooledRecord> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      const text = rest + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end());
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) yield parseLine(line);
      if (n === 0) break;
    }
    if (rest !== '') yield parseLine(rest);
  } finally {
    closeSync(fd);
  }
}

function parseLine(line: string): SpooledRecord {
  const tab = line.indexOf('\t');
  const [key, split, file, lineNumber, rowHash, inputHash] = JSON.parse(line.slice(0, tab)) as [
    string,
    SplitName,
    string,
    number,
    string,
    string,
  ];
  return { key, split, file, line: lineNumber, rowHash, inputHash, data: line.slice(tab + 1) };
}
