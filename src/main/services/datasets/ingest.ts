// Import, first pass (async, streaming): reads every file, checks and maps each row, gives it its key, split and
// hashes, and appends it to a spool file; collects up to MAX_PROBLEMS bad rows instead of stopping at the first.
// Nothing touches the database here: the second pass (write-version.ts) inserts the spool in one
// transaction, because a SQLite transaction cannot stay open across the awaits of reading a stream.
import { createHash } from 'node:crypto';
import type {
  ChatMapping,
  FieldType,
  ImportProgress,
  RowProblem,
  SourceFile,
  SplitCounts,
  SplitName,
  SplitSettings,
} from '../../../shared/contract/datasets';
import { BugError, CancelledError } from '../../../shared/errors';
import { canHoldChat, chatReader } from './chat-format';
import { mapRecord, mergeType, typeOf, type MappingPlan } from './fields';
import { openReader } from './readers';
import type { SpoolWriter } from './spool';
import { hashSplit, splitFromValue } from './splits';

export const MAX_PROBLEMS = 20;
const PROGRESS_EVERY_MS = 200;
/** Rows are checked synchronously between reads of a chunk (thousands of rows): other calls get a turn this often. */
const YIELD_EVERY_MS = 10;

export interface IngestFile {
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
  readonly format: SourceFile['format'];
  readonly split: SplitName | null;
}

export interface IngestOptions {
  readonly plan: MappingPlan;
  readonly split: SplitSettings;
  readonly spool: SpoolWriter;
  readonly onProgress: (progress: Omit<ImportProgress, 'importId'>) => void;
  readonly cancelled: () => boolean;
  readonly now?: () => number;
  /** Flattens OpenAI chat rows of JSONL and Parquet files before the mapping applies. */
  readonly chat?: ChatMapping;
}

export interface IngestOutcome {
  readonly files: SourceFile[];
  readonly types: Map<string, FieldType>;
  readonly rowCount: number;
  readonly splits: SplitCounts;
  /** The content hash's running state: fields and roles, then each row's split, key and content. */
  readonly contentHash: string;
  readonly problems: RowProblem[];
  /** One per file converted from another encoding than UTF-8. */
  readonly encodingNotes: string[];
}

export async function ingest(files: readonly IngestFile[], options: IngestOptions): Promise<IngestOutcome> {
  const { plan, split, spool } = options;
  const now = options.now ?? Date.now;
  const content = createHash('sha256').update(
    JSON.stringify({ fields: plan.fields.map((f) => [f.name, f.role]), roles: plan.roles }),
  );
  const types = new Map<string, FieldType>();
  const splits: SplitCounts = { train: 0, validation: 0, test: 0 };
  const problems: RowProblem[] = [];
  const sources: SourceFile[] = [];
  const encodingNotes: string[] = [];
  const splitSource = split.kind === 'column' ? split.field : null;
  let rowCount = 0;
  let lastProgress = 0;
  let lastYield = performance.now();

  for (const file of files) {
    const raw = openReader(file.path, file.format);
    const reader = options.chat !== undefined && canHoldChat(file.format) ? chatReader(raw, options.chat) : raw;
    const unit = file.format === 'parquet' ? { unit: 'row' as const } : {};
    const problem = (line: number, reason: string, hint?: string) =>
      problems.push({ file: file.name, line, ...unit, reason, ...(hint === undefined ? {} : { hint }) });
    let fileRows = 0;
    let headerChecked = false;
    const progress = (phase: ImportProgress['phase']) =>
      options.onProgress({
        phase,
        file: file.name,
        rowsRead: rowCount,
        bytesRead: reader.bytesRead(),
        bytesTotal: file.bytes,
      });
    for await (const item of reader.items()) {
      if (options.cancelled()) throw new CancelledError('The import was cancelled; nothing was imported.');
      if (item.kind === 'problem') {
        problem(item.line, item.reason, item.hint);
        if (item.fatal || problems.length >= MAX_PROBLEMS) break;
        continue;
      }
      const header = reader.header();
      if (!headerChecked && header !== null) {
        headerChecked = true;
        const missing = missingColumns(header, plan, splitSource);
        if (missing.length > 0) {
          problem(1, `has no column ${missing.map((m) => `"${m}"`).join(', ')} in its header`);
          break;
        }
      }
      const mapped = mapRecord(plan, item.data);
      let given: SplitName | null = split.kind === 'given' ? file.split : null;
      if (splitSource !== null) {
        const value = Object.hasOwn(item.data, splitSource) ? item.data[splitSource] : null;
        given = splitFromValue(value);
        if (given === null) {
          problem(
            item.line,
            `has ${JSON.stringify(value ?? null)} in the split column "${splitSource}" (expected train, validation or test)`,
          );
        }
      }
      if (typeof mapped === 'string') problem(item.line, mapped);
      if (problems.length >= MAX_PROBLEMS) break;
      if (problems.length > 0 || typeof mapped === 'string') continue; // keep checking the rest, stop writing
      const key = mapped.key ?? mapped.rowHash.slice(0, 16);
      const rowSplit = split.kind === 'hash' ? hashSplit(split.seed, key, split.fractions) : given;
      if (rowSplit === null) throw new BugError('a row without a split passed the checks');
      for (const [name, value] of Object.entries(mapped.data))
        types.set(name, mergeType(types.get(name), typeOf(value)));
      content.update(`${rowSplit}\u0000${key}\u0000${mapped.rowHash}\n`);
      await spool.write({
        key,
        split: rowSplit,
        file: file.name,
        line: item.line,
        rowHash: mapped.rowHash,
        inputHash: mapped.inputHash,
        data: mapped.data,
      });
      splits[rowSplit]++;
      rowCount++;
      fileRows++;
      if (now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now();
        progress('reading');
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    if (problems.length >= MAX_PROBLEMS) break;
    const note = reader.encodingNote();
    if (note !== null) encodingNotes.push(`${file.name}: ${note}`);
    progress('reading');
    sources.push({
      path: file.path,
      name: file.name,
      bytes: file.bytes,
      sha256: reader.sha256(),
      format: file.format,
      split: file.split,
      rows: fileRows,
    });
  }
  if (problems.length === 0 && rowCount === 0) {
    problems.push({ file: files[0]?.name ?? '', line: 1, reason: 'has no rows' });
  }
  return { files: sources, types, rowCount, splits, contentHash: content.digest('hex'), problems, encodingNotes };
}

function missingColumns(header: readonly string[], plan: MappingPlan, splitSource: string | null): string[] {
  const wanted = [...plan.fields.map((f) => f.source), ...(splitSource === null ? [] : [splitSource])];
  return wanted.filter((c) => !header.includes(c));
}
