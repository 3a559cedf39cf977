// Datasets: JSONL/CSV/Parquet files (and OpenAI chat fine-tuning JSONL, flattened) imported into the workspace as immutable versions, with a field mapping (which columns,
// under which names, in which role) and deterministic train/validation/test splits. inspectFile feeds the mapping step.
import { z } from 'zod';
import { defineService, method } from './define';
import { userPath } from './paths';

const count = z.number().int().nonnegative();

export const SPLITS = ['train', 'validation', 'test'] as const;
export const SplitName = z.enum(SPLITS);
export type SplitName = z.infer<typeof SplitName>;

export const DatasetId = z.string().trim().min(1).max(64);
export const DatasetVersionId = z.string().trim().min(1).max(64);
export const ImportId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'An import id is 1-64 letters, digits, - or _');
export const DatasetName = z.string().trim().min(1, 'A name is required').max(120);
/** A data file path as typed or picked by the user; main resolves `~` and relative paths. */
export const DataFilePath = userPath('A file path is required');

export const DataFormat = z.enum(['jsonl', 'csv', 'tsv', 'parquet']);
export type DataFormat = z.infer<typeof DataFormat>;

/** The JSON type of a field's values ('mixed' when they differ; CSV cells are always strings). */
export const FieldType = z.enum(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null', 'mixed']);
export type FieldType = z.infer<typeof FieldType>;

/**
 * input: what templates show; reference: the expected output (metrics, training targets); key: the row's stable
 * identity (default: a hash of its content); label: a class field; none: kept as data without a role.
 */
export const FieldRole = z.enum(['input', 'reference', 'key', 'label', 'none']);
export type FieldRole = z.infer<typeof FieldRole>;

/** One kept column: `source` in the file, stored as `name`. Columns not listed are dropped. */
export const FieldMapping = z
  .object({
    source: z.string().min(1).max(200),
    name: z.string().trim().min(1, 'A field name is required').max(120),
    role: FieldRole,
  })
  .strict();
export type FieldMapping = z.infer<typeof FieldMapping>;

const fraction = z.number().min(0).max(1);
export const SplitFractions = z
  .object({ train: fraction, validation: fraction, test: fraction })
  .strict()
  .refine((f) => Math.abs(f.train + f.validation + f.test - 1) < 1e-6, 'The split fractions must add up to 1 (100%)');
export type SplitFractions = z.infer<typeof SplitFractions>;

/**
 * hash: sha256(seed, key) places each row, so a key always lands in the same split for the same seed whatever the
 * row order. given: each file's own split. column: a field holding train/validation/test (dev, valid, val too).
 */
export const SplitSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hash'), seed: count.max(2 ** 31), fractions: SplitFractions }).strict(),
  z.object({ kind: z.literal('given') }).strict(),
  z.object({ kind: z.literal('column'), field: z.string().min(1).max(200) }).strict(),
]);
export type SplitSettings = z.infer<typeof SplitSettings>;

export const DEFAULT_SPLIT: SplitSettings = {
  kind: 'hash',
  seed: 0,
  fractions: { train: 0.8, validation: 0.1, test: 0.1 },
};

/**
 * How an OpenAI chat fine-tuning row ({"messages": [...]}) becomes fields: `input` is the last user message and
 * `reference` the final assistant message (it must follow it); `system` the first system (or developer) message, all
 * of them joined by a blank line, or none; `history` the turns before the last user message, kept as a list of
 * {role, content} in a `history` field, dropped, or refused (a row with any fails the import).
 */
export const ChatMapping = z
  .object({
    system: z.enum(['first', 'joined', 'none']).default('first'),
    history: z.enum(['field', 'drop', 'refuse']).default('field'),
  })
  .strict();
export type ChatMapping = z.infer<typeof ChatMapping>;
export const DEFAULT_CHAT_MAPPING: ChatMapping = { system: 'first', history: 'field' };

export const ColumnInfo = z.object({
  name: z.string(),
  type: FieldType,
  /** Sample rows that have a non-null value in this column. */
  present: count,
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

/** line 0: the file as a whole (not text, a JSON array, too large). hint: what to do, when the reason needs one. */
/**
 * A row's fields as parsed. Not z.record: that copies the object and drops a "__proto__" key silently, and a file's
 * column may have that name (the mapping step stores it under another).
 */
const RowData = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be an object of fields',
);

/** unit: what `line` counts; 'row' for files without lines (Parquet rows, numbered from 1). */
export const RowProblem = z.object({
  file: z.string(),
  line: count,
  unit: z.enum(['line', 'row']).optional(),
  reason: z.string(),
  hint: z.string().optional(),
});
export type RowProblem = z.infer<typeof RowProblem>;

/**
 * encoding: a file converted from UTF-16 or Latin-1 (check its letters); personal-data: what the privacy scan found
 * in the rows (the version's Personal data panel shows and redacts it); the others are about the rows.
 */
export const ImportWarning = z.object({
  code: z.enum(['leakage', 'duplicates', 'encoding', 'personal-data']),
  message: z.string(),
});
export type ImportWarning = z.infer<typeof ImportWarning>;

export const FileInspection = z.object({
  path: z.string(),
  format: DataFormat,
  bytes: count,
  columns: z.array(ColumnInfo),
  /** The first rows (up to 50) as parsed, with their line numbers. */
  sample: z.array(z.object({ line: count, data: RowData })),
  /** Exact when the sample is the whole file, otherwise extrapolated from the sample's bytes per row. */
  rowEstimate: count,
  exact: z.boolean(),
  /** Problems seen in the sampled lines (the import stops on them). */
  problems: z.array(RowProblem),
  /** What the user should know before importing (the file's encoding was converted). */
  warnings: z.array(ImportWarning),
  /** A starting point for the mapping step: every column kept, roles guessed from common names. */
  suggestedMapping: z.array(FieldMapping),
  /** A column that looks like it holds the split (split, fold, partition), or null. */
  splitColumn: z.string().nullable(),
  /**
   * Set when the rows are OpenAI chat conversations: the mapping the columns and sample were flattened with, and
   * how many sample rows have earlier turns or a system message.
   */
  chat: z.object({ mapping: ChatMapping, multiTurnRows: count, systemRows: count }).nullable(),
});
export type FileInspection = z.infer<typeof FileInspection>;

export const DatasetRoles = z.object({
  input: z.array(z.string()),
  reference: z.string().nullable(),
  key: z.string().nullable(),
  label: z.string().nullable(),
});
export type DatasetRoles = z.infer<typeof DatasetRoles>;

export const SourceFile = z.object({
  path: z.string(),
  name: z.string(),
  bytes: count,
  sha256: z.string(),
  format: DataFormat,
  split: SplitName.nullable(),
  rows: count,
});
export type SourceFile = z.infer<typeof SourceFile>;

export const DatasetField = z.object({ name: z.string(), source: z.string(), type: FieldType, role: FieldRole });
export type DatasetField = z.infer<typeof DatasetField>;

export const SplitCounts = z.object({ train: count, validation: count, test: count });
export type SplitCounts = z.infer<typeof SplitCounts>;

/** Rows in one split whose normalised inputs equal a row's in another split (possible leakage). */
export const SplitLeak = z.object({ splits: z.tuple([SplitName, SplitName]), rows: count });
export type SplitLeak = z.infer<typeof SplitLeak>;

/**
 * Where a version made by Dovetail came from (null for imported files): the review round whose preferred outputs it
 * holds, or the version it redacts (with how many distinct values and replacements).
 */
export const DatasetLineage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('review-round'),
    roundId: z.string(),
    /** As it was when the version was made (the round may be gone since). */
    roundName: z.string(),
    experimentId: z.string(),
  }),
  z.object({
    kind: z.literal('redaction'),
    sourceVersionId: z.string(),
    sourceVersion: count,
    values: count,
    replacements: count,
  }),
  z.object({
    kind: z.literal('robustness-probe'),
    sourceVersionId: z.string(),
    sourceVersion: count,
    split: SplitName,
    limit: count.nullable(),
    seed: count,
    /** The perturbation kinds, each applied to every source row. */
    kinds: z.array(z.string()),
  }),
]);
export type DatasetLineage = z.infer<typeof DatasetLineage>;

export const DatasetVersion = z.object({
  id: z.string(),
  datasetId: z.string(),
  name: z.string(),
  version: count,
  message: z.string(),
  /** chat: the mapping that flattened OpenAI chat rows, when it did. */
  source: z.object({ files: z.array(SourceFile), chat: ChatMapping.optional() }),
  fields: z.array(DatasetField),
  roles: DatasetRoles,
  split: SplitSettings,
  rowCount: count,
  duplicateCount: count,
  splits: SplitCounts,
  leaks: z.array(SplitLeak),
  /** sha256 over the fields, roles and every row's key, split and content: the version's identity. */
  contentHash: z.string(),
  createdAt: z.string(),
  lineage: DatasetLineage.nullable(),
});
export type DatasetVersion = z.infer<typeof DatasetVersion>;

export const VersionSummary = z.object({
  id: z.string(),
  version: count,
  message: z.string(),
  rowCount: count,
  contentHash: z.string(),
  createdAt: z.string(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const DatasetSummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** Newest first. */
  versions: z.array(VersionSummary),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetRowView = z.object({
  idx: count,
  key: z.string(),
  split: SplitName,
  file: z.string(),
  line: count,
  data: RowData,
  /** idx of the first row with the same normalised inputs, or null. */
  duplicateOf: count.nullable(),
});
export type DatasetRowView = z.infer<typeof DatasetRowView>;

export const RowsPage = z.object({ total: count, rows: z.array(DatasetRowView) });
export type RowsPage = z.infer<typeof RowsPage>;

export const ImportResult = z.object({ version: DatasetVersion, warnings: z.array(ImportWarning) });
export type ImportResult = z.infer<typeof ImportResult>;

export const ImportDataset = z
  .object({
    /** Chosen by the caller so it can follow onImportProgress and cancel before the call answers. */
    importId: ImportId.optional(),
    /** A new version of this dataset, or a new dataset named newName: exactly one of the two. */
    datasetId: DatasetId.optional(),
    newName: DatasetName.optional(),
    message: z.string().trim().max(2000).default(''),
    files: z
      .array(z.object({ path: DataFilePath, split: SplitName.optional() }).strict())
      .min(1, 'Add a file')
      .max(64),
    mapping: z.array(FieldMapping).min(1, 'Keep at least one column'),
    split: SplitSettings.default(DEFAULT_SPLIT),
    /** JSONL files of OpenAI chat rows, flattened by this mapping before the field mapping applies. */
    chat: ChatMapping.optional(),
  })
  .strict()
  .refine((a) => (a.datasetId === undefined) !== (a.newName === undefined), {
    message: 'Give a name for a new dataset, or choose the dataset to add a version to',
    path: ['newName'],
  });
export type ImportDataset = z.input<typeof ImportDataset>;

export const ImportProgress = z.object({
  importId: z.string(),
  phase: z.enum(['reading', 'writing']),
  file: z.string(),
  rowsRead: count,
  bytesRead: count,
  bytesTotal: count,
});
export type ImportProgress = z.infer<typeof ImportProgress>;

const byVersion = z.object({ versionId: DatasetVersionId }).strict();

export const datasetsContract = defineService(
  'datasets',
  {
    /**
     * Reads the start of a file: its format, columns with inferred types, the first rows, a row count estimate. Chat
     * rows are flattened with `chat` (absent: detected, with the default mapping).
     */
    inspectFile: method(z.object({ path: DataFilePath, chat: ChatMapping.optional() }).strict(), FileInspection),
    /**
     * Reads every file (streaming), checks each row, splits and hashes it, and writes one new version in one
     * transaction; any bad row fails the whole import with its file and line, and nothing is written.
     */
    import: method(ImportDataset, ImportResult),
    /** Stops an import in progress; nothing of it is kept. False when no such import is running. */
    cancelImport: method(z.object({ importId: ImportId }).strict(), z.object({ cancelled: z.boolean() })),
    list: method(z.object({}).strict(), z.array(DatasetSummary)),
    get: method(byVersion, DatasetVersion),
    /** One page of a version's rows in order, optionally one split and only rows marked as duplicates. */
    rows: method(
      z
        .object({
          versionId: DatasetVersionId,
          split: SplitName.nullable().default(null),
          offset: count.default(0),
          limit: z.number().int().min(1).max(1000).default(100),
          onlyDuplicates: z.boolean().default(false),
        })
        .strict(),
      RowsPage,
    ),
    /**
     * A version's rows (one split, or all) as OpenAI chat fine-tuning JSON Lines: system (a field, optional), earlier
     * turns (a history field, optional), the input field(s) as the user message and the reference as the answer.
     * systemField / historyField absent: the fields named "system" / "history" when the version has them; null: none.
     */
    exportChat: method(
      z
        .object({
          versionId: DatasetVersionId,
          split: SplitName.nullable().default(null),
          systemField: z.string().min(1).max(120).nullable().optional(),
          historyField: z.string().min(1).max(120).nullable().optional(),
        })
        .strict(),
      z.object({ fileName: z.string(), text: z.string(), count, warnings: z.array(z.string()) }),
    ),
    /** Deletes the dataset with all its versions and rows. */
    remove: method(z.object({ id: DatasetId }).strict(), z.null()),
  },
  {
    onChanged: z.object({ change: z.enum(['added', 'removed']), id: z.string() }),
    onImportProgress: ImportProgress,
  },
);
