// Import, second pass: one write transaction that creates the dataset (or takes the next version number of an
// existing one), inserts the spooled rows in order, checks keys are unique, marks duplicates and stores the counts.
// Any failure rolls everything back, so a failed import leaves no dataset, version or row behind.
import type {
  ChatMapping,
  DatasetField,
  DatasetLineage,
  DatasetRoles,
  RowProblem,
  SourceFile,
  SplitCounts,
  SplitSettings,
} from '../../../shared/contract/datasets';
import { BugError, UserError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';
import { MAX_PROBLEMS } from './ingest';
import { readSpool } from './spool';

export interface NewVersion {
  readonly id: string;
  /** An existing dataset's id, or a new dataset to create. */
  readonly dataset: { readonly existingId: string } | { readonly newId: string; readonly name: string };
  readonly message: string;
  readonly files: readonly SourceFile[];
  readonly fields: readonly DatasetField[];
  readonly roles: DatasetRoles;
  readonly split: SplitSettings;
  readonly rowCount: number;
  readonly splits: SplitCounts;
  readonly contentHash: string;
  readonly createdAt: string;
  readonly lineage: DatasetLineage | null;
  /** The mapping that flattened OpenAI chat rows, when it did. */
  readonly chat?: ChatMapping;
}

/** Thrown (inside the transaction, so it rolls back) when keys repeat; the service turns it into a UserError. */
export class DuplicateKeysError extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('duplicate keys');
  }
}

/** keySource: the key's column in the files, for messages. */
export function writeVersion(
  db: SqlDatabase,
  v: NewVersion,
  spoolFile: string,
  keySource: string | null,
): { version: number; duplicateCount: number } {
  return db.transaction(() => {
    const datasetId = ensureDataset(db, v);
    const version =
      db
        .prepare<{ n: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM dataset_versions WHERE dataset_id = ?')
        .get(datasetId)?.n ?? 1;
    db.prepare(
      `INSERT INTO dataset_versions (id, dataset_id, version, message, source, fields, roles, split_settings, row_count, duplicate_count,
         train_count, validation_count, test_count, content_hash, created_at, source_round_id, source_round_name, source_experiment_id,
         source_version_id, derivation)
       VALUES (@id, @dataset_id, @version, @message, @source, @fields, @roles, @split_settings, @row_count, 0,
         @train_count, @validation_count, @test_count, @content_hash, @created_at, @source_round_id, @source_round_name, @source_experiment_id,
         @source_version_id, @derivation)`,
    ).run({
      id: v.id,
      dataset_id: datasetId,
      version,
      message: v.message,
      source: JSON.stringify({ files: v.files, ...(v.chat === undefined ? {} : { chat: v.chat }) }),
      fields: JSON.stringify(v.fields),
      roles: JSON.stringify(v.roles),
      split_settings: JSON.stringify(v.split),
      row_count: v.rowCount,
      train_count: v.splits.train,
      validation_count: v.splits.validation,
      test_count: v.splits.test,
      content_hash: v.contentHash,
      created_at: v.createdAt,
      source_round_id: v.lineage?.kind === 'review-round' ? v.lineage.roundId : null,
      source_round_name: v.lineage?.kind === 'review-round' ? v.lineage.roundName : null,
      source_experiment_id: v.lineage?.kind === 'review-round' ? v.lineage.experimentId : null,
      source_version_id:
        v.lineage?.kind === 'redaction' || v.lineage?.kind === 'robustness-probe' ? v.lineage.sourceVersionId : null,
      derivation:
        v.lineage?.kind === 'redaction' || v.lineage?.kind === 'robustness-probe' ? JSON.stringify(v.lineage) : null,
    });

    const insert = db.prepare(
      'INSERT INTO dataset_rows (version_id, idx, key, split, file, line, data, row_hash, input_hash) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let idx = 0;
    for (const r of readSpool(spoolFile))
      insert.run(v.id, idx++, r.key, r.split, r.file, r.line, r.data, r.rowHash, r.inputHash);
    if (idx !== v.rowCount)
      throw new BugError(`the import spool held ${idx} rows, the first pass counted ${v.rowCount}`);

    if (keySource !== null) {
      const repeated = repeatedKeys(db, v.id, keySource);
      if (repeated.length > 0) throw new DuplicateKeysError(repeated);
    } else {
      // Content-hash keys repeat only for identical rows: number the repeats (~2, ~3) so every key is unique.
      db.prepare(
        `UPDATE dataset_rows SET key = dataset_rows.key || '~' || d.n
         FROM (SELECT idx, ROW_NUMBER() OVER (PARTITION BY key ORDER BY idx) AS n FROM dataset_rows WHERE version_id = @v) AS d
         WHERE dataset_rows.version_id = @v AND dataset_rows.idx = d.idx AND d.n > 1`,
      ).run({ v: v.id });
    }

    const duplicateCount = db
      .prepare(
        `UPDATE dataset_rows SET duplicate_of = g.first
         FROM (SELECT input_hash, MIN(idx) AS first FROM dataset_rows WHERE version_id = @v GROUP BY input_hash HAVING COUNT(*) > 1) AS g
         WHERE dataset_rows.version_id = @v AND dataset_rows.input_hash = g.input_hash AND dataset_rows.idx <> g.first`,
      )
      .run({ v: v.id }).changes;
    db.prepare('UPDATE dataset_versions SET duplicate_count = ? WHERE id = ?').run(duplicateCount, v.id);
    return { version, duplicateCount };
  });
}

function ensureDataset(db: SqlDatabase, v: NewVersion): string {
  if ('existingId' in v.dataset) {
    if (!db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(v.dataset.existingId)) {
      throw new UserError('The dataset to add a version to is not in this workspace.', {
        code: 'dataset-not-found',
        where: 'datasets.import: datasetId',
        hint: 'It may have been removed in another window; reload the list.',
      });
    }
    return v.dataset.existingId;
  }
  if (db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(v.dataset.name)) throw nameTaken(v.dataset.name);
  db.prepare('INSERT INTO datasets (id, name, created_at) VALUES (?, ?, ?)').run(
    v.dataset.newId,
    v.dataset.name,
    v.createdAt,
  );
  return v.dataset.newId;
}

export function nameTaken(name: string): UserError {
  return new UserError(`A dataset named "${name}" already exists.`, {
    code: 'dataset-name-taken',
    where: 'datasets.import: newName',
    hint: 'Choose another name, or add this import as a new version of that dataset.',
  });
}

function repeatedKeys(db: SqlDatabase, versionId: string, keySource: string): RowProblem[] {
  // Two simple steps: a join of the grouped keys back to the rows makes SQLite's planner scan the table per row.
  const keys = db
    .prepare<{ key: string }>(
      `SELECT key FROM dataset_rows WHERE version_id = ? GROUP BY key HAVING COUNT(*) > 1 LIMIT ${MAX_PROBLEMS}`,
    )
    .all(versionId);
  const rowsOf = db.prepare<{ idx: number; file: string; line: number }>(
    'SELECT idx, file, line FROM dataset_rows WHERE version_id = ? AND key = ? ORDER BY idx',
  );
  const problems = keys.flatMap(({ key }) => {
    const [first, ...repeats] = rowsOf.all(versionId, key);
    return repeats.map((r) => ({
      idx: r.idx,
      file: r.file,
      line: r.line,
      reason: `repeats the key ${JSON.stringify(key)} (field "${keySource}") of line ${first?.line ?? 0}${first?.file === r.file ? '' : ` of ${first?.file ?? ''}`}`,
    }));
  });
  return problems
    .sort((a, b) => a.idx - b.idx)
    .slice(0, MAX_PROBLEMS)
    .map(({ file, line, reason }) => ({ file, line, reason }));
}

/** What writes an import's second pass: the database file names the workspace for a writer on another thread. */
export interface VersionWriter {
  write(
    target: { readonly db: SqlDatabase; readonly file: string },
    v: NewVersion,
    spoolFile: string,
    keySource: string | null,
  ): Promise<{ version: number; duplicateCount: number }>;
}

/** The write on the calling thread, through its connection: for tests and tools that have no built worker. */
export const inThreadVersionWriter: VersionWriter = {
  write: async (target, v, spoolFile, keySource) => writeVersion(target.db, v, spoolFile, keySource),
};

/** A writer task's answer: repeated keys come back as a value, so that their rows reach the user's message. */
export type WriteOutcome =
  | { readonly kind: 'written'; readonly version: number; readonly duplicateCount: number }
  | { readonly kind: 'duplicates'; readonly problems: RowProblem[] };

export interface WriteTask {
  readonly file: string;
  readonly v: NewVersion;
  readonly spoolFile: string;
  readonly keySource: string | null;
}

/** Runs a writer task on a connection of its own (the import writer worker's handler). */
export function writeVersionTask(db: SqlDatabase, task: WriteTask): WriteOutcome {
  try {
    return { kind: 'written', ...writeVersion(db, task.v, task.spoolFile, task.keySource) };
  } catch (error) {
    if (error instanceof DuplicateKeysError) return { kind: 'duplicates', problems: error.problems };
    throw error;
  }
}
