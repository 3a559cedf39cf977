// Retention: per workspace, how many days generated outputs, review comments and dataset rows are kept. A preview
// says what applying the policy at a moment would delete; applying deletes exactly that, in one transaction, and is
// refused when the counts no longer match the preview (so the audit entry of the call, which holds the expected
// counts, records what was deleted). A dataset version keeps its record (counts, hash, lineage) with its rows gone.
import type { RetentionCounts, RetentionPolicy, RetentionPreview } from '../../../shared/contract/audit';
import { UserError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

const DAY_MS = 86_400_000;
const KEEP_ALL: RetentionPolicy = { outputsDays: null, reviewCommentDays: null, datasetRowDays: null };

interface PolicyRow {
  outputs_days: number | null;
  review_comment_days: number | null;
  dataset_row_days: number | null;
}

export function readPolicy(db: SqlDatabase): RetentionPolicy {
  const row = db
    .prepare<PolicyRow>(
      'SELECT outputs_days, review_comment_days, dataset_row_days FROM retention_policy WHERE singleton = 1',
    )
    .get();
  return row
    ? {
        outputsDays: row.outputs_days,
        reviewCommentDays: row.review_comment_days,
        datasetRowDays: row.dataset_row_days,
      }
    : KEEP_ALL;
}

export function savePolicy(db: SqlDatabase, policy: RetentionPolicy): RetentionPolicy {
  db.prepare(
    `INSERT INTO retention_policy (singleton, outputs_days, review_comment_days, dataset_row_days) VALUES (1, ?, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET outputs_days = excluded.outputs_days, review_comment_days = excluded.review_comment_days, dataset_row_days = excluded.dataset_row_days`,
  ).run(policy.outputsDays, policy.reviewCommentDays, policy.datasetRowDays);
  return readPolicy(db);
}

/** Items made before this time go; null: the kind is kept for ever. */
function cutoff(asOf: Date, daysToKeep: number | null): string | null {
  return daysToKeep === null ? null : new Date(asOf.getTime() - daysToKeep * DAY_MS).toISOString();
}

export function previewRetention(db: SqlDatabase, asOf: Date): RetentionPreview {
  const policy = readPolicy(db);
  const versions = expiredVersions(db, cutoff(asOf, policy.datasetRowDays));
  return { asOf: asOf.toISOString(), policy, counts: count(db, policy, asOf, versions), datasetVersions: versions };
}

export function applyRetention(db: SqlDatabase, asOf: Date, now: Date, expected: RetentionCounts): RetentionCounts {
  if (asOf.getTime() > now.getTime()) {
    throw new UserError('Retention cannot be applied as of a time still to come', {
      code: 'retention-future',
      where: 'asOf',
      hint: 'Preview again and apply that preview.',
    });
  }
  return db.transaction(() => {
    const policy = readPolicy(db);
    const versions = expiredVersions(db, cutoff(asOf, policy.datasetRowDays));
    const counts = count(db, policy, asOf, versions);
    if (
      counts.outputs !== expected.outputs ||
      counts.reviewComments !== expected.reviewComments ||
      counts.datasetRows !== expected.datasetRows
    ) {
      throw new UserError('The data or the policy changed since the preview: nothing was deleted', {
        code: 'retention-stale',
        hint: `Preview again (now ${counts.outputs} outputs, ${counts.reviewComments} review comments and ${counts.datasetRows} dataset rows would go), check it, then apply.`,
      });
    }
    const outputs = cutoff(asOf, policy.outputsDays);
    if (outputs !== null) db.prepare('DELETE FROM outputs WHERE created_at < ?').run(outputs);
    const comments = cutoff(asOf, policy.reviewCommentDays);
    if (comments !== null)
      db.prepare("UPDATE review_votes SET comment = '' WHERE at < ? AND comment <> ''").run(comments);
    for (const v of versions) {
      db.prepare('DELETE FROM dataset_rows WHERE version_id = ?').run(v.id);
      db.prepare('UPDATE dataset_versions SET rows_purged_at = ? WHERE id = ?').run(asOf.toISOString(), v.id);
    }
    return counts;
  });
}

function expiredVersions(db: SqlDatabase, before: string | null): RetentionPreview['datasetVersions'] {
  if (before === null) return [];
  return db
    .prepare<{ id: string; name: string; version: number; rows: number }>(
      `SELECT v.id, d.name, v.version, (SELECT count(*) FROM dataset_rows r WHERE r.version_id = v.id) AS rows
     FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
     WHERE v.created_at < ? AND v.rows_purged_at IS NULL ORDER BY v.created_at`,
    )
    .all(before)
    .filter((v) => v.rows > 0);
}

function count(
  db: SqlDatabase,
  policy: RetentionPolicy,
  asOf: Date,
  versions: RetentionPreview['datasetVersions'],
): RetentionCounts {
  const outputs = cutoff(asOf, policy.outputsDays);
  const comments = cutoff(asOf, policy.reviewCommentDays);
  return {
    outputs:
      outputs === null
        ? 0
        : (db.prepare<{ n: number }>('SELECT count(*) AS n FROM outputs WHERE created_at < ?').get(outputs)?.n ?? 0),
    reviewComments:
      comments === null
        ? 0
        : (db
            .prepare<{ n: number }>("SELECT count(*) AS n FROM review_votes WHERE at < ? AND comment <> ''")
            .get(comments)?.n ?? 0),
    datasetRows: versions.reduce((sum, v) => sum + v.rows, 0),
  };
}
