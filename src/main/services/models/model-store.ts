// The models table of the workspace database (migration 2): rows in, typed entries out. Synchronous like the
// database itself; availability is not stored (it is checked against the folder when read).
import { z } from 'zod';
import { ModelConfigFacts, ModelDtype, TokenizerFacts, type ModelRecord } from '../../../shared/contract/models';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';
import { ModelFile } from './file-digests';

/** What is stored about a model; the record the contract returns adds availability. */
export type StoredModel = Omit<ModelRecord, 'available' | 'unavailableReason' | 'recheckable' | 'weightFormat'> & {
  files: ModelFile[];
};

const Facts = z.object({ config: ModelConfigFacts, tokenizer: TokenizerFacts });
const Files = z.array(ModelFile);

interface Row {
  id: string;
  name: string;
  folder: string;
  content_hash: string;
  architecture: string;
  parameters: number;
  bytes_on_disk: number;
  dtype: string;
  context_length: number;
  facts: string;
  files: string;
  added_at: string;
}

const COLUMNS =
  'id, name, folder, content_hash, architecture, parameters, bytes_on_disk, dtype, context_length, facts, files, ' +
  'added_at';

export class ModelStore {
  constructor(private readonly db: SqlDatabase) {}

  all(): StoredModel[] {
    return this.db.prepare<Row>(`SELECT ${COLUMNS} FROM models ORDER BY added_at, name`).all().map(fromRow);
  }

  byId(id: string): StoredModel | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM models WHERE id = ?`).get(id);
    return row && fromRow(row);
  }

  byContentHash(hash: string): StoredModel | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM models WHERE content_hash = ?`).get(hash);
    return row && fromRow(row);
  }

  idsByFolder(folder: string): string[] {
    return this.db
      .prepare<{ id: string }>('SELECT id FROM models WHERE folder = ? ORDER BY added_at')
      .all(folder)
      .map((r) => r.id);
  }

  /** Inserts unless a model with the same content hash exists; returns whether it inserted. */
  insert(m: StoredModel): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO models (${COLUMNS}) VALUES (@id, @name, @folder, @content_hash, @architecture, @parameters, @bytes_on_disk,
           @dtype, @context_length, @facts, @files, @added_at) ON CONFLICT (content_hash) DO NOTHING`,
      )
      .run(toRow(m) as unknown as Record<string, string | number>);
    return result.changes === 1;
  }

  /** Points an entry at a new folder (the same model moved or copied elsewhere). */
  relocate(id: string, folder: string, files: ModelFile[]): void {
    this.db.prepare('UPDATE models SET folder = ?, files = ? WHERE id = ?').run(folder, JSON.stringify(files), id);
  }

  rename(id: string, name: string): boolean {
    return this.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(name, id).changes === 1;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM models WHERE id = ?').run(id).changes === 1;
  }
}

function toRow(m: StoredModel): Row {
  return {
    id: m.id,
    name: m.name,
    folder: m.folder,
    content_hash: m.contentHash,
    architecture: m.architecture,
    parameters: m.parameters,
    bytes_on_disk: m.bytesOnDisk,
    dtype: m.dtype,
    context_length: m.contextLength,
    facts: JSON.stringify({ config: m.config, tokenizer: m.tokenizer }),
    files: JSON.stringify(m.files),
    added_at: m.addedAt,
  };
}

function fromRow(row: Row): StoredModel {
  const facts = Facts.safeParse(JSON.parse(row.facts));
  const files = Files.safeParse(JSON.parse(row.files));
  const dtype = ModelDtype.safeParse(row.dtype);
  if (!facts.success || !files.success || !dtype.success) {
    throw new BugError(`The models row ${row.id} does not match its schema (facts, files or dtype)`);
  }
  return {
    id: row.id,
    name: row.name,
    folder: row.folder,
    contentHash: row.content_hash,
    architecture: row.architecture,
    parameters: row.parameters,
    bytesOnDisk: row.bytes_on_disk,
    dtype: dtype.data,
    contextLength: row.context_length,
    config: facts.data.config,
    tokenizer: facts.data.tokenizer,
    files: files.data,
    addedAt: row.added_at,
  };
}
