// The endpoint's API keys: made from the CSPRNG, shown once, kept only as a sha256 hash (as review share tokens are:
// 192 random bits cannot be guessed, so a fast hash is enough and keeps the check on every request cheap).
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../../../shared/contract/serving';
import { UserError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';
import { tokenHash } from '../reviews/share-servers';

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Keys look like OpenAI's (`sk-...`), so tools that check the shape accept them. */
const PREFIX = 'sk-dt-';

export class KeyStore {
  constructor(private readonly db: SqlDatabase) {}

  list(): ApiKey[] {
    return this.db.prepare<KeyRow>('SELECT * FROM serving_keys ORDER BY created_at DESC, id').all().map(toKey);
  }

  create(name: string, createdBy: string, at: string): { key: ApiKey; secret: string } {
    const secret = `${PREFIX}${randomBytes(24).toString('base64url')}`;
    const row: KeyRow = {
      id: randomUUID(),
      name,
      prefix: secret.slice(0, PREFIX.length + 4),
      hash: tokenHash(secret),
      created_at: at,
      created_by: createdBy,
      revoked_at: null,
      last_used_at: null,
    };
    this.db
      .prepare('INSERT INTO serving_keys (id, name, prefix, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.id, row.name, row.prefix, row.hash, row.created_at, row.created_by);
    return { key: toKey(row), secret };
  }

  revoke(id: string, at: string): ApiKey {
    const row = this.db.prepare<KeyRow>('SELECT * FROM serving_keys WHERE id = ?').get(id);
    if (!row)
      throw new UserError(`No API key ${id} in this workspace`, {
        code: 'not-found',
        where: 'id',
        hint: 'Reload the list of keys.',
      });
    if (row.revoked_at === null) {
      this.db.prepare('UPDATE serving_keys SET revoked_at = ? WHERE id = ?').run(at, id);
      row.revoked_at = at;
    }
    return toKey(row);
  }

  /** Whether the secret is a live key (noting its use); compared as hashes in constant time. */
  verify(secret: string, at: string): boolean {
    const hash = tokenHash(secret);
    const row = this.db.prepare<KeyRow>('SELECT * FROM serving_keys WHERE hash = ? AND revoked_at IS NULL').get(hash);
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return false;
    this.db.prepare('UPDATE serving_keys SET last_used_at = ? WHERE id = ?').run(at, row.id);
    return true;
  }
}

function toKey(r: KeyRow): ApiKey {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}
