// The mapping step's look at a file: its format, the first rows, the columns with inferred types, a row count
// estimate and a suggested mapping (roles guessed from common column names). Reads only the start of the file.
import {
  DEFAULT_CHAT_MAPPING,
  type ChatMapping,
  type DataFormat,
  type ColumnInfo,
  type FieldMapping,
  type FieldRole,
  type FieldType,
  type FileInspection,
  type RowProblem,
} from '../../../shared/contract/datasets';
import { mergeType, safeFieldName, typeOf } from './fields';
import { canHoldChat, chatReader, looksLikeChat } from './chat-format';
import { detectFormat, openReader, type RecordReader } from './readers';
import { SPLIT_COLUMN_NAMES } from './splits';

export const SAMPLE_ROWS = 50;
const SAMPLE_PROBLEMS = 20;
/** The look stops after this much of the file or this long, whichever comes first (the estimate says so). */
const SAMPLE_MAX_BYTES = 8 * 1024 * 1024;
const SAMPLE_MAX_MS = 20_000;
/** FieldMapping's limits on a source column's and a stored field's name. */
const MAX_SOURCE_NAME = 200;
const MAX_FIELD_NAME = 120;

const ROLE_GUESSES: readonly (readonly [FieldRole, readonly string[]])[] = [
  ['key', ['id', 'key', 'uid', 'uuid', 'row_id', 'example_id']],
  ['reference', ['output', 'reference', 'answer', 'target', 'expected', 'response', 'completion', 'label_text']],
  ['label', ['label', 'category', 'class', 'intent']],
  ['input', ['input', 'text', 'message', 'question', 'prompt', 'instruction', 'query', 'sentence', 'content']],
];

export async function inspectFile(
  path: string,
  name: string,
  bytes: number,
  chatMapping?: ChatMapping,
): Promise<FileInspection> {
  const format = await detectFormat(path);
  const chat = chatMapping ?? ((await firstRowIsChat(path, format)) ? DEFAULT_CHAT_MAPPING : null);
  const raw = openReader(path, format);
  const reader = chat !== null && canHoldChat(format) ? chatReader(raw, chat) : raw;
  const rawSample = new Map<number, Record<string, unknown>>();
  if (chat !== null) raw.items = tapRows(raw.items.bind(raw), rawSample);
  const sample: FileInspection['sample'] = [];
  const problems: RowProblem[] = [];
  const types = new Map<string, FieldType>();
  const present = new Map<string, number>();
  let ended = true;
  let sampleBytes = 0;
  const started = Date.now();
  for await (const item of reader.items()) {
    if (item.kind === 'problem') {
      problems.push({
        file: name,
        line: item.line,
        ...(format === 'parquet' ? { unit: 'row' as const } : {}),
        reason: item.reason,
        ...(item.hint === undefined ? {} : { hint: item.hint }),
      });
      if (item.fatal || problems.length >= SAMPLE_PROBLEMS) break;
      continue;
    }
    if (
      sample.length === SAMPLE_ROWS ||
      (sample.length > 0 && (reader.bytesRead() > SAMPLE_MAX_BYTES || Date.now() - started > SAMPLE_MAX_MS))
    ) {
      ended = false;
      break;
    }
    sample.push({ line: item.line, data: item.data });
    sampleBytes = item.bytesEnd;
    for (const [column, value] of Object.entries(item.data)) {
      types.set(column, mergeType(types.get(column), typeOf(value)));
      if (value !== null && value !== undefined) present.set(column, (present.get(column) ?? 0) + 1);
    }
  }
  const names = reader.header() ?? [...types.keys()];
  // A count the file states (Parquet) is exact; chat rows map one to one, so it holds for them too.
  const stated = raw.rowCount?.() ?? null;
  const note = reader.encodingNote();
  const columns: ColumnInfo[] = names.map((n) => ({
    name: n,
    type: types.get(n) ?? (format === 'csv' || format === 'tsv' ? 'string' : 'null'),
    present: present.get(n) ?? 0,
  }));
  const splitColumn = names.find((n) => SPLIT_COLUMN_NAMES.includes(n.toLowerCase())) ?? null;
  return {
    path,
    format,
    bytes,
    columns,
    sample,
    rowEstimate:
      stated ?? (ended || sampleBytes === 0 ? sample.length : Math.round((bytes / sampleBytes) * sample.length)),
    exact: ended || stated !== null,
    problems,
    warnings: note === null ? [] : [{ code: 'encoding', message: note }],
    // A column named "" or longer than a mapping's source may be cannot be kept; the mapping step lists the others.
    suggestedMapping: suggestMapping(
      names.filter((n) => n !== splitColumn && n.length > 0 && n.length <= MAX_SOURCE_NAME),
    ),
    splitColumn,
    chat: chat === null || !canHoldChat(format) ? null : { mapping: chat, ...chatCounts(rawSample.values()) },
  };
}

/** The first row of a JSONL or Parquet file has a `messages` list: the file is taken as chat rows. */
async function firstRowIsChat(path: string, format: DataFormat): Promise<boolean> {
  if (!canHoldChat(format)) return false;
  for await (const item of openReader(path, format).items()) {
    if (item.kind === 'row') return looksLikeChat(item.data);
    if (item.fatal) return false;
  }
  return false;
}

/** The raw rows by line as the reader yields them (for the chat counts, which the flattened rows no longer show). */
function tapRows(items: RecordReader['items'], into: Map<number, Record<string, unknown>>): RecordReader['items'] {
  return async function* () {
    for await (const item of items()) {
      if (item.kind === 'row' && into.size < SAMPLE_ROWS) into.set(item.line, item.data);
      yield item;
    }
  };
}

function chatCounts(rows: Iterable<Record<string, unknown>>): { multiTurnRows: number; systemRows: number } {
  let multiTurnRows = 0;
  let systemRows = 0;
  for (const row of rows) {
    const messages = Array.isArray(row.messages) ? (row.messages as { role?: unknown }[]) : [];
    if (messages.filter((m) => m?.role === 'user').length > 1) multiTurnRows++;
    if (messages.some((m) => m?.role === 'system' || m?.role === 'developer')) systemRows++;
  }
  return { multiTurnRows, systemRows };
}

/** Every column kept under its own name; the first column matching each role's usual names gets the role. */
export function suggestMapping(columns: readonly string[]): FieldMapping[] {
  const roles = new Map<string, FieldRole>();
  for (const [role, guesses] of ROLE_GUESSES) {
    const limit = role === 'input' ? Infinity : 1;
    let given = 0;
    for (const guess of guesses) {
      const column = columns.find((c) => c.toLowerCase() === guess && !roles.has(c));
      if (column && given < limit) {
        roles.set(column, role);
        given++;
      }
    }
  }
  // No column looks like an input: the first one without a role is the best guess.
  if (![...roles.values()].includes('input')) {
    const first = columns.find((c) => !roles.has(c));
    if (first !== undefined) roles.set(first, 'input');
  }
  return columns.map((c) => ({
    source: c,
    name: safeFieldName(c).slice(0, MAX_FIELD_NAME).trim() || 'field',
    role: roles.get(c) ?? 'none',
  }));
}
