// Parquet files as a RecordReader (hyparquet, with hyparquet-compressors for zstd, gzip, brotli and lz4): rows are
// decoded one row group at a time and numbered from 1 in file order, so a problem names "row N" as a text file names a line.
// Values become what JSON can hold: INT64 as a number when exact (else its digits as text), dates as ISO text,
// NaN as null (how pandas writes a missing float); binary cells and infinities are refused by row and column.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ReadItem, RecordReader } from './readers';

/** The bytes every Parquet file starts and ends with. */
const MAGIC = Buffer.from('PAR1');
/** A footer (the file's metadata) larger than this is refused before it is read: real ones are kilobytes. */
const MAX_FOOTER_BYTES = 64 * 1024 * 1024;

const NOT_PARQUET_HINT =
  'Save the file again as Parquet (pandas: df.to_parquet(path); polars: df.write_parquet(path)).';

/** Whether the bytes start like a Parquet file (its first four bytes are PAR1). */
export function startsLikeParquet(head: Uint8Array): boolean {
  return head.length >= 4 && Buffer.from(head.subarray(0, 4)).equals(MAGIC);
}

export function openParquetReader(path: string): RecordReader {
  let header: readonly string[] | null = null;
  let read = 0;
  let digest = '';
  let statedRows: number | null = null;
  return {
    format: 'parquet',
    header: () => header,
    bytesRead: () => read,
    sha256: () => digest,
    encodingNote: () => null,
    rowCount: () => statedRows,
    async *items(): AsyncGenerator<ReadItem, void, undefined> {
      const bytes = (await stat(path)).size;
      const whole = await wholeFileProblem(path, bytes);
      if (whole !== null) {
        yield whole;
        return;
      }
      const file = await asyncBufferFromFile(path);
      let metadata: FileMetaData;
      try {
        metadata = await parquetMetadataAsync(file);
      } catch (error) {
        yield fatal(`has a damaged Parquet footer (${message(error)})`);
        return;
      }
      header = (metadata.schema[0]?.num_children ?? 0) > 0 ? topLevelColumns(metadata) : [];
      const total = Number(metadata.num_rows);
      statedRows = total;
      // A whole row group per read: hyparquet decodes a group's column chunks whole whatever slice is asked for, so
      // smaller slices would decode each group again and again (measured: 20 slices of 1,000 rows of a 100k-row group
      // took 11 times as long as the whole group). Memory holds one decoded row group, not the file.
      let start = 0;
      for (const group of metadata.row_groups) {
        const end = Math.min(start + Number(group.num_rows), total);
        if (end <= start) continue;
        let rows: Record<string, unknown>[];
        try {
          rows = await parquetReadObjects({
            file,
            metadata,
            compressors,
            rowStart: start,
            rowEnd: end,
          });
        } catch (error) {
          yield { kind: 'problem', line: start + 1, reason: `cannot be decoded (${message(error)})`, fatal: true };
          return;
        }
        for (const [i, row] of rows.entries()) {
          const line = start + i + 1;
          read = Math.round((bytes * line) / total);
          const converted = toJsonRow(row);
          if (typeof converted === 'string') yield { kind: 'problem', line, reason: converted, fatal: false };
          else yield { kind: 'row', line, data: converted, bytesEnd: read };
        }
        start = end;
      }
      read = bytes;
      digest = await sha256File(path);
    },
  };
}

function fatal(reason: string, hint = NOT_PARQUET_HINT): ReadItem {
  return { kind: 'problem', line: 0, reason, fatal: true, hint };
}

/** A file too short for a footer, or without the magic bytes at both ends, is not Parquet at all. */
async function wholeFileProblem(path: string, bytes: number): Promise<ReadItem | null> {
  if (bytes < 12) return fatal('is too short to be a Parquet file');
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 8, bytes - 8);
    if (!head.equals(MAGIC) || !tail.subarray(4).equals(MAGIC))
      return fatal('is not a Parquet file (a Parquet file starts and ends with the bytes PAR1)');
    const footer = tail.readUInt32LE(0);
    if (footer > MAX_FOOTER_BYTES || footer > bytes - 12)
      return fatal(`has a damaged Parquet footer (it claims ${footer.toLocaleString('en')} bytes of metadata)`);
    return null;
  } finally {
    await handle.close();
  }
}

/** The names of the schema's top-level fields (a nested field's children belong to it). */
function topLevelColumns(metadata: FileMetaData): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (index: number): number => {
    const children = metadata.schema[index]?.num_children ?? 0;
    let next = index + 1;
    for (let c = 0; c < children; c++) next = skip(next);
    return next;
  };
  while (i < metadata.schema.length) {
    names.push(metadata.schema[i]?.name ?? '');
    i = skip(i);
  }
  return names;
}

/** One row as JSON values; a string is why it cannot be (the caller adds the row number). */
export function toJsonRow(row: Record<string, unknown>): Record<string, unknown> | string {
  const data: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const converted = toJsonValue(value);
    if (converted instanceof Refusal) return `${converted.reason} in column "${column}"`;
    data[column] = converted;
  }
  return data;
}

class Refusal {
  constructor(readonly reason: string) {}
}

function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    return Number.isFinite(value) ? value : new Refusal(`has ${value} (not a finite number)`);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array)
    return new Refusal('has binary data (Dovetail keeps text, numbers and JSON; store it as text)');
  if (Array.isArray(value)) return convertAll(value);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = toJsonValue(v);
      if (converted instanceof Refusal) return converted;
      out[k] = converted;
    }
    return out;
  }
  return new Refusal(`has a value of type ${typeof value}`);
}

function convertAll(values: readonly unknown[]): unknown[] | Refusal {
  const out: unknown[] = [];
  for (const v of values) {
    const converted = toJsonValue(v);
    if (converted instanceof Refusal) return converted;
    out.push(converted);
  }
  return out;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
