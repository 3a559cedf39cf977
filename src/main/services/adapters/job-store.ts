// The training_jobs table (migration 3): rows in, typed jobs out (JSON columns checked by zod on read).
import type { z } from 'zod';
import {
  JobError,
  JobState,
  LossHistory,
  TrainingProgress,
  TrainingSpec,
  type TrainingJob,
} from '../../../shared/contract/adapters';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

interface Row {
  id: string;
  name: string;
  model_id: string;
  state: string;
  spec: string;
  progress: string | null;
  history: string;
  error: string | null;
  adapter_id: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, name, model_id, state, spec, progress, history, error, adapter_id, created_at, updated_at';

export class JobStore {
  constructor(private readonly db: SqlDatabase) {}

  all(): TrainingJob[] {
    return this.db.prepare<Row>(`SELECT ${COLUMNS} FROM training_jobs ORDER BY created_at DESC, id`).all().map(fromRow);
  }

  byId(id: string): TrainingJob | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM training_jobs WHERE id = ?`).get(id);
    return row && fromRow(row);
  }

  insert(job: TrainingJob): void {
    this.db
      .prepare(
        `INSERT INTO training_jobs (${COLUMNS}) VALUES (@id, @name, @model_id, @state, @spec, @progress, @history, @error, @adapter_id, @created_at, @updated_at)`,
      )
      .run(toRow(job) as unknown as Record<string, string | null>);
  }

  update(job: TrainingJob): void {
    const r = toRow(job);
    this.db
      .prepare(
        'UPDATE training_jobs SET state = @state, progress = @progress, history = @history, error = @error, ' +
          'adapter_id = @adapter_id, updated_at = @updated_at WHERE id = @id',
      )
      .run({
        id: r.id,
        state: r.state,
        progress: r.progress,
        history: r.history,
        error: r.error,
        adapter_id: r.adapter_id,
        updated_at: r.updated_at,
      });
  }
}

function toRow(j: TrainingJob): Row {
  return {
    id: j.id,
    name: j.name,
    model_id: j.modelId,
    state: j.state,
    spec: JSON.stringify(j.spec),
    progress: j.progress === null ? null : JSON.stringify(j.progress),
    history: JSON.stringify(j.history),
    error: j.error === null ? null : JSON.stringify(j.error),
    adapter_id: j.adapterId,
    created_at: j.createdAt,
    updated_at: j.updatedAt,
  };
}

function parse<T extends z.ZodType>(schema: T, text: string, id: string, column: string): z.output<T> {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new BugError(`training_jobs row ${id}: ${column} does not match its schema`);
  return parsed.data;
}

function fromRow(r: Row): TrainingJob {
  return {
    id: r.id,
    name: r.name,
    modelId: r.model_id,
    state: parse(JobState, JSON.stringify(r.state), r.id, 'state'),
    spec: parse(TrainingSpec, r.spec, r.id, 'spec'),
    progress: r.progress === null ? null : parse(TrainingProgress, r.progress, r.id, 'progress'),
    history: parse(LossHistory, r.history, r.id, 'history'),
    error: r.error === null ? null : parse(JobError, r.error, r.id, 'error'),
    adapterId: r.adapter_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
