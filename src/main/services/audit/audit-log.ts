// The audit log in a workspace db (migration 11): appending an entry (reading the head, hashing, inserting, moving
// the head, all in one transaction, so two writers never fork the chain), listing with filters, verifying and
// exporting. Rows keep their JSON as text; reading tolerates damage so that verification can name it.
import {
  AuditActor,
  type AuditEntry,
  type AuditFilter,
  type AuditObject,
  type AuditPage,
  type AuditVerification,
} from '../../../shared/contract/audit';
import { actorLabel, objectLabel } from '../../../shared/audit-format';
import { toCsv } from '../../../shared/csv-export';
import type { BindArg, SqlDatabase } from '../../platform/db';
import { ChainWalk, canonicalJson, entryHash, GENESIS_HASH, type StoredRow } from './chain';

export interface AuditDraft {
  readonly at: string;
  readonly actor: AuditActor;
  readonly method: string;
  /** Already redacted (redaction.ts). */
  readonly args: unknown;
  readonly objects: readonly AuditObject[];
}

const COLUMNS = 'seq, at, actor, method, args, objects, prev_hash AS prevHash, hash';

export function appendEntry(db: SqlDatabase, draft: AuditDraft): AuditEntry {
  return db.transaction(() => {
    const head = db
      .prepare<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE singleton = 1')
      .get();
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    // Stored as canonical text, so what is hashed and what is read back are the same JSON values.
    const actor = JSON.parse(canonicalJson(draft.actor)) as AuditActor;
    const args = draft.args === undefined ? null : JSON.parse(canonicalJson(draft.args));
    const objects = JSON.parse(canonicalJson(draft.objects)) as AuditObject[];
    const entry: AuditEntry = { seq, at: draft.at, actor, method: draft.method, args, objects, prevHash, hash: '' };
    entry.hash = entryHash(entry);
    db.prepare(
      'INSERT INTO audit_log (seq, at, actor, method, args, objects, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      seq,
      entry.at,
      canonicalJson(actor),
      entry.method,
      canonicalJson(args),
      canonicalJson(objects),
      prevHash,
      entry.hash,
    );
    db.prepare(
      'INSERT INTO audit_head (singleton, seq, hash) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE ' +
        'SET seq = excluded.seq, hash = excluded.hash',
    ).run(seq, entry.hash);
    return entry;
  });
}

export function listEntries(db: SqlDatabase, filter: AuditFilter, limit: number, beforeSeq?: number): AuditPage {
  const { where, params } = whereClause(filter);
  const total = db.prepare<{ n: number }>(`SELECT count(*) AS n FROM audit_log ${where}`).get(...params)?.n ?? 0;
  const page = beforeSeq === undefined ? where : `${where ? `${where} AND` : 'WHERE'} seq < ?`;
  const rows = db
    .prepare<StoredRow>(`SELECT ${COLUMNS} FROM audit_log ${page} ORDER BY seq DESC LIMIT ?`)
    .all(...params, ...(beforeSeq === undefined ? [] : [beforeSeq]), limit);
  return { entries: rows.map(toEntry), total };
}

/** Every matching entry, oldest first. */
export function* matchingEntries(db: SqlDatabase, filter: AuditFilter): Generator<AuditEntry> {
  const { where, params } = whereClause(filter);
  for (const row of db.prepare<StoredRow>(`SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY seq`).iterate(...params))
    yield toEntry(row);
}

export function verifyLog(db: SqlDatabase): AuditVerification {
  const walk = new ChainWalk();
  for (const row of db.prepare<StoredRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`).iterate()) {
    if (!walk.next(row)) break;
  }
  walk.end(db.prepare<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE singleton = 1').get());
  return {
    ok: walk.broken === undefined,
    checked: walk.checked,
    head: walk.head,
    ...(walk.broken ? { broken: walk.broken } : {}),
  };
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'actor_kind',
  'actor_id',
  'transport',
  'method',
  'objects',
  'args',
  'prev_hash',
  'hash',
] as const;

export function exportEntries(entries: Iterable<AuditEntry>, format: 'jsonl' | 'csv'): { text: string; count: number } {
  const list = [...entries];
  if (format === 'jsonl') return { text: list.map((e) => `${JSON.stringify(e)}\n`).join(''), count: list.length };
  const rows = list.map((e) => ({
    seq: e.seq,
    at: e.at,
    actor: actorLabel(e.actor),
    actor_kind: e.actor.kind,
    actor_id: e.actor.userId ?? '',
    transport: e.actor.transport,
    method: e.method,
    objects: e.objects.map((o) => objectLabel(o, true)).join(' '),
    args: JSON.stringify(e.args),
    prev_hash: e.prevHash,
    hash: e.hash,
  }));
  return { text: toCsv(CSV_COLUMNS, rows), count: list.length };
}

function whereClause(filter: AuditFilter): { where: string; params: BindArg[] } {
  const clauses: string[] = [];
  const params: BindArg[] = [];
  if (filter.actor) {
    const kind = filter.actor.toLowerCase();
    if (kind === 'nobody' || kind === 'app') {
      clauses.push("json_extract(actor, '$.kind') = ?");
      params.push(kind);
    } else {
      clauses.push(
        "(instr(lower(json_extract(actor, '$.name')), lower(?)) > 0 OR json_extract(actor, '$.userId') = ?)",
      );
      params.push(filter.actor, filter.actor);
    }
  }
  if (filter.method) {
    clauses.push('(method = ? OR substr(method, 1, length(?)) = ?)');
    params.push(filter.method, filter.method, filter.method);
  }
  if (filter.objectId) {
    clauses.push("EXISTS (SELECT 1 FROM json_each(audit_log.objects) AS o WHERE json_extract(o.value, '$.id') = ?)");
    params.push(filter.objectId);
  }
  // Stored times are UTC ISO strings, so comparing text compares time once the bounds are UTC too.
  if (filter.from) {
    clauses.push('at >= ?');
    params.push(new Date(filter.from).toISOString());
  }
  if (filter.to) {
    clauses.push('at <= ?');
    params.push(new Date(filter.to).toISOString());
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** A row for display: damaged JSON (an edited row) shows as its text; verification is what judges it. */
function toEntry(row: StoredRow): AuditEntry {
  const actor = parse(row.actor);
  const objects = parse(row.objects);
  return {
    seq: row.seq,
    at: row.at,
    method: row.method,
    args: parse(row.args),
    prevHash: row.prevHash,
    hash: row.hash,
    actor: isActor(actor)
      ? actor
      : { kind: 'profile', name: `unreadable: ${row.actor.slice(0, 40)}`, transport: 'test' },
    objects: Array.isArray(objects) ? (objects as AuditObject[]).filter((o) => typeof o?.id === 'string') : [],
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isActor(value: unknown): value is AuditActor {
  return AuditActor.safeParse(value).success;
}
