// The experiments and outputs tables (migration 4). Outputs are keyed by what determines them, not by experiment:
// (specialization hash, example hash, decoding hash, seed); a run asks which of its keys are missing.
import { z } from 'zod';
import {
  ExperimentCell,
  ExperimentProgress,
  ExperimentSpec,
  ExperimentState,
  type Experiment,
} from '../../../shared/contract/experiments';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

interface Row {
  id: string;
  name: string;
  spec: string;
  cells: string;
  state: string;
  progress: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}
const COLUMNS = 'id, name, spec, cells, state, progress, error, created_at, updated_at';
const Cells = z.array(ExperimentCell);
const ErrorJson = z.object({ message: z.string(), hint: z.string().nullable() });

export interface OutputKey {
  specHash: string;
  exampleHash: string;
  decodingHash: string;
  seed: number;
}

export interface StoredOutput extends OutputKey {
  text: string;
  finishReason: string;
  promptTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
  /** The engine worker's peak resident memory while generating this output's batch; null when not recorded. */
  peakRssBytes: number | null;
}

interface OutputRow {
  spec_hash: string;
  example_hash: string;
  decoding_hash: string;
  seed: number;
  text: string;
  finish_reason: string;
  prompt_tokens: number;
  generated_tokens: number;
  ttft_ms: number | null;
  total_ms: number;
  tokens_per_s: number | null;
  peak_rss_bytes: number | null;
}

export class ExperimentStore {
  constructor(private readonly db: SqlDatabase) {}

  all(): Experiment[] {
    return this.db.prepare<Row>(`SELECT ${COLUMNS} FROM experiments ORDER BY created_at DESC, id`).all().map(fromRow);
  }

  byId(id: string): Experiment | undefined {
    const row = this.db.prepare<Row>(`SELECT ${COLUMNS} FROM experiments WHERE id = ?`).get(id);
    return row && fromRow(row);
  }

  insert(e: Experiment): void {
    this.db
      .prepare(`INSERT INTO experiments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        e.id,
        e.name,
        JSON.stringify(e.spec),
        JSON.stringify(e.cells),
        e.state,
        e.progress && JSON.stringify(e.progress),
        e.error && JSON.stringify(e.error),
        e.createdAt,
        e.updatedAt,
      );
  }

  update(e: Pick<Experiment, 'id' | 'state' | 'progress' | 'error' | 'updatedAt'>): void {
    this.db
      .prepare('UPDATE experiments SET state = ?, progress = ?, error = ?, updated_at = ? WHERE id = ?')
      .run(e.state, e.progress && JSON.stringify(e.progress), e.error && JSON.stringify(e.error), e.updatedAt, e.id);
  }

  /** The cells as a run starts (each with the weight format its outputs are made at). */
  updateCells(id: string, cells: Experiment['cells']): void {
    this.db.prepare('UPDATE experiments SET cells = ? WHERE id = ?').run(JSON.stringify(cells), id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM experiments WHERE id = ?').run(id).changes === 1;
  }

  /** Stored outputs of one specialization (hash, decoding, seed) for the given examples, by example hash. */
  outputs(
    specHash: string,
    decodingHash: string,
    seed: number,
    exampleHashes: readonly string[],
  ): Map<string, StoredOutput> {
    const out = new Map<string, StoredOutput>();
    const statement = this.db.prepare<OutputRow>(
      'SELECT * FROM outputs WHERE spec_hash = ? AND decoding_hash = ? AND seed = ? AND example_hash ' +
        'IN (SELECT value FROM json_each(?))',
    );
    for (let i = 0; i < exampleHashes.length; i += 5000) {
      for (const r of statement.all(specHash, decodingHash, seed, JSON.stringify(exampleHashes.slice(i, i + 5000))))
        out.set(r.example_hash, outputFromRow(r));
    }
    return out;
  }

  insertOutputs(outputs: readonly StoredOutput[], createdAt: string): void {
    const statement = this.db.prepare(
      `INSERT OR REPLACE INTO outputs (spec_hash, example_hash, decoding_hash, seed, text, finish_reason, prompt_tokens, generated_tokens, ttft_ms, total_ms, tokens_per_s, peak_rss_bytes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const o of outputs) {
        statement.run(
          o.specHash,
          o.exampleHash,
          o.decodingHash,
          o.seed,
          o.text,
          o.finishReason,
          o.promptTokens,
          o.generatedTokens,
          o.timeToFirstTokenMs,
          o.totalMs,
          o.tokensPerSecond,
          o.peakRssBytes,
          createdAt,
        );
      }
    });
  }
}

function fromRow(r: Row): Experiment {
  const spec = ExperimentSpec.safeParse(JSON.parse(r.spec));
  const cells = Cells.safeParse(JSON.parse(r.cells));
  const state = ExperimentState.safeParse(r.state);
  const progress = r.progress === null ? null : ExperimentProgress.safeParse(JSON.parse(r.progress));
  const error = r.error === null ? null : ErrorJson.safeParse(JSON.parse(r.error));
  if (!spec.success || !cells.success || !state.success || (progress && !progress.success) || (error && !error.success))
    throw new BugError(`The experiments row ${r.id} does not match its schema`);
  return {
    id: r.id,
    name: r.name,
    spec: spec.data,
    cells: cells.data,
    state: state.data,
    progress: progress?.data ?? null,
    error: error?.data ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function outputFromRow(r: OutputRow): StoredOutput {
  return {
    specHash: r.spec_hash,
    exampleHash: r.example_hash,
    decodingHash: r.decoding_hash,
    seed: r.seed,
    text: r.text,
    finishReason: r.finish_reason,
    promptTokens: r.prompt_tokens,
    generatedTokens: r.generated_tokens,
    timeToFirstTokenMs: r.ttft_ms,
    totalMs: r.total_ms,
    tokensPerSecond: r.tokens_per_s,
    peakRssBytes: r.peak_rss_bytes,
  };
}
