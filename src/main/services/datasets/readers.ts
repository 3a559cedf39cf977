// Streaming record readers for JSONL and CSV/TSV files: each yields parsed records with the file's 1-based line
// number, or a problem with its line and reason. Files are read in chunks (never whole), so any size works; the
// file's sha256 and byte count are kept as it is read. CSV parsing is csv-parse's (quotes, BOM, CRLF, multi-line).
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { CsvError, parse, type Info } from 'csv-parse';
import type { DataFormat } from '../../../shared/contract/datasets';

export type ReadItem =
  | { readonly kind: 'row'; readonly line: number; readonly data: Record<string, unknown>; readonly bytesEnd: number }
  /** fatal: the reader cannot go on in this file (broken quoting, a bad header). */
  | { readonly kind: 'problem'; readonly line: number; readonly reason: string; readonly fatal: boolean };

export interface RecordReader {
  readonly format: DataFormat;
  /** Header columns (CSV/TSV) after the first item was read; null for JSONL. */
  header(): readonly string[] | null;
  items(): AsyncGenerator<ReadItem, void, undefined>;
  /** Bytes read from the file so far. */
  bytesRead(): number;
  /** sha256 of the bytes read (of the whole file once items() has finished). */
  sha256(): string;
}

/** A CSV record longer than this is refused (almost always an unclosed quote swallowing the rest of the file). */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** The format by extension, else by a look at the first bytes ('{' starts JSONL; a tab-only header is TSV). */
export async function detectFormat(path: string): Promise<DataFormat> {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    if (head.trimStart().startsWith('{')) return 'jsonl';
    const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
    return firstLine.includes('\t') && !firstLine.includes(',') ? 'tsv' : 'csv';
  } finally {
    await handle.close();
  }
}

export function openReader(path: string, format: DataFormat): RecordReader {
  return format === 'jsonl' ? jsonlReader(path) : csvReader(path, format === 'tsv' ? '\t' : ',');
}

/** Counts bytes and hashes them as the stream delivers them. */
function trackedStream(path: string): { stream: ReadStream; bytes: () => number; sha256: () => string } {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const hash = createHash('sha256');
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    hash.update(chunk as Buffer);
  });
  let digest: string | null = null;
  return { stream, bytes: () => bytes, sha256: () => (digest ??= hash.digest('hex')) };
}

function jsonlReader(path: string): RecordReader {
  const tracked = trackedStream(path);
  return {
    format: 'jsonl',
    header: () => null,
    bytesRead: tracked.bytes,
    sha256: tracked.sha256,
    async *items() {
      const lines = createInterface({ input: tracked.stream, crlfDelay: Infinity });
      let line = 0;
      let bytesEnd = 0;
      try {
        for await (const raw of lines) {
          line++;
          bytesEnd += Buffer.byteLength(raw) + 1;
          const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
          if (text.trim() === '') continue;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            yield { kind: 'problem', line, reason: 'is not valid JSON', fatal: false };
            continue;
          }
          if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
            yield { kind: 'problem', line, reason: `is ${what}, not a JSON object`, fatal: false };
            continue;
          }
          yield { kind: 'row', line, data: value as Record<string, unknown>, bytesEnd };
        }
      } finally {
        lines.close();
        tracked.stream.destroy();
      }
    },
  };
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: Info;
}

function csvReader(path: string, delimiter: string): RecordReader {
  const tracked = trackedStream(path);
  let header: string[] | null = null;
  return {
    format: delimiter === '\t' ? 'tsv' : 'csv',
    header: () => header,
    bytesRead: tracked.bytes,
    sha256: tracked.sha256,
    async *items() {
      // Records are taken as csv-parse makes them (on_record) rather than read from its stream: a parse error
      // destroys the stream, and the records it had buffered before the bad one would be lost with it.
      const queue: CsvRecord[] = [];
      const parser = parse({
        bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true, raw: true, max_record_size: MAX_RECORD_BYTES,
        on_record: (record) => {
          queue.push(record as unknown as CsvRecord);
          return null;
        },
      });
      parser.on('error', () => undefined); // reported through write/end below
      // Lines are counted here from each record's raw text: csv-parse's own count takes a CRLF inside quotes as two.
      let next = 1;
      let stop = false;
      const drain = (): ReadItem[] => {
        const out: ReadItem[] = [];
        for (const item of queue.splice(0)) {
          if (stop) break;
          const body = item.raw.replace(/^[\r\n]+/, '');
          const line = next + lineBreaks(item.raw.slice(0, item.raw.length - body.length));
          next = line + lineBreaks(body);
          if (header === null) {
            const problem = headerProblem(item.record);
            if (problem) {
              out.push({ kind: 'problem', line, reason: problem, fatal: true });
              stop = true;
            } else header = item.record.map((c) => c.trim());
          } else if (item.record.length !== header.length) {
            const reason = `has ${item.record.length} column${item.record.length === 1 ? '' : 's'}, the header has ${header.length}`;
            out.push({ kind: 'problem', line, reason, fatal: false });
          } else {
            const data: Record<string, unknown> = {};
            header.forEach((name, i) => (data[name] = item.record[i]));
            out.push({ kind: 'row', line, data, bytesEnd: item.info.bytes });
          }
        }
        return out;
      };
      try {
        let failure: Error | null = null;
        for await (const chunk of tracked.stream) {
          failure = await new Promise<Error | null>((resolve) => parser.write(chunk as Buffer, (error) => resolve(error ?? null)));
          yield* drain();
          if (stop || failure) break;
        }
        if (!stop && !failure) {
          failure = await new Promise<Error | null>((resolve) => {
            parser.once('error', resolve);
            parser.end(() => resolve(null));
          });
          yield* drain();
        }
        if (stop) return;
        if (failure) {
          if (!(failure instanceof CsvError)) throw failure;
          yield { kind: 'problem', ...csvErrorAt(failure, next), fatal: true };
        } else if (header === null) {
          yield { kind: 'problem', line: 1, reason: 'is empty: a header row is needed', fatal: true };
        }
      } finally {
        tracked.stream.destroy();
        parser.destroy();
      }
    },
  };
}

/** Line breaks of any style (csv-parse keeps only the \r of a CRLF record delimiter in `raw`). */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function headerProblem(record: string[]): string | null {
  const names = record.map((c) => c.trim());
  const blank = names.findIndex((n) => n === '');
  if (blank >= 0) return `the header row has no name for column ${blank + 1}`;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `the header row names the column "${name}" twice`;
    seen.add(name);
  }
  return null;
}

/** `next`: the line after the last good record, where the bad one starts (blank lines aside). */
function csvErrorAt(error: CsvError & { lines?: number }, next: number): { line: number; reason: string } {
  const at = Math.max(next, error.lines ?? next);
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { line: next, reason: 'has broken quoting: a quoted field that starts here is never closed' };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return { line: at, reason: 'has broken quoting: a closing quote is followed by more text (write a quote inside a quoted field as "")' };
    case 'INVALID_OPENING_QUOTE':
      return { line: at, reason: 'has broken quoting: a quote inside a field that does not start with one' };
    case 'CSV_MAX_RECORD_SIZE':
      return { line: next, reason: 'starts a record over 16 MB long (probably a quote that is never closed)' };
    default:
      return { line: at, reason: `cannot be parsed as CSV (${error.message})` };
  }
}
