// Recomputes a dataset version's content hash from its stored rows, the way the import computed it (fields and
// roles, then each row's split, key and content in order), without trusting any stored digest: a row changed in the
// database after the import gives another hash. Reports and releases use it to check that a workspace still holds
// the data they were made from.
import { createHash } from 'node:crypto';
import type { SqlDatabase } from '../../platform/db';

interface VersionRow {
  fields: string;
  roles: string;
  content_hash: string;
}
interface DataRow {
  key: string;
  split: string;
  data: string;
}

/** The recomputed hash and the stored one; undefined when the workspace has no such version. */
export function recomputeDatasetHash(
  db: SqlDatabase,
  versionId: string,
): { computed: string; stored: string } | undefined {
  const version = db
    .prepare<VersionRow>('SELECT fields, roles, content_hash FROM dataset_versions WHERE id = ?')
    .get(versionId);
  if (!version) return undefined;
  const fields = (JSON.parse(version.fields) as { name: string; role: string }[]).map((f) => [f.name, f.role]);
  const content = createHash('sha256').update(JSON.stringify({ fields, roles: JSON.parse(version.roles) as unknown }));
  for (const row of db
    .prepare<DataRow>('SELECT key, split, data FROM dataset_rows WHERE version_id = ? ORDER BY idx')
    .iterate(versionId)) {
    const rowHash = createHash('sha256').update(row.data).digest('hex');
    content.update(`${row.split}\u0000${row.key}\u0000${rowHash}\n`);
  }
  return { computed: content.digest('hex'), stored: version.content_hash };
}
