// CSV/TSV records from decoded text (csv-parse: quotes, CRLF, multi-line cells), with line numbers counted from each
// record's raw text, the header checked, and broken quoting or an over-long record reported at the line it starts.
import { CsvError, parse, type Info } from 'csv-parse';
import { formatBytes } from '../../platform/files/user-files';
import { TextReadFailure, type TextSource } from '../../platform/files/text-stream';
import type { ReadItem } from './readers';

interface CsvRecord {
  record: string[];
  raw: string;
  info: Info;
}

export async function* csvRecords(
  source: TextSource,
  delimiter: string,
  maxChars: number,
  onHeader: (header: readonly string[]) => void,
): AsyncGenerator<ReadItem, void, undefined> {
  let header: string[] | null = null;
  // Records are taken as csv-parse makes them (on_record) rather than read from its stream: a parse error
  // destroys the stream, and the records it had buffered before the bad one would be lost with it.
  const queue: CsvRecord[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: maxChars,
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
        } else {
          header = item.record.map((c) => c.trim());
          onHeader(header);
        }
      } else if (item.record.length !== header.length) {
        const reason = `has ${item.record.length} column${item.record.length === 1 ? '' : 's'}, the header has ${header.length}`;
        out.push({ kind: 'problem', line, reason, fatal: false });
      } else {
        // fromEntries defines own properties: a column named __proto__ stays a column, never a prototype.
        const data = Object.fromEntries(header.map((name, i) => [name, item.record[i]]));
        out.push({ kind: 'row', line, data, bytesEnd: item.info.bytes });
      }
    }
    return out;
  };
  try {
    let failure: Error | null = null;
    try {
      for await (const chunk of source.chunks()) {
        failure = await new Promise<Error | null>((resolve) => parser.write(chunk, (error) => resolve(error ?? null)));
        yield* drain();
        if (stop || failure) break;
      }
    } catch (error) {
      if (!(error instanceof TextReadFailure)) throw error;
      yield* drain();
      if (!stop)
        yield { kind: 'problem', line: error.line ?? next, reason: error.reason, fatal: true, hint: error.hint };
      return;
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
      yield { kind: 'problem', ...csvErrorAt(failure, next, maxChars), fatal: true };
    } else if (header === null) {
      yield { kind: 'problem', line: 1, reason: 'is empty: a header row is needed', fatal: true };
    }
  } finally {
    parser.destroy();
  }
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
function csvErrorAt(
  error: CsvError & { lines?: number },
  next: number,
  maxChars: number,
): { line: number; reason: string; hint?: string } {
  const at = Math.max(next, error.lines ?? next);
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { line: next, reason: 'has broken quoting: a quoted field that starts here is never closed' };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        line: at,
        reason:
          'has broken quoting: a closing quote is followed by more text (write a quote inside a quoted field as "")',
      };
    case 'INVALID_OPENING_QUOTE':
      return { line: at, reason: 'has broken quoting: a quote inside a field that does not start with one' };
    case 'CSV_MAX_RECORD_SIZE':
      return {
        line: next,
        reason: `starts a record longer than ${formatBytes(maxChars)} (reading stopped there)`,
        hint: 'Usually a quote that is never closed swallows the rest of the file; otherwise this is not a CSV file.',
      };
    default:
      return { line: at, reason: `cannot be parsed as CSV (${error.message})` };
  }
}
