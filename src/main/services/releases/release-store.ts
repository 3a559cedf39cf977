// The releases tables: immutable release rows (the database refuses UPDATE and DELETE), appended evidence and
// approvals, channels and the append-only log of their moves.
import type { Channel } from '../../../shared/contract/releases';
import { ChannelMove, Evidence, Gates, type Release } from '../../../shared/contract/releases';
import { LineageManifest } from '../../../shared/lineage';
import { BugError } from '../../../shared/errors';
import type { SqlDatabase } from '../../platform/db';

interface ReleaseRow {
  id: string;
  name: string;
  version: string;
  specialization_id: string;
  spec_hash: string;
  manifest: string;
  notes: string;
  author_id: string | null;
  author_name: string;
  created_at: string;
}
interface ChannelRow {
  id: string;
  name: string;
  release_id: string | null;
  gates: string;
  created_at: string;
  updated_at: string;
}
interface MoveRow {
  channel_id: string;
  seq: number;
  kind: string;
  from_release_id: string | null;
  to_release_id: string | null;
  actor_name: string;
  at: string;
}

export type NewRelease = Omit<Release, 'evidence' | 'approvals' | 'specializationName'>;
export interface Actor {
  id: string | null;
  name: string;
}

const StoredEvidence = Evidence;

export class ReleaseStore {
  constructor(private readonly db: SqlDatabase) {}

  releases(): Release[] {
    return this.db
      .prepare<ReleaseRow>('SELECT * FROM releases ORDER BY created_at DESC, id')
      .all()
      .map((r) => this.hydrate(r));
  }

  release(id: string): Release | undefined {
    const row = this.db.prepare<ReleaseRow>('SELECT * FROM releases WHERE id = ?').get(id);
    return row && this.hydrate(row);
  }

  byNameVersion(name: string, version: string): Release | undefined {
    const row = this.db.prepare<ReleaseRow>('SELECT * FROM releases WHERE name = ? AND version = ?').get(name, version);
    return row && this.hydrate(row);
  }

  versionsOf(name: string): string[] {
    return this.db
      .prepare<{ version: string }>('SELECT version FROM releases WHERE name = ?')
      .all(name)
      .map((r) => r.version);
  }

  insert(r: NewRelease): void {
    this.db
      .prepare(
        'INSERT INTO releases (id, name, version, specialization_id, spec_hash, manifest, notes, author_id, ' +
          'author_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        r.id,
        r.name,
        r.version,
        r.specializationId,
        r.specializationHash,
        JSON.stringify(r.manifest),
        r.notes,
        r.authorId,
        r.authorName,
        r.createdAt,
      );
  }

  addEvidence(releaseId: string, items: readonly Evidence[], by: string, at: string): void {
    const next =
      this.db
        .prepare<{ n: number }>('SELECT COALESCE(MAX(seq), -1) + 1 AS n FROM release_evidence WHERE release_id = ?')
        .get(releaseId)?.n ?? 0;
    const insert = this.db.prepare(
      'INSERT INTO release_evidence (release_id, seq, snapshot, added_by, added_at) VALUES (?, ?, ?, ?, ?)',
    );
    items.forEach((e, i) => insert.run(releaseId, next + i, JSON.stringify(e), by, at));
  }

  approve(releaseId: string, user: { id: string; name: string }, at: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO release_approvals (release_id, user_id, user_name, at) VALUES (?, ?, ?, ?)')
      .run(releaseId, user.id, user.name, at);
  }

  channels(): Channel[] {
    return this.db.prepare<ChannelRow>('SELECT * FROM channels ORDER BY created_at, name').all().map(channelOf);
  }

  channel(id: string): Channel | undefined {
    const row = this.db.prepare<ChannelRow>('SELECT * FROM channels WHERE id = ?').get(id);
    return row && channelOf(row);
  }

  channelByName(name: string): Channel | undefined {
    const row = this.db.prepare<ChannelRow>('SELECT * FROM channels WHERE name = ?').get(name);
    return row && channelOf(row);
  }

  insertChannel(c: Channel): void {
    this.db
      .prepare('INSERT INTO channels (id, name, release_id, gates, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.id, c.name, c.releaseId, JSON.stringify(c.gates), c.createdAt, c.updatedAt);
  }

  setGates(channelId: string, gates: Gates, at: string): void {
    this.db
      .prepare('UPDATE channels SET gates = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(gates), at, channelId);
  }

  /** Points the channel at `to` and appends the move, in one transaction. */
  move(
    channelId: string,
    kind: 'promote' | 'rollback',
    from: string | null,
    to: string | null,
    actor: Actor,
    at: string,
  ): void {
    this.db.transaction(() => {
      const seq =
        this.db
          .prepare<{ n: number }>('SELECT COALESCE(MAX(seq), -1) + 1 AS n FROM channel_moves WHERE channel_id = ?')
          .get(channelId)?.n ?? 0;
      this.db
        .prepare(
          'INSERT INTO channel_moves (channel_id, seq, kind, from_release_id, to_release_id, actor_id, actor_name, ' +
            'at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(channelId, seq, kind, from, to, actor.id, actor.name, at);
      this.db.prepare('UPDATE channels SET release_id = ?, updated_at = ? WHERE id = ?').run(to, at, channelId);
    });
  }

  /** Newest first. */
  moves(channelId: string): ChannelMove[] {
    return this.db
      .prepare<MoveRow>('SELECT * FROM channel_moves WHERE channel_id = ? ORDER BY seq DESC')
      .all(channelId)
      .map((m) =>
        ChannelMove.parse({
          seq: m.seq,
          channelId: m.channel_id,
          kind: m.kind,
          fromReleaseId: m.from_release_id,
          toReleaseId: m.to_release_id,
          actorName: m.actor_name,
          at: m.at,
        }),
      );
  }

  private hydrate(r: ReleaseRow): Release {
    const manifest = LineageManifest.safeParse(JSON.parse(r.manifest));
    if (!manifest.success) throw new BugError(`The release ${r.id} has a manifest that does not match its schema`);
    const evidence = this.db
      .prepare<{ snapshot: string; added_by: string; added_at: string }>(
        'SELECT snapshot, added_by, added_at FROM release_evidence WHERE release_id = ? ORDER BY seq',
      )
      .all(r.id)
      .map((e) => ({ ...StoredEvidence.parse(JSON.parse(e.snapshot)), addedBy: e.added_by, addedAt: e.added_at }));
    const approvals = this.db
      .prepare<{ user_id: string; user_name: string; at: string }>(
        'SELECT user_id, user_name, at FROM release_approvals WHERE release_id = ? ORDER BY at',
      )
      .all(r.id)
      .map((a) => ({ userId: a.user_id, name: a.user_name, at: a.at }));
    return {
      id: r.id,
      name: r.name,
      version: r.version,
      specializationId: r.specialization_id,
      specializationName: manifest.data.objects.find((o) => o.kind === 'specialization')?.name ?? r.specialization_id,
      specializationHash: r.spec_hash,
      manifest: manifest.data,
      notes: r.notes,
      authorId: r.author_id,
      authorName: r.author_name,
      createdAt: r.created_at,
      evidence,
      approvals,
    };
  }
}

function channelOf(r: ChannelRow): Channel {
  const gates = Gates.safeParse(legacyGates(JSON.parse(r.gates)));
  if (!gates.success) throw new BugError(`The channel ${r.name} has gates that do not match their schema`);
  return {
    id: r.id,
    name: r.name,
    releaseId: r.release_id,
    gates: gates.data,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Channels saved before budgets had a mean-latency and a speed limit: they become the budget's p95 latency (the
 * stricter reading of the same limit) and minimum tokens/s.
 */
function legacyGates(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || !('maxLatencyMs' in stored || 'minTokensPerSecond' in stored))
    return stored;
  const { maxLatencyMs, minTokensPerSecond, ...rest } = stored as Record<string, unknown>;
  if (maxLatencyMs == null && minTokensPerSecond == null) return rest;
  return { ...rest, budget: { p95LatencyMs: maxLatencyMs ?? null, minTokensPerSecond: minTokensPerSecond ?? null } };
}
