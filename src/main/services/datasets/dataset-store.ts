// The datasets tables (migration 5), read side: datasets with their versions, one version's facts (split counts,
// cross-split duplicates), and rows in order by split and page. Synchronous like the database; JSON columns are
// checked by zod as they are read.
import { z } from 'zod';
import {
  ChatMapping,
  DatasetField,
  DatasetLineage,
  DatasetRoles,
  SourceFile,
  SplitName,
  SplitSettings,
  type DatasetRowView,
  type DatasetSummary,
  type DatasetVersion,
  type SplitLeak,
} from '../../../shared/contract/datasets';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase, SqlValue } from '../../platform/db';

interface VersionRow {
  id: string;
  dataset_id: string;
  name: string;
  version: number;
  message: string;
  source: string;
  fields: string;
  roles: string;
  split_settings: string;
  row_count: number;
  duplicate_count: number;
  train_count: number;
  validation_count: number;
  test_count: number;
  content_hash: string;
  created_at: string;
  source_round_id: string | null;
  source_round_name: string | null;
  source_experiment_id: string | null;
  derivation: string | null;
}

interface RowRow {
  idx: number;
  key: string;
  split: string;
  file: string;
  line: number;
  data: string;
  duplicate_of: number | null;
}

const VERSION_COLUMNS = `v.id, v.dataset_id, d.name, v.version, v.message, v.source, v.fields, v.roles, v.split_settings, v.row_count,
  v.duplicate_count, v.train_count, v.validation_count, v.test_count, v.content_hash, v.created_at, v.source_round_id, v.source_round_name,
  v.source_experiment_id, v.derivation`;
const Source = z.object({ files: z.array(SourceFile), chat: ChatMapping.optional() });
const Fields = z.array(DatasetField);

export interface RowQuery {
  readonly split: SplitName | null;
  readonly offset: number;
  readonly limit: number | null;
  readonly onlyDuplicates?: boolean;
}

export class DatasetStore {
  constructor(private readonly db: SqlDatabase) {}

  summaries(): DatasetSummary[] {
    const datasets = this.db
      .prepare<{ id: string; name: string; created_at: string }>(
        'SELECT id, name, created_at FROM datasets ORDER BY name COLLATE NOCASE, id',
      )
      .all();
    const versions = this.db
      .prepare<{
        id: string;
        dataset_id: string;
        version: number;
        message: string;
        row_count: number;
        content_hash: string;
        created_at: string;
      }>(
        'SELECT id, dataset_id, version, message, row_count, content_hash, created_at FROM dataset_versions ' +
          'ORDER BY version DESC',
      )
      .all();
    return datasets.map((d) => ({
      id: d.id,
      name: d.name,
      createdAt: d.created_at,
      versions: versions
        .filter((v) => v.dataset_id === d.id)
        .map((v) => ({
          id: v.id,
          version: v.version,
          message: v.message,
          rowCount: v.row_count,
          contentHash: v.content_hash,
          createdAt: v.created_at,
        })),
    }));
  }

  datasetById(id: string): { id: string; name: string } | undefined {
    return this.db.prepare<{ id: string; name: string }>('SELECT id, name FROM datasets WHERE id = ?').get(id);
  }

  datasetByName(name: string): { id: string; name: string } | undefined {
    return this.db.prepare<{ id: string; name: string }>('SELECT id, name FROM datasets WHERE name = ?').get(name);
  }

  /**
   * withLeaks: also count cross-split duplicates (a join over the duplicate rows; the screen wants it, reads do not).
   */
  version(versionId: string, withLeaks = true): DatasetVersion | undefined {
    const row = this.db
      .prepare<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?`,
      )
      .get(versionId);
    return row && { ...fromVersionRow(row), leaks: withLeaks ? this.leaks(row.id) : [] };
  }

  latestVersionIdByName(name: string): string | undefined {
    return this.db
      .prepare<{ id: string }>(
        'SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ? ' +
          'ORDER BY v.version DESC LIMIT 1',
      )
      .get(name)?.id;
  }

  /** Pairs of splits with rows whose normalised inputs are equal (a duplicate and the first row it repeats). */
  leaks(versionId: string): SplitLeak[] {
    const rows = this.db
      .prepare<{ a: string; b: string; n: number }>(
        `SELECT o.split AS a, r.split AS b, COUNT(*) AS n FROM dataset_rows r
           JOIN dataset_rows o ON o.version_id = r.version_id AND o.idx = r.duplicate_of
         WHERE r.version_id = ? AND r.duplicate_of IS NOT NULL AND r.split <> o.split GROUP BY o.split, r.split`,
      )
      .all(versionId);
    const order = SplitName.options;
    const merged = new Map<string, SplitLeak>();
    for (const { a, b, n } of rows) {
      const pair = [SplitName.parse(a), SplitName.parse(b)].sort((x, y) => order.indexOf(x) - order.indexOf(y)) as [
        SplitName,
        SplitName,
      ];
      const id = pair.join('/');
      merged.set(id, { splits: pair, rows: (merged.get(id)?.rows ?? 0) + n });
    }
    return [...merged.values()].sort(
      (x, y) =>
        order.indexOf(x.splits[1]) - order.indexOf(y.splits[1]) ||
        order.indexOf(x.splits[0]) - order.indexOf(y.splits[0]),
    );
  }

  rows(versionId: string, query: RowQuery): DatasetRowView[] {
    const { where, args } = rowFilter(versionId, query);
    const limit = query.limit ?? -1; // SQLite: a negative LIMIT means none
    return this.db
      .prepare<RowRow>(
        `SELECT idx, key, split, file, line, data, duplicate_of FROM dataset_rows r WHERE ${where} ORDER BY idx LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, query.offset)
      .map(fromRowRow);
  }

  countRows(versionId: string, query: RowQuery): number {
    const { where, args } = rowFilter(versionId, query);
    return (
      this.db.prepare<{ n: number }>(`SELECT COUNT(*) AS n FROM dataset_rows r WHERE ${where}`).get(...args)?.n ?? 0
    );
  }

  rowsByKeys(versionId: string, keys: readonly string[]): DatasetRowView[] {
    const statement = this.db.prepare<RowRow>(
      'SELECT idx, key, split, file, line, data, duplicate_of FROM dataset_rows WHERE version_id = ? AND key = ?',
    );
    return keys.flatMap((key) => statement.all(versionId, key).map(fromRowRow));
  }

  removeDataset(id: string): boolean {
    return this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes === 1;
  }
}

function rowFilter(versionId: string, query: RowQuery): { where: string; args: SqlValue[] } {
  const clauses = ['r.version_id = ?'];
  const args: SqlValue[] = [versionId];
  if (query.split !== null) {
    clauses.push('r.split = ?');
    args.push(query.split);
  }
  if (query.onlyDuplicates) {
    // Both sides of each duplicate group: the repeats and the first row they repeat.
    clauses.push(
      'EXISTS (SELECT 1 FROM dataset_rows d WHERE d.version_id = r.version_id AND d.input_hash = r.input_hash ' +
        'AND d.idx <> r.idx)',
    );
  }
  return { where: clauses.join(' AND '), args };
}

function fromVersionRow(row: VersionRow): Omit<DatasetVersion, 'leaks'> {
  const source = Source.safeParse(JSON.parse(row.source));
  const fields = Fields.safeParse(JSON.parse(row.fields));
  const roles = DatasetRoles.safeParse(JSON.parse(row.roles));
  const split = SplitSettings.safeParse(JSON.parse(row.split_settings));
  if (!source.success || !fields.success || !roles.success || !split.success) {
    throw new BugError(`The dataset_versions row ${row.id} does not match its schema (source, fields, roles or split)`);
  }
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    version: row.version,
    message: row.message,
    source: source.data,
    fields: fields.data,
    roles: roles.data,
    split: split.data,
    rowCount: row.row_count,
    duplicateCount: row.duplicate_count,
    splits: { train: row.train_count, validation: row.validation_count, test: row.test_count },
    contentHash: row.content_hash,
    createdAt: row.created_at,
    lineage: lineageOf(row),
  };
}

function lineageOf(row: VersionRow): DatasetLineage | null {
  if (row.derivation !== null) {
    const parsed = DatasetLineage.safeParse(JSON.parse(row.derivation));
    if (!parsed.success)
      throw new BugError(`The dataset_versions row ${row.id} has a derivation that does not match its schema`);
    return parsed.data;
  }
  return row.source_round_id === null
    ? null
    : {
        kind: 'review-round',
        roundId: row.source_round_id,
        roundName: row.source_round_name ?? '',
        experimentId: row.source_experiment_id ?? '',
      };
}

function fromRowRow(row: RowRow): DatasetRowView {
  const split = SplitName.safeParse(row.split);
  const data: unknown = JSON.parse(row.data);
  if (!split.success || data === null || typeof data !== 'object' || Array.isArray(data))
    throw new BugError(`The dataset row ${row.idx} does not match its schema`);
  return {
    idx: row.idx,
    key: row.key,
    split: split.data,
    file: row.file,
    line: row.line,
    data: data as Record<string, unknown>,
    duplicateOf: row.duplicate_of,
  };
}
