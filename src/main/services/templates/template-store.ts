// The template and demonstration-set tables (migration 4; status history, check reports and demonstration selection:
// migration 6). Versions are immutable rows (a save adds one); only their workflow status changes, with a history row.
import { z } from 'zod';
import {
  DemonstrationSelection,
  TemplateCheckReport,
  TemplateStatus,
  type DemonstrationSetVersion,
  type StatusChange,
  type TemplateSummary,
  type TemplateVersion,
} from '../../../shared/contract/templates';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

interface VersionRow {
  id: string;
  template_id: string;
  name: string;
  version: number;
  source: string;
  system: string | null;
  chat: number;
  message: string;
  fields: string;
  content_hash: string;
  created_at: string;
  status: string;
  author: string | null;
  author_name: string | null;
}
interface DemoRow {
  id: string;
  set_id: string;
  name: string;
  version: number;
  dataset_version_id: string;
  row_keys: string;
  selection: string;
  message: string;
  content_hash: string;
  created_at: string;
}
interface ChangeRow {
  version_id: string;
  from_status: string;
  to_status: string;
  user_id: string;
  user_name: string | null;
  note: string;
  at: string;
}

const VERSION_SELECT = `SELECT v.id, v.template_id, t.name, v.version, v.source, v.system, v.chat, v.message, v.fields, v.content_hash, v.created_at,
  v.status, v.author, u.name AS author_name
  FROM template_versions v JOIN templates t ON t.id = v.template_id LEFT JOIN users u ON u.id = v.author`;
const DEMO_SELECT = `SELECT v.id, v.set_id, s.name, v.version, v.dataset_version_id, v.row_keys, v.selection, v.message, v.content_hash, v.created_at
  FROM demonstration_set_versions v JOIN demonstration_sets s ON s.id = v.set_id`;
const Strings = z.array(z.string());

export class TemplateStore {
  constructor(private readonly db: SqlDatabase) {}

  summaries(): TemplateSummary[] {
    const rows = this.db
      .prepare<VersionRow & { versions: number }>(
        `${VERSION_SELECT.replace(' FROM ', ', m.versions FROM ')} JOIN (SELECT template_id AS tid, MAX(version) AS latest, COUNT(*) AS versions FROM template_versions GROUP BY template_id) m
         ON m.tid = v.template_id AND m.latest = v.version ORDER BY t.name, t.id`,
      )
      .all();
    return rows.map((r) => ({ id: r.template_id, name: r.name, latest: this.withHistory(r), versions: r.versions }));
  }

  versions(templateId: string): TemplateVersion[] {
    return this.db
      .prepare<VersionRow>(`${VERSION_SELECT} WHERE v.template_id = ? ORDER BY v.version DESC`)
      .all(templateId)
      .map((r) => this.withHistory(r));
  }

  version(id: string): TemplateVersion | undefined {
    const row = this.db.prepare<VersionRow>(`${VERSION_SELECT} WHERE v.id = ?`).get(id);
    return row && this.withHistory(row);
  }

  /**
   * Sets a version's status and appends the change, in one transaction; `expected` guards against a concurrent move.
   */
  changeStatus(
    versionId: string,
    expected: TemplateStatus,
    to: TemplateStatus,
    userId: string,
    note: string,
    at: string,
  ): void {
    this.db.transaction(() => {
      const done = this.db
        .prepare('UPDATE template_versions SET status = ? WHERE id = ? AND status = ?')
        .run(to, versionId, expected);
      if (done.changes !== 1) throw new BugError(`template version ${versionId} was not ${expected} any more`);
      const seq =
        (this.db
          .prepare<{ n: number | null }>('SELECT MAX(seq) AS n FROM template_status_changes WHERE version_id = ?')
          .get(versionId)?.n ?? 0) + 1;
      this.db
        .prepare(
          'INSERT INTO template_status_changes (version_id, seq, from_status, to_status, user_id, note, at) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(versionId, seq, expected, to, userId, note, at);
    });
  }

  addCheckReport(report: TemplateCheckReport): void {
    this.db
      .prepare(
        'INSERT INTO template_checks (id, version_id, dataset_version_id, passed, report, ran_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        report.id,
        report.versionId,
        report.datasetVersionId,
        report.passed ? 1 : 0,
        JSON.stringify(report),
        report.ranAt,
      );
  }

  lastCheckReport(versionId: string): TemplateCheckReport | null {
    const row = this.db
      .prepare<{ report: string }>(
        'SELECT report FROM template_checks WHERE version_id = ? ORDER BY ran_at DESC, rowid DESC LIMIT 1',
      )
      .get(versionId);
    if (!row) return null;
    const parsed = TemplateCheckReport.safeParse(JSON.parse(row.report));
    if (!parsed.success)
      throw new BugError(`a check report of template version ${versionId} does not match its schema`);
    return parsed.data;
  }

  private withHistory(r: VersionRow): TemplateVersion {
    const changes = this.db
      .prepare<ChangeRow>(
        `SELECT c.version_id, c.from_status, c.to_status, c.user_id, u.name AS user_name, c.note, c.at FROM template_status_changes c
         LEFT JOIN users u ON u.id = c.user_id WHERE c.version_id = ? ORDER BY c.seq`,
      )
      .all(r.id);
    return versionFromRow(r, changes.map(changeFromRow));
  }

  templateExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM templates WHERE id = ?').get(id) !== undefined;
  }

  /** Adds a version (and the template when `newName` is given) in one transaction; returns its number. */
  addVersion(
    v: Omit<TemplateVersion, 'name' | 'version' | 'status' | 'authorName' | 'history'>,
    newName: string | null,
  ): number {
    return this.db.transaction(() => {
      if (newName !== null)
        this.db
          .prepare('INSERT INTO templates (id, name, created_at) VALUES (?, ?, ?)')
          .run(v.templateId, newName, v.createdAt);
      const next =
        (this.db
          .prepare<{ n: number | null }>('SELECT MAX(version) AS n FROM template_versions WHERE template_id = ?')
          .get(v.templateId)?.n ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO template_versions (id, template_id, version, source, system, chat, message, fields, content_hash, status, author, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
        )
        .run(
          v.id,
          v.templateId,
          next,
          v.source,
          v.system,
          v.chat ? 1 : 0,
          v.message,
          JSON.stringify(v.fields),
          v.contentHash,
          v.author,
          v.createdAt,
        );
      return next;
    });
  }

  demonstrationSets(): DemonstrationSetVersion[] {
    return this.db.prepare<DemoRow>(`${DEMO_SELECT} ORDER BY s.name, v.version DESC`).all().map(demoFromRow);
  }

  demonstrationSet(id: string): DemonstrationSetVersion | undefined {
    const row = this.db.prepare<DemoRow>(`${DEMO_SELECT} WHERE v.id = ?`).get(id);
    return row && demoFromRow(row);
  }

  demonstrationSetExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM demonstration_sets WHERE id = ?').get(id) !== undefined;
  }

  addDemonstrationSet(v: Omit<DemonstrationSetVersion, 'name' | 'version'>, newName: string | null): number {
    return this.db.transaction(() => {
      if (newName !== null)
        this.db
          .prepare('INSERT INTO demonstration_sets (id, name, created_at) VALUES (?, ?, ?)')
          .run(v.setId, newName, v.createdAt);
      const next =
        (this.db
          .prepare<{ n: number | null }>('SELECT MAX(version) AS n FROM demonstration_set_versions WHERE set_id = ?')
          .get(v.setId)?.n ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO demonstration_set_versions (id, set_id, version, dataset_version_id, row_keys, selection, message, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          v.id,
          v.setId,
          next,
          v.datasetVersionId,
          JSON.stringify(v.rowKeys),
          JSON.stringify(v.selection),
          v.message,
          v.contentHash,
          v.createdAt,
        );
      return next;
    });
  }
}

function versionFromRow(r: VersionRow, history: StatusChange[]): TemplateVersion {
  const fields = Strings.safeParse(JSON.parse(r.fields));
  const status = TemplateStatus.safeParse(r.status);
  if (!fields.success || !status.success)
    throw new BugError(`template version ${r.id}: fields or status do not match their schema`);
  return {
    id: r.id,
    templateId: r.template_id,
    name: r.name,
    version: r.version,
    source: r.source,
    system: r.system,
    chat: r.chat === 1,
    message: r.message,
    fields: fields.data,
    contentHash: r.content_hash,
    createdAt: r.created_at,
    status: status.data,
    author: r.author,
    authorName: r.author_name,
    history,
  };
}

function changeFromRow(r: ChangeRow): StatusChange {
  const from = TemplateStatus.safeParse(r.from_status);
  const to = TemplateStatus.safeParse(r.to_status);
  if (!from.success || !to.success)
    throw new BugError(`a status change of template version ${r.version_id} does not match its schema`);
  return { from: from.data, to: to.data, userId: r.user_id, userName: r.user_name, note: r.note, at: r.at };
}

function demoFromRow(r: DemoRow): DemonstrationSetVersion {
  const keys = Strings.safeParse(JSON.parse(r.row_keys));
  const selection = DemonstrationSelection.safeParse(JSON.parse(r.selection));
  if (!keys.success || !selection.success)
    throw new BugError(`demonstration set version ${r.id}: row keys or selection do not match their schema`);
  return {
    id: r.id,
    setId: r.set_id,
    name: r.name,
    version: r.version,
    datasetVersionId: r.dataset_version_id,
    rowKeys: keys.data,
    selection: selection.data,
    message: r.message,
    contentHash: r.content_hash,
    createdAt: r.created_at,
  };
}
