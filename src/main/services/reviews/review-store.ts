// Review rounds and votes in the workspace db (migration 7). The spec and plan are JSON fixed at creation; votes are
// one row per item (a re-vote replaces it) with a per-round `seq` so that undo removes the reviewer's latest. Share
// tokens are kept as sha256 hashes only.
import { CreateRound, RoundState, Verdict } from '../../../shared/contract/reviews';
import type { SqlDatabase } from '../../platform/db';
import type { StoredVote } from './analysis';
import type { Plan } from './plan';

export interface StoredRound {
  id: string;
  name: string;
  experimentId: string;
  state: RoundState;
  spec: CreateRound;
  plan: Plan;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
}

interface RoundRow {
  id: string;
  name: string;
  experiment_id: string;
  state: string;
  spec: string;
  plan: string;
  created_by: string;
  created_at: string;
  closed_at: string | null;
}
interface VoteRow {
  item_id: string;
  reviewer_id: string;
  verdict: string;
  tags: string;
  comment: string;
  ms: number;
  at: string;
}

export class ReviewStore {
  constructor(private readonly db: SqlDatabase) {}

  insert(r: StoredRound): void {
    this.db
      .prepare(
        'INSERT INTO review_rounds (id, name, experiment_id, state, spec, plan, created_by, created_at, closed_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        r.id,
        r.name,
        r.experimentId,
        r.state,
        JSON.stringify(r.spec),
        JSON.stringify(r.plan),
        r.createdBy,
        r.createdAt,
        r.closedAt,
      );
  }

  all(): StoredRound[] {
    return this.db
      .prepare<RoundRow>('SELECT * FROM review_rounds ORDER BY created_at DESC, rowid DESC')
      .all()
      .map(fromRow);
  }

  byId(id: string): StoredRound | undefined {
    const row = this.db.prepare<RoundRow>('SELECT * FROM review_rounds WHERE id = ?').get(id);
    return row === undefined ? undefined : fromRow(row);
  }

  close(id: string, at: string): void {
    this.db.prepare("UPDATE review_rounds SET state = 'closed', closed_at = ? WHERE id = ?").run(at, id);
  }

  votes(roundId: string): StoredVote[] {
    return this.db
      .prepare<VoteRow>(
        'SELECT item_id, reviewer_id, verdict, tags, comment, ms, at FROM review_votes WHERE round_id = ? ORDER BY seq',
      )
      .all(roundId)
      .map((v) => ({
        itemId: v.item_id,
        reviewerId: v.reviewer_id,
        verdict: Verdict.parse(v.verdict),
        tags: JSON.parse(v.tags) as string[],
        comment: v.comment,
        ms: v.ms,
        at: v.at,
      }));
  }

  /** Votes done per reviewer. */
  doneCounts(roundId: string): Map<string, number> {
    const rows = this.db
      .prepare<{ reviewer_id: string; n: number }>(
        'SELECT reviewer_id, count(*) AS n FROM review_votes WHERE round_id = ? GROUP BY reviewer_id',
      )
      .all(roundId);
    return new Map(rows.map((r) => [r.reviewer_id, r.n]));
  }

  putVote(roundId: string, v: StoredVote): void {
    this.db.transaction(() => {
      const seq = (
        this.db
          .prepare<{ s: number }>('SELECT coalesce(max(seq), 0) + 1 AS s FROM review_votes WHERE round_id = ?')
          .get(roundId) as { s: number }
      ).s;
      this.db
        .prepare(
          'INSERT OR REPLACE INTO review_votes (round_id, item_id, reviewer_id, verdict, tags, comment, ms, at, ' +
            'seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(roundId, v.itemId, v.reviewerId, v.verdict, JSON.stringify(v.tags), v.comment, v.ms, v.at, seq);
    });
  }

  /** Removes the reviewer's latest vote; answers its item id (undefined: none). */
  undo(roundId: string, reviewerId: string): string | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare<{ item_id: string }>(
          'SELECT item_id FROM review_votes WHERE round_id = ? AND reviewer_id = ? ORDER BY seq DESC LIMIT 1',
        )
        .get(roundId, reviewerId);
      if (row === undefined) return undefined;
      this.db.prepare('DELETE FROM review_votes WHERE round_id = ? AND item_id = ?').run(roundId, row.item_id);
      return row.item_id;
    });
  }

  /** A new share token (stored as its hash) for the reviewer, revoking the ones before it. */
  issueShare(roundId: string, reviewerId: string, tokenHash: string, at: string): void {
    this.db.transaction(() => {
      this.revokeShares(roundId, reviewerId, at);
      this.db
        .prepare(
          'INSERT INTO review_shares (token_hash, round_id, reviewer_id, created_at, revoked_at) ' +
            'VALUES (?, ?, ?, ?, NULL)',
        )
        .run(tokenHash, roundId, reviewerId, at);
    });
  }

  revokeShares(roundId: string, reviewerId: string, at: string): void {
    this.db
      .prepare('UPDATE review_shares SET revoked_at = ? WHERE round_id = ? AND reviewer_id = ? AND revoked_at IS NULL')
      .run(at, roundId, reviewerId);
  }

  /** The round and reviewer of a live token of an open round. */
  shareOf(tokenHash: string): { roundId: string; userId: string } | undefined {
    const row = this.db
      .prepare<{ round_id: string; reviewer_id: string }>(
        "SELECT s.round_id, s.reviewer_id FROM review_shares s JOIN review_rounds r ON r.id = s.round_id WHERE s.token_hash = ? AND s.revoked_at IS NULL AND r.state = 'open'",
      )
      .get(tokenHash);
    return row === undefined ? undefined : { roundId: row.round_id, userId: row.reviewer_id };
  }
}

function fromRow(r: RoundRow): StoredRound {
  return {
    id: r.id,
    name: r.name,
    experimentId: r.experiment_id,
    state: RoundState.parse(r.state),
    spec: CreateRound.parse(JSON.parse(r.spec)),
    plan: JSON.parse(r.plan) as Plan,
    createdBy: r.created_by,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}
