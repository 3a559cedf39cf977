// Streaming record readers for JSONL and CSV/TSV files (Parquet: parquet-reader.ts): each yields parsed records with the file's 1-based line
// number, or a problem with its line, reason and (for whole-file problems) a hint. Files are read as decoded text in
// chunks (platform/files/text-stream: encoding sniffed, byte cap, line cap), never whole, so size alone never
// exhausts memory; the file's sha256 and byte count are kept as it is read.
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DataFormat } from '../../../shared/contract/datasets';
import { SNIFF_BYTES, encodedLength, sniffEncoding } from '../../platform/files/text-encoding';
import { TextReadFailure, lines, openTextSource, type TextSource } from '../../platform/files/text-stream';
import { csvRecords } from './csv-reader';
import { openParquetReader, startsLikeParquet } from './parquet-reader';

export type ReadItem =
  | { readonly kind: 'row'; readonly line: number; readonly data: Record<string, unknown>; readonly bytesEnd: number }
  /** fatal: the reader cannot go on in this file (broken quoting, a bad header, not text). line 0: the whole file. */
  | {
      readonly kind: 'problem';
      readonly line: number;
      readonly reason: string;
      readonly fatal: boolean;
      readonly hint?: string;
    };

export interface RecordReader {
  readonly format: DataFormat;
  /** Header columns (CSV/TSV) after the first item was read; null for JSONL. */
  header(): readonly string[] | null;
  items(): AsyncGenerator<ReadItem, void, undefined>;
  /** Bytes read from the file so far. */
  bytesRead(): number;
  /** sha256 of the bytes read (of the whole file once items() has finished). */
  sha256(): string;
  /** Set once items() has started, when the file was converted from another encoding than UTF-8. */
  encodingNote(): string | null;
  /** The file's row count when its format states it (Parquet's footer), once items() has started; else absent. */
  rowCount?(): number | null;
}

/** The largest data file accepted (checked before reading, and held while reading). */
export const MAX_DATA_FILE_BYTES = 8 * 1024 ** 3;
/** A JSONL line or CSV record longer than this is refused, with its line number. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
/** Arrays and objects inside a JSONL row may nest this deep. */
export const MAX_NESTING = 100;

/**
 * Parquet by its magic bytes (PAR1) or extension (whatever the name says, a Parquet file read as text would only
 * give a misleading error); else the format by extension, else by a look at the first bytes ('{' or '[' starts JSON;
 * a tab-only header is TSV).
 */
export async function detectFormat(path: string): Promise<DataFormat> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    head = buffer.subarray(0, (await handle.read(buffer, 0, buffer.length, 0)).bytesRead);
  } finally {
    await handle.close();
  }
  const ext = extname(path).toLowerCase();
  if (startsLikeParquet(head) || ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  const encoding = sniffEncoding(head);
  // A file that is not text is refused by the reader whatever its format; CSV is as good a guess as any.
  if (!encoding.ok) return 'csv';
  const text = new TextDecoder(encoding.encoding).decode(head).replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(text)) return 'jsonl';
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.includes('\t') && !firstLine.includes(',') ? 'tsv' : 'csv';
}

export function openReader(path: string, format: DataFormat, maxBytes = MAX_DATA_FILE_BYTES): RecordReader {
  if (format === 'parquet') return openParquetReader(path);
  let source: TextSource | null = null;
  let header: readonly string[] | null = null;
  const open = async (): Promise<TextSource | ReadItem> => {
    const opened = await openTextSource(path, { maxBytes });
    if (!opened.ok) return { kind: 'problem', line: 0, reason: opened.reason, fatal: true, hint: opened.hint };
    return (source = opened);
  };
  return {
    format,
    header: () => header,
    bytesRead: () => source?.bytesRead() ?? 0,
    sha256: () => source?.sha256() ?? '',
    encodingNote: () => source?.encoding.note ?? null,
    async *items() {
      const opened = await open();
      if (!('chunks' in opened)) {
        yield opened;
        return;
      }
      if (format === 'jsonl') yield* jsonlItems(opened);
      else yield* csvRecords(opened, format === 'tsv' ? '\t' : ',', MAX_RECORD_CHARS, (h) => (header = h));
    },
  };
}

const JSON_ARRAY_HINT =
  'JSON Lines holds one JSON object per line. Convert the array first, for example with `jq -c ".[]" data.json > ' +
  'data.jsonl`, then import the .jsonl file.';

async function* jsonlItems(source: TextSource): AsyncGenerator<ReadItem, void, undefined> {
  let bytesEnd = 0;
  let last = 0;
  let first = true;
  try {
    for await (const { text, line } of lines(source.chunks(), MAX_RECORD_CHARS)) {
      last = line;
      bytesEnd += encodedLength(text, source.encoding.encoding) + 1;
      if (text.trim() === '') continue;
      const opening = first ? wholeFileShape(text) : null;
      first = false;
      if (opening !== null) {
        yield opening;
        return;
      }
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
      if (nestedDeeperThan(value, MAX_NESTING)) {
        yield { kind: 'problem', line, reason: `nests values more than ${MAX_NESTING} levels deep`, fatal: false };
        continue;
      }
      // JSON.parse keeps a "__proto__" key as an own property; the mapping step decides what becomes of it.
      yield { kind: 'row', line, data: value as Record<string, unknown>, bytesEnd };
    }
  } catch (error) {
    if (!(error instanceof TextReadFailure)) throw error;
    yield { kind: 'problem', line: error.line ?? last + 1, reason: error.reason, fatal: true, hint: error.hint };
  }
}

/**
 * Whether arrays and objects nest deeper than `limit` (walked without recursion). JSON.parse takes any depth, but
 * storing and hashing the row (JSON.stringify) would overflow the stack on a line of 100,000 brackets.
 */
function nestedDeeperThan(root: object, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [value, depth] = item;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(value))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** The first line shows the file is one JSON document (an array, or an object over many lines), not JSON Lines. */
function wholeFileShape(text: string): ReadItem | null {
  const start = text.trimStart();
  if (start.startsWith('[')) {
    return { kind: 'problem', line: 0, reason: 'is a JSON array, not JSON Lines', fatal: true, hint: JSON_ARRAY_HINT };
  }
  if (start.trimEnd() === '{') {
    return {
      kind: 'problem',
      line: 0,
      reason: 'is one JSON document spread over several lines, not JSON Lines',
      fatal: true,
      hint: 'JSON Lines holds one JSON object per line, each complete on its line.',
    };
  }
  return null;
}
