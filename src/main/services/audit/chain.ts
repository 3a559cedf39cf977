// The audit log's hash chain, pure: how an entry's hash is computed (sha256 over the RFC 8785 canonical JSON of the
// entry with the previous entry's hash inside it) and the walk that finds the first broken link in stored rows.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { BugError } from '../../../shared/errors';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything stored except the hash itself. */
export interface ChainedFields {
  readonly seq: number;
  readonly at: string;
  readonly actor: unknown;
  readonly method: string;
  readonly args: unknown;
  readonly objects: unknown;
  readonly prevHash: string;
}

/** The one canonical text of a JSON value (sorted keys, shortest numbers, fixed escapes); never a lone surrogate. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new BugError('canonicalJson: the value has no JSON form');
  return text;
}

export function entryHash(fields: ChainedFields): string {
  const { seq, at, actor, method, args, objects, prevHash } = fields;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, method, args, objects, prevHash })).digest('hex');
}

/** One stored row as read back: JSON columns still text, so damage to them is a finding, not a crash. */
export interface StoredRow {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly method: string;
  readonly args: string;
  readonly objects: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainBreak {
  readonly seq: number;
  readonly problem: string;
}

/**
 * Incremental verifier: feed rows in seq order, then `end` with the head the log recorded. Stops at the first break.
 */
export class ChainWalk {
  private expectedSeq = 1;
  private prev = GENESIS_HASH;
  broken: ChainBreak | undefined;
  checked = 0;

  get head(): { seq: number; hash: string } {
    return { seq: this.expectedSeq - 1, hash: this.prev };
  }

  /** False once a break is found (stop feeding). */
  next(row: StoredRow): boolean {
    if (this.broken) return false;
    if (row.seq !== this.expectedSeq) {
      const missing =
        row.seq > this.expectedSeq
          ? `entr${row.seq - this.expectedSeq === 1 ? 'y' : 'ies'} ${range(this.expectedSeq, row.seq - 1)} ${row.seq - this.expectedSeq === 1 ? 'is' : 'are'} missing (deleted)`
          : `out of order after ${this.expectedSeq - 1}`;
      return this.fail(row.seq > this.expectedSeq ? this.expectedSeq : row.seq, missing);
    }
    if (row.prevHash !== this.prev)
      return this.fail(
        row.seq,
        `its link to entry ${row.seq - 1} is broken (previous hash ${short(row.prevHash)}, entry ${row.seq - 1} hashes to ${short(this.prev)})`,
      );
    let fields: ChainedFields;
    try {
      fields = {
        seq: row.seq,
        at: row.at,
        actor: JSON.parse(row.actor),
        method: row.method,
        args: JSON.parse(row.args),
        objects: JSON.parse(row.objects),
        prevHash: row.prevHash,
      };
    } catch {
      return this.fail(row.seq, 'its stored content is not valid JSON any more (edited)');
    }
    if (entryHash(fields) !== row.hash)
      return this.fail(row.seq, 'its content was changed after it was written (the hash does not match)');
    this.prev = row.hash;
    this.expectedSeq += 1;
    this.checked += 1;
    return true;
  }

  /** Compares the end of the walk with the head recorded at each append (catches entries cut off the end). */
  end(recorded: { seq: number; hash: string } | undefined): void {
    if (this.broken) return;
    const last = this.expectedSeq - 1;
    if (!recorded) {
      if (last > 0) this.fail(last, 'the record of the last entry is missing (edited)');
      return;
    }
    if (recorded.seq > last)
      this.fail(
        last + 1,
        `entr${recorded.seq - last === 1 ? 'y' : 'ies'} ${range(last + 1, recorded.seq)} ${recorded.seq - last === 1 ? 'is' : 'are'} missing from the end (deleted)`,
      );
    else if (recorded.seq < last || recorded.hash !== this.prev)
      this.fail(recorded.seq, 'the record of the last entry does not match the log (edited)');
  }

  private fail(seq: number, problem: string): false {
    this.broken = { seq, problem: `Entry ${seq}: ${problem}` };
    return false;
  }
}

function range(from: number, to: number): string {
  return from === to ? String(from) : `${from}-${to}`;
}

function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}
