// The endpoint's request log: one row per answered request (counts, timings, outcome; text only when the log
// settings keep it), the log settings, and retention (rows older than the kept days are deleted as new ones come).
import type { LogSettings, ServedRequest } from '../../../shared/contract/serving';
import type { SqlDatabase } from '../../platform/db';

interface RequestRow {
  id: string;
  at: string;
  endpoint: string;
  model: string | null;
  release_id: string | null;
  channel: string | null;
  stream: number;
  status: number;
  outcome: string;
  error_class: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  queue_ms: number | null;
  ttft_ms: number | null;
  total_ms: number;
  tokens_per_second: number | null;
  batch_size: number | null;
  prompt: string | null;
  completion: string | null;
}

const DEFAULT_SETTINGS: LogSettings = { recordText: false, retentionDays: 30 };
const DAY_MS = 86_400_000;

export class RequestLog {
  constructor(private readonly db: SqlDatabase) {}

  settings(): LogSettings {
    const row = this.db
      .prepare<{ record_text: number; retention_days: number | null }>(
        'SELECT record_text, retention_days FROM serving_log_settings WHERE singleton = 1',
      )
      .get();
    return row ? { recordText: row.record_text === 1, retentionDays: row.retention_days } : DEFAULT_SETTINGS;
  }

  setSettings(value: LogSettings): void {
    this.db
      .prepare(
        `INSERT INTO serving_log_settings (singleton, record_text, retention_days) VALUES (1, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET record_text = excluded.record_text, retention_days = excluded.retention_days`,
      )
      .run(value.recordText ? 1 : 0, value.retentionDays);
    // Turning text off also forgets the text kept so far: the setting says what the log holds, not only what it adds.
    if (!value.recordText) this.db.prepare('UPDATE serving_requests SET prompt = NULL, completion = NULL').run();
  }

  /** Appends a request (its text dropped unless kept) and deletes the rows retention no longer keeps. */
  append(entry: ServedRequest, now: Date): void {
    const settings = this.settings();
    const keepText = settings.recordText;
    this.db
      .prepare(
        `INSERT INTO serving_requests (id, at, endpoint, model, release_id, channel, stream, status, outcome, error_class,
           prompt_tokens, completion_tokens, queue_ms, ttft_ms, total_ms, tokens_per_second, batch_size, prompt, completion)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.id,
        entry.at,
        entry.endpoint,
        entry.model,
        entry.releaseId,
        entry.channel,
        entry.stream ? 1 : 0,
        entry.status,
        entry.outcome,
        entry.errorClass,
        entry.promptTokens,
        entry.completionTokens,
        entry.queueMs,
        entry.ttftMs,
        entry.totalMs,
        entry.tokensPerSecond,
        entry.batchSize,
        keepText ? entry.prompt : null,
        keepText ? entry.completion : null,
      );
    if (settings.retentionDays !== null) {
      const cutoff = new Date(now.getTime() - settings.retentionDays * DAY_MS).toISOString();
      this.db.prepare('DELETE FROM serving_requests WHERE at < ?').run(cutoff);
    }
  }

  /** The answered requests of one release, oldest first (what its served figures are computed from). */
  answered(releaseId: string): ServedRequest[] {
    return this.db
      .prepare<RequestRow>("SELECT * FROM serving_requests WHERE release_id = ? AND outcome = 'ok' ORDER BY at, id")
      .all(releaseId)
      .map(toRequest);
  }

  /** Requests at or after `since`, newest first. */
  list(since: string, limit: number): ServedRequest[] {
    return this.db
      .prepare<RequestRow>('SELECT * FROM serving_requests WHERE at >= ? ORDER BY at DESC, id LIMIT ?')
      .all(since, limit)
      .map(toRequest);
  }
}

function toRequest(r: RequestRow): ServedRequest {
  return {
    id: r.id,
    at: r.at,
    endpoint: r.endpoint as ServedRequest['endpoint'],
    model: r.model,
    releaseId: r.release_id,
    channel: r.channel,
    stream: r.stream === 1,
    status: r.status,
    outcome: r.outcome as ServedRequest['outcome'],
    errorClass: r.error_class,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    queueMs: r.queue_ms,
    ttftMs: r.ttft_ms,
    totalMs: r.total_ms,
    tokensPerSecond: r.tokens_per_second,
    batchSize: r.batch_size,
    prompt: r.prompt,
    completion: r.completion,
  };
}
