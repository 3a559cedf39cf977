// The datasets service (datasetsContract) and the synchronous reads other services use (versionFacts, readRows,
// latestVersionByName). An import streams the files through `ingest` into a spool, then `writeVersion` stores it in
// one transaction: a bad row, a cancel or a crash leaves nothing behind. Versions are immutable once written.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type {
  ChatMapping,
  DatasetLineage,
  DatasetSummary,
  DatasetVersion,
  FileInspection,
  ImportDataset,
  ImportResult,
  ImportWarning,
  RowsPage,
  SplitName,
  datasetsContract,
} from '../../../shared/contract/datasets';
import { CancelledError, UserError } from '../../../shared/errors';
import type { ActiveWorkspace, WorkspaceAccess } from '../workspace';
import { checkPathText, checkUserFile } from '../../platform/files/user-files';
import { DATABASE_FILE, resolveFolderPath, type PathBase } from '../workspace/layout';
import { chatExportFileName, chatExportRoles, chatExportText, type ChatExportArg } from './chat-export';
import { DatasetStore } from './dataset-store';
import { planMapping } from './fields';
import { MAX_PROBLEMS, ingest, type IngestFile } from './ingest';
import { inspectFile } from './inspect';
import { rowProblemsError } from './problems';
import { MAX_DATA_FILE_BYTES, detectFormat } from './readers';
import { SpoolWriter, newSpoolPath, readSpool } from './spool';
import { DuplicateKeysError, inThreadVersionWriter, nameTaken, type VersionWriter } from './write-version';

type Contract = typeof datasetsContract;
type ImportArg = z.output<typeof ImportDataset>;

export interface DatasetRow {
  idx: number;
  key: string;
  split: SplitName;
  file: string;
  line: number;
  data: Record<string, unknown>;
  /** idx of the first row with the same normalised inputs, or null. */
  duplicateOf: number | null;
}

export interface DatasetVersionFacts {
  id: string;
  datasetId: string;
  name: string;
  version: number;
  contentHash: string;
  rowCount: number;
  roles: { input: string[]; reference: string | null; key: string | null; label: string | null };
  fields: { name: string; type: string; source: string; role: string }[];
  splits: Record<SplitName, number>;
  lineage: DatasetLineage | null;
}

export interface DatasetsServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  /** For `~` and relative file paths, as in the workspace service. */
  readonly paths?: Partial<PathBase>;
  readonly newId?: () => string;
  /**
   * The personal-data check of an import's rows before they are written: a warning to return with the import, or a
   * throw when the workspace's policy blocks (the privacy service's guardRows).
   */
  readonly privacyCheck?: (
    subject: string,
    rows: Iterable<{ idx: number; key: string; data: Record<string, unknown> }>,
  ) => Promise<string | null>;
  /** The personal-data check before rows leave the workspace (a warning, or a throw under a blocking policy). */
  readonly exportCheck?: (versionId: string, split: SplitName | null) => Promise<string | null>;
  /** Where an import's rows are written (compose.ts: the import writer worker; absent: this thread's connection). */
  readonly writer?: VersionWriter;
}

export class DatasetsService implements ServiceImpl<Contract> {
  private readonly pathBase: PathBase;
  /** Imports in flight by id, with their cancel flag. */
  private readonly running = new Map<string, { cancelled: boolean }>();

  constructor(private readonly deps: DatasetsServiceDeps) {
    const home = deps.paths?.homeDir ?? os.homedir();
    this.pathBase = { homeDir: home, relativeTo: deps.paths?.relativeTo ?? home };
  }

  async inspectFile(arg: { path: string; chat?: ChatMapping | undefined }): Promise<FileInspection> {
    const file = await this.resolveFile(arg.path, 'datasets.inspectFile: path');
    return inspectFile(file.path, file.name, file.bytes, arg.chat);
  }

  async import(arg: ImportArg): Promise<ImportResult> {
    return this.importVersion(arg, null);
  }

  /**
   * An import that records where the rows came from (the reviews service's closing of the loop). Not in the contract:
   * a lineage is a fact Dovetail states about its own output, never one a caller may claim.
   */
  async importWithLineage(arg: ImportArg, lineage: DatasetLineage): Promise<ImportResult> {
    return this.importVersion(arg, lineage);
  }

  private async importVersion(arg: ImportArg, lineage: DatasetLineage | null): Promise<ImportResult> {
    const ws = this.deps.workspace.active;
    const store = new DatasetStore(ws.db);
    const plan = planMapping(arg.mapping);
    if (arg.newName !== undefined && store.datasetByName(arg.newName)) throw nameTaken(arg.newName);
    if (arg.datasetId !== undefined && !store.datasetById(arg.datasetId)) throw datasetNotFound(arg.datasetId);
    if (arg.split.kind === 'given') {
      const unsplit = arg.files.findIndex((f) => f.split === undefined);
      if (unsplit >= 0) {
        throw new UserError(`Say which split the file ${arg.files[unsplit]?.path ?? ''} holds.`, {
          code: 'dataset-split',
          where: `datasets.import: files.${unsplit}.split`,
          hint: 'With "splits given by file", every file needs its split; or split by hash instead.',
        });
      }
    }
    const files = await this.ingestFiles(arg.files);
    const importId = arg.importId ?? this.newId();
    if (this.running.has(importId))
      throw new UserError('An import with this id is already running.', {
        code: 'import-running',
        hint: 'Wait for it to finish.',
      });
    const flag = { cancelled: false };
    this.running.set(importId, flag);
    const spool = await SpoolWriter.create(newSpoolPath(ws.info.path));
    try {
      const outcome = await ingest(files, {
        plan,
        split: arg.split,
        spool,
        ...(arg.chat === undefined ? {} : { chat: arg.chat }),
        cancelled: () => flag.cancelled,
        onProgress: (p) => this.deps.events.emit('onImportProgress', { importId, ...p }),
      });
      const paths = new Map(files.map((f) => [f.name, f.path]));
      if (outcome.problems.length > 0)
        throw rowProblemsError(outcome.problems, paths, outcome.problems.length >= MAX_PROBLEMS);
      await spool.close();
      const subject =
        arg.newName ?? `a new version of ${store.datasetById(arg.datasetId ?? '')?.name ?? 'the dataset'}`;
      const personal = (await this.deps.privacyCheck?.(subject, spooledRows(spool.file))) ?? null;
      const now = this.sameWorkspace(ws);
      if (flag.cancelled) throw new CancelledError('The import was cancelled; nothing was imported.');
      this.deps.events.emit('onImportProgress', {
        importId,
        phase: 'writing',
        file: files.at(-1)?.name ?? '',
        rowsRead: outcome.rowCount,
        bytesRead: 0,
        bytesTotal: 0,
      });
      const id = this.newId();
      const dataset =
        arg.datasetId !== undefined ? { existingId: arg.datasetId } : { newId: this.newId(), name: arg.newName ?? '' };
      try {
        const target = { db: now.db, file: join(now.info.path, DATABASE_FILE) };
        await (this.deps.writer ?? inThreadVersionWriter).write(
          target,
          {
            id,
            dataset,
            message: arg.message,
            files: outcome.files,
            fields: plan.fields.map((f) => ({
              name: f.name,
              source: f.source,
              type: outcome.types.get(f.name) ?? 'null',
              role: f.role,
            })),
            roles: plan.roles,
            split: arg.split,
            rowCount: outcome.rowCount,
            splits: outcome.splits,
            contentHash: outcome.contentHash,
            createdAt: this.deps.clock().toISOString(),
            lineage,
            ...(arg.chat === undefined ? {} : { chat: arg.chat }),
          },
          spool.file,
          plan.fields.find((f) => f.role === 'key')?.source ?? null,
        );
      } catch (error) {
        if (error instanceof DuplicateKeysError)
          throw rowProblemsError(error.problems, paths, error.problems.length >= MAX_PROBLEMS);
        throw error;
      }
      const version = this.version(new DatasetStore(now.db), id);
      this.deps.events.emit('onChanged', { change: 'added', id: version.datasetId });
      const encoding = outcome.encodingNotes.map((message): ImportWarning => ({ code: 'encoding', message }));
      const privacy: ImportWarning[] = personal === null ? [] : [{ code: 'personal-data', message: personal }];
      return { version, warnings: [...encoding, ...warnings(version), ...privacy] };
    } finally {
      this.running.delete(importId);
      await spool.discard();
    }
  }

  async cancelImport(arg: { importId: string }): Promise<{ cancelled: boolean }> {
    const flag = this.running.get(arg.importId);
    if (!flag) return { cancelled: false };
    flag.cancelled = true;
    return { cancelled: true };
  }

  async list(): Promise<DatasetSummary[]> {
    return this.store().summaries();
  }

  async get(arg: { versionId: string }): Promise<DatasetVersion> {
    return this.version(this.store(), arg.versionId);
  }

  async rows(arg: {
    versionId: string;
    split: SplitName | null;
    offset: number;
    limit: number;
    onlyDuplicates: boolean;
  }): Promise<RowsPage> {
    const store = this.store();
    this.withRows(this.version(store, arg.versionId, false)); // a clear error for an unknown version or deleted rows
    return { total: store.countRows(arg.versionId, arg), rows: store.rows(arg.versionId, arg) };
  }

  async exportChat(arg: ChatExportArg): Promise<{ fileName: string; text: string; count: number; warnings: string[] }> {
    const store = this.store();
    const version = this.version(store, arg.versionId, false);
    this.withRows(version);
    const roles = chatExportRoles(version, arg);
    const personal = (await this.deps.exportCheck?.(version.id, arg.split)) ?? null;
    const rows = store.rows(version.id, { split: arg.split, offset: 0, limit: null });
    return {
      fileName: chatExportFileName(version, arg.split),
      text: chatExportText(rows, roles),
      count: rows.length,
      warnings: personal === null ? [] : [personal],
    };
  }

  async remove(arg: { id: string }): Promise<null> {
    const store = this.store();
    if (!store.removeDataset(arg.id)) throw datasetNotFound(arg.id);
    this.deps.events.emit('onChanged', { change: 'removed', id: arg.id });
    return null;
  }

  // The internal API: synchronous reads on the open workspace for the experiments, templates and adapters services.

  /** The version's identity, roles, fields and split sizes; a UserError when the workspace has no such version. */
  versionFacts(versionId: string): DatasetVersionFacts {
    return facts(this.version(this.store(), versionId, false));
  }

  /** Rows in dataset order (idx), of one split or all (null). */
  readRows(
    versionId: string,
    split: SplitName | null,
    options: { limit?: number; offset?: number } = {},
  ): DatasetRow[] {
    const store = this.store();
    this.withRows(this.version(store, versionId, false));
    return store.rows(versionId, { split, offset: options.offset ?? 0, limit: options.limit ?? null });
  }

  /** The rows with these keys, in the order of `keys`; keys not in the version are left out. */
  readRowsByKey(versionId: string, keys: readonly string[]): DatasetRow[] {
    const store = this.store();
    this.withRows(this.version(store, versionId, false));
    return store.rowsByKeys(versionId, keys);
  }

  /** The newest version of the dataset with this name, or null when there is none. */
  latestVersionByName(name: string): DatasetVersionFacts | null {
    const store = this.store();
    const id = store.latestVersionIdByName(name);
    return id === undefined ? null : facts(this.version(store, id, false));
  }

  /** A version whose rows the workspace's retention policy deleted is refused by name instead of read as empty. */
  private withRows(version: DatasetVersion): void {
    const at = this.deps.workspace.active.db
      .prepare<{ at: string | null }>('SELECT rows_purged_at AS at FROM dataset_versions WHERE id = ?')
      .get(version.id)?.at;
    if (!at) return;
    throw new UserError(
      `The rows of ${version.name} v${version.version} were deleted on ${at.slice(0, 10)} by the workspace's retention policy`,
      {
        code: 'dataset-rows-deleted',
        where: `datasets: ${version.id}`,
        hint: 'Import the file again as a new version to use these rows.',
      },
    );
  }

  private store(): DatasetStore {
    return new DatasetStore(this.deps.workspace.active.db);
  }

  private version(store: DatasetStore, versionId: string, withLeaks = true): DatasetVersion {
    const version = store.version(versionId, withLeaks);
    if (!version) {
      throw new UserError('This dataset version is not in the open workspace.', {
        code: 'dataset-version-not-found',
        where: `datasets: ${versionId}`,
        hint: 'It may have been removed; reload the list.',
      });
    }
    return version;
  }

  private newId(): string {
    return (this.deps.newId ?? randomUUID)();
  }

  /** The workspace again after the awaits of reading: a switch in between must not write into the other one. */
  private sameWorkspace(before: ActiveWorkspace): ActiveWorkspace {
    const now = this.deps.workspace.active;
    if (now.info.id !== before.info.id) {
      throw new UserError('The workspace was switched during the import; nothing was imported.', {
        code: 'workspace-switched',
        hint: 'Import the files again in the workspace now open.',
      });
    }
    return now;
  }

  private async ingestFiles(files: ImportArg['files']): Promise<IngestFile[]> {
    const resolved = await Promise.all(
      files.map((f, i) => this.resolveFile(f.path, `datasets.import: files.${i}.path`)),
    );
    const names = resolved.map((f) => f.name);
    return Promise.all(
      resolved.map(async (f, i) => ({
        path: f.path,
        // Two files of one name (train.jsonl from two folders) are told apart by their full paths.
        name: names.indexOf(f.name) === names.lastIndexOf(f.name) ? f.name : f.path,
        bytes: f.bytes,
        format: await detectFormat(f.path),
        split: files[i]?.split ?? null,
      })),
    );
  }

  private async resolveFile(input: string, where: string): Promise<{ path: string; name: string; bytes: number }> {
    checkPathText(input, where);
    const path = resolveFolderPath(input, this.pathBase);
    const info = await checkUserFile(path, {
      where,
      maxBytes: MAX_DATA_FILE_BYTES,
      expected: 'a .jsonl, .csv or .parquet file',
    });
    return { path, name: basename(path), bytes: info.size };
  }
}

/** The spooled rows as the privacy check reads them (parsed one at a time). */
function* spooledRows(file: string): Generator<{ idx: number; key: string; data: Record<string, unknown> }> {
  let idx = 0;
  for (const r of readSpool(file))
    yield { idx: idx++, key: r.key, data: JSON.parse(r.data) as Record<string, unknown> };
}

function facts(v: DatasetVersion): DatasetVersionFacts {
  return {
    id: v.id,
    datasetId: v.datasetId,
    name: v.name,
    version: v.version,
    contentHash: v.contentHash,
    rowCount: v.rowCount,
    roles: v.roles,
    fields: v.fields.map((f) => ({ name: f.name, type: f.type, source: f.source, role: f.role })),
    splits: v.splits,
    lineage: v.lineage,
  };
}

function warnings(v: DatasetVersion): ImportWarning[] {
  const out: ImportWarning[] = v.leaks.map((leak) => ({
    code: 'leakage',
    message: `${leak.rows} row${leak.rows === 1 ? '' : 's'} in ${leak.splits[1]} repeat${leak.rows === 1 ? 's' : ''} the input of a row in ${leak.splits[0]}: scores on ${leak.splits[1]} may look better than they are.`,
  }));
  if (v.duplicateCount > 0) {
    const one = v.duplicateCount === 1;
    out.push({
      code: 'duplicates',
      message: `${v.duplicateCount} row${one ? '' : 's'} repeat${one ? 's' : ''} the input of an earlier row; ${one ? 'it is' : 'they are'} kept and marked as ${one ? 'a duplicate' : 'duplicates'}.`,
    });
  }
  return out;
}

function datasetNotFound(id: string): UserError {
  return new UserError('This dataset is not in the open workspace.', {
    code: 'dataset-not-found',
    where: `datasets: ${id}`,
    hint: 'It may have been removed in another window; reload the list.',
  });
}
