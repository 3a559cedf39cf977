// The workspace's privacy policy (migration 12): one row, read with zod, absent until first set (then: warn, no
// patterns).
import { z } from 'zod';
import { PrivacyPolicy, UserPattern } from '../../../shared/contract/privacy';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

export const DEFAULT_POLICY: PrivacyPolicy = { onFinding: 'warn', patterns: [] };

const Patterns = z.array(UserPattern);

export function readPolicy(db: SqlDatabase): PrivacyPolicy {
  const row = db
    .prepare<{ on_finding: string; patterns: string }>(
      'SELECT on_finding, patterns FROM privacy_policy WHERE singleton = 1',
    )
    .get();
  if (!row) return DEFAULT_POLICY;
  const patterns = Patterns.safeParse(JSON.parse(row.patterns));
  const onFinding = PrivacyPolicy.shape.onFinding.safeParse(row.on_finding);
  if (!patterns.success || !onFinding.success) throw new BugError('The privacy_policy row does not match its schema');
  return { onFinding: onFinding.data, patterns: patterns.data };
}

export function writePolicy(db: SqlDatabase, policy: PrivacyPolicy, at: string): void {
  db.prepare(
    `INSERT INTO privacy_policy (singleton, on_finding, patterns, updated_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (singleton) DO UPDATE SET on_finding = excluded.on_finding, patterns = excluded.patterns, updated_at = excluded.updated_at`,
  ).run(policy.onFinding, JSON.stringify(policy.patterns), at);
}
