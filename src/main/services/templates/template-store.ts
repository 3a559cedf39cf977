// The template and demonstration-set tables (migration 4). Versions are immutable rows; a save adds one.
import { z } from 'zod';
import type { DemonstrationSetVersion, TemplateSummary, TemplateVersion } from '../../../shared/contract/templates';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

interface VersionRow {
  id: string; template_id: string; name: string; version: number; source: string; system: string | null; chat: number;
  message: string; fields: string; content_hash: string; created_at: string;
}
interface DemoRow {
  id: string; set_id: string; name: string; version: number; dataset_version_id: string; row_keys: string; message: string;
  content_hash: string; created_at: string;
}

const VERSION_SELECT = `SELECT v.id, v.template_id, t.name, v.version, v.source, v.system, v.chat, v.message, v.fields, v.content_hash, v.created_at
  FROM template_versions v JOIN templates t ON t.id = v.template_id`;
const DEMO_SELECT = `SELECT v.id, v.set_id, s.name, v.version, v.dataset_version_id, v.row_keys, v.message, v.content_hash, v.created_at
  FROM demonstration_set_versions v JOIN demonstration_sets s ON s.id = v.set_id`;
const Strings = z.array(z.string());

export class TemplateStore {
  constructor(private readonly db: SqlDatabase) {}

  summaries(): TemplateSummary[] {
    const rows = this.db.prepare<VersionRow & { versions: number }>(
      `${VERSION_SELECT.replace(' FROM ', ', m.versions FROM ')} JOIN (SELECT template_id AS tid, MAX(version) AS latest, COUNT(*) AS versions FROM template_versions GROUP BY template_id) m
         ON m.tid = v.template_id AND m.latest = v.version ORDER BY t.name, t.id`,
    ).all();
    return rows.map((r) => ({ id: r.template_id, name: r.name, latest: versionFromRow(r), versions: r.versions }));
  }

  versions(templateId: string): TemplateVersion[] {
    return this.db.prepare<VersionRow>(`${VERSION_SELECT} WHERE v.template_id = ? ORDER BY v.version DESC`).all(templateId).map(versionFromRow);
  }

  version(id: string): TemplateVersion | undefined {
    const row = this.db.prepare<VersionRow>(`${VERSION_SELECT} WHERE v.id = ?`).get(id);
    return row && versionFromRow(row);
  }

  templateExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM templates WHERE id = ?').get(id) !== undefined;
  }

  /** Adds a version (and the template when `newName` is given) in one transaction; returns its number. */
  addVersion(v: Omit<TemplateVersion, 'name' | 'version'>, newName: string | null): number {
    return this.db.transaction(() => {
      if (newName !== null) this.db.prepare('INSERT INTO templates (id, name, created_at) VALUES (?, ?, ?)').run(v.templateId, newName, v.createdAt);
      const next = (this.db.prepare<{ n: number | null }>('SELECT MAX(version) AS n FROM template_versions WHERE template_id = ?').get(v.templateId)?.n ?? 0) + 1;
      this.db.prepare(
        `INSERT INTO template_versions (id, template_id, version, source, system, chat, message, fields, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(v.id, v.templateId, next, v.source, v.system, v.chat ? 1 : 0, v.message, JSON.stringify(v.fields), v.contentHash, v.createdAt);
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
      if (newName !== null) this.db.prepare('INSERT INTO demonstration_sets (id, name, created_at) VALUES (?, ?, ?)').run(v.setId, newName, v.createdAt);
      const next = (this.db.prepare<{ n: number | null }>('SELECT MAX(version) AS n FROM demonstration_set_versions WHERE set_id = ?').get(v.setId)?.n ?? 0) + 1;
      this.db.prepare(
        `INSERT INTO demonstration_set_versions (id, set_id, version, dataset_version_id, row_keys, message, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(v.id, v.setId, next, v.datasetVersionId, JSON.stringify(v.rowKeys), v.message, v.contentHash, v.createdAt);
      return next;
    });
  }
}

function versionFromRow(r: VersionRow): TemplateVersion {
  const fields = Strings.safeParse(JSON.parse(r.fields));
  if (!fields.success) throw new BugError(`template version ${r.id}: fields do not match their schema`);
  return {
    id: r.id, templateId: r.template_id, name: r.name, version: r.version, source: r.source, system: r.system, chat: r.chat === 1,
    message: r.message, fields: fields.data, contentHash: r.content_hash, createdAt: r.created_at,
  };
}

function demoFromRow(r: DemoRow): DemonstrationSetVersion {
  const keys = Strings.safeParse(JSON.parse(r.row_keys));
  if (!keys.success) throw new BugError(`demonstration set version ${r.id}: row keys do not match their schema`);
  return {
    id: r.id, setId: r.set_id, name: r.name, version: r.version, datasetVersionId: r.dataset_version_id, rowKeys: keys.data,
    message: r.message, contentHash: r.content_hash, createdAt: r.created_at,
  };
}
