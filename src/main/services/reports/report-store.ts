// The reports table: one row per report produced, holding its document as canonical JSON (checked by zod on read).
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { ReportNote, type ReportRecord } from '../../../shared/contract/reports';
import { BugError } from '../../../shared/errors';
import { ReportDocument, type ReportKind } from '../../../shared/report';
import type { SqlDatabase } from '../../platform/db';

interface ReportRow {
  id: string;
  kind: string;
  title: string;
  subject_id: string;
  subject_name: string;
  against_id: string | null;
  against_name: string | null;
  author: string;
  created_at: string;
  manifest_hash: string;
}

const COLUMNS =
  'id, kind, title, subject_id, subject_name, against_id, against_name, author, created_at, manifest_hash';

function toRecord(r: ReportRow): ReportRecord {
  return {
    id: r.id,
    kind: r.kind as ReportKind,
    title: r.title,
    subject: { id: r.subject_id, name: r.subject_name },
    against: r.against_id === null ? null : { id: r.against_id, name: r.against_name ?? r.against_id },
    createdAt: r.created_at,
    author: r.author,
    manifestHash: r.manifest_hash,
  };
}

export class ReportStore {
  constructor(private readonly db: SqlDatabase) {}

  insert(record: ReportRecord, notes: readonly ReportNote[], document: ReportDocument): void {
    this.db
      .prepare(`INSERT INTO reports (${COLUMNS}, notes, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        record.id,
        record.kind,
        record.title,
        record.subject.id,
        record.subject.name,
        record.against?.id ?? null,
        record.against?.name ?? null,
        record.author,
        record.createdAt,
        record.manifestHash,
        JSON.stringify(notes),
        canonicalize(document) ?? '',
      );
  }

  /** Newest first. */
  list(kind: ReportKind | null): ReportRecord[] {
    const rows =
      kind === null
        ? this.db.prepare<ReportRow>(`SELECT ${COLUMNS} FROM reports ORDER BY created_at DESC, rowid DESC`).all()
        : this.db
            .prepare<ReportRow>(`SELECT ${COLUMNS} FROM reports WHERE kind = ? ORDER BY created_at DESC, rowid DESC`)
            .all(kind);
    return rows.map(toRecord);
  }

  byId(id: string): { record: ReportRecord; notes: ReportNote[]; document: ReportDocument } | undefined {
    const row = this.db
      .prepare<ReportRow & { notes: string; document: string }>(
        `SELECT ${COLUMNS}, notes, document FROM reports WHERE id = ?`,
      )
      .get(id);
    if (!row) return undefined;
    const parsed = ReportDocument.safeParse(JSON.parse(row.document));
    if (!parsed.success) throw new BugError(`report ${id}: stored document does not match its schema`);
    return { record: toRecord(row), notes: z.array(ReportNote).parse(JSON.parse(row.notes)), document: parsed.data };
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM reports WHERE id = ?').run(id).changes > 0;
  }
}
