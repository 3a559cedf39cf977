// The adapters table (migration 3): registered adapter versions; the PEFT files live in <workspace>/adapters/<id>/.
import { z } from 'zod';
import {
  AdapterCheck,
  LossHistory,
  TrainingMethod,
  VllmCompatibility,
  type AdapterRecord,
  type LossHistory as History,
} from '../../../shared/contract/adapters';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

export type StoredAdapter = AdapterRecord & { history: History };

interface Row {
  id: string;
  name: string;
  model_id: string;
  base_content_hash: string;
  method: string;
  source: string;
  folder: string;
  job_id: string | null;
  final_loss: number | null;
  final_val_loss: number | null;
  reports: string;
  history: string;
  created_at: string;
}

const COLUMNS =
  'id, name, model_id, base_content_hash, method, source, folder, job_id, final_loss, final_val_loss, reports, ' +
  'history, created_at';
const Reports = z.object({ check: AdapterCheck, vllm: VllmCompatibility });
const Source = z.enum(['trained', 'imported']);

export class AdapterStore {
  constructor(private readonly db: SqlDatabase) {}

  all(): StoredAdapter[] {
    return this.db.prepare<Row>(`SELECT ${COLUMNS} FROM adapters ORDER BY created_at DESC, id`).all().map(fromRow);
  }

  byId(id: string): StoredAdapter | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM adapters WHERE id = ?`).get(id);
    return row && fromRow(row);
  }

  insert(a: StoredAdapter): void {
    const row: Row = {
      id: a.id,
      name: a.name,
      model_id: a.modelId,
      base_content_hash: a.baseContentHash,
      method: a.method,
      source: a.source,
      folder: a.folder,
      job_id: a.jobId,
      final_loss: a.finalLoss,
      final_val_loss: a.finalValLoss,
      reports: JSON.stringify({ check: a.check, vllm: a.vllm }),
      history: JSON.stringify(a.history),
      created_at: a.createdAt,
    };
    this.db
      .prepare(
        `INSERT INTO adapters (${COLUMNS}) VALUES (@id, @name, @model_id, @base_content_hash, @method, @source, @folder, @job_id, @final_loss, @final_val_loss, @reports, @history, @created_at)`,
      )
      .run(row as unknown as Record<string, string | number | null>);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM adapters WHERE id = ?').run(id).changes === 1;
  }
}

function fromRow(r: Row): StoredAdapter {
  const reports = Reports.safeParse(JSON.parse(r.reports));
  const history = LossHistory.safeParse(JSON.parse(r.history));
  const method = TrainingMethod.safeParse(r.method);
  const source = Source.safeParse(r.source);
  if (!reports.success || !history.success || !method.success || !source.success)
    throw new BugError(`The adapters row ${r.id} does not match its schema`);
  return {
    id: r.id,
    name: r.name,
    modelId: r.model_id,
    baseContentHash: r.base_content_hash,
    method: method.data,
    source: source.data,
    folder: r.folder,
    jobId: r.job_id,
    finalLoss: r.final_loss,
    finalValLoss: r.final_val_loss,
    check: reports.data.check,
    vllm: reports.data.vllm,
    history: history.data,
    createdAt: r.created_at,
  };
}
