// The workspace's audit trail: every state-changing call, appended by the dispatcher to a hash-chained log (each
// entry's hash covers its canonical JSON and the previous entry's hash). Listing, filtering, verifying and exporting.
import { z } from 'zod';
import { defineService, method } from './define';

/**
 * Who made a change: a signed-in profile, a reviewer through a share link, nobody (no profile; `transport` says from
 * where), or the app itself (work it starts on its own, such as a scheduled drift audit; `transport` 'internal').
 */
export const AuditActor = z.object({
  kind: z.enum(['profile', 'link', 'nobody', 'app']),
  userId: z.string().optional(),
  /** The profile's name when the change was made. */
  name: z.string().optional(),
  /** The round a share link is for. */
  roundId: z.string().optional(),
  transport: z.enum(['ipc', 'http', 'cli', 'test', 'internal']),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** The app itself as an audit actor: what it does on its own schedule. */
export const APP_ACTOR: AuditActor = { kind: 'app', transport: 'internal' };

/** An object a call touched, with its content hash before and after the call where the object has one. */
export const AuditObject = z.object({ id: z.string(), before: z.string().optional(), after: z.string().optional() });
export type AuditObject = z.infer<typeof AuditObject>;

export const AuditEntry = z.object({
  /** 1, 2, 3 ... without gaps: a gap is a deleted entry. */
  seq: z.number().int().positive(),
  at: z.string(),
  actor: AuditActor,
  /** `service.method`, as in the contract. */
  method: z.string(),
  /** The call's arguments with secrets (passphrases, tokens) replaced by "[redacted]". */
  args: z.unknown(),
  objects: z.array(AuditObject),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const text = z.string().trim().max(200);
export const AuditFilter = z
  .object({
    /** A profile's name or id (part of it, any case), "nobody", or "app" (the app's own scheduled work). */
    actor: text.optional(),
    /** A method or its beginning: "users.", "templates.save". */
    method: text.optional(),
    /** An object id a call touched (exactly). */
    objectId: text.optional(),
    /** ISO times, inclusive. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditPage = z.object({
  /** Newest first. */
  entries: z.array(AuditEntry),
  /** How many entries match the filter in all. */
  total: z.number().int().nonnegative(),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** The outcome of walking the chain: the first broken link, or the head to note down as an external anchor. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  /** Entries checked before stopping. */
  checked: z.number().int().nonnegative(),
  /** The last entry and its hash (ok chains): keep them elsewhere to detect a rewrite of the whole log later. */
  head: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }),
  broken: z.object({ seq: z.number().int(), problem: z.string() }).optional(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

const days = z.number().int().min(1).max(36_500).nullable();
/** How many days after it was made each kind of data is kept (null: kept for ever). */
export const RetentionPolicy = z.object({ outputsDays: days, reviewCommentDays: days, datasetRowDays: days }).strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const RetentionCounts = z
  .object({
    /** Generated outputs (made again if an experiment runs again). */
    outputs: z.number().int().nonnegative(),
    /** Review votes whose comment is emptied (the verdict stays). */
    reviewComments: z.number().int().nonnegative(),
    /** Rows of dataset versions whose rows are deleted (the version's record, counts and hash stay). */
    datasetRows: z.number().int().nonnegative(),
  })
  .strict();
export type RetentionCounts = z.infer<typeof RetentionCounts>;

/** What applying the policy at `asOf` would delete. */
export const RetentionPreview = z.object({
  asOf: z.string(),
  policy: RetentionPolicy,
  counts: RetentionCounts,
  /** The dataset versions whose rows would go. */
  datasetVersions: z.array(
    z.object({ id: z.string(), name: z.string(), version: z.number().int(), rows: z.number().int() }),
  ),
});
export type RetentionPreview = z.infer<typeof RetentionPreview>;

export const auditContract = defineService('audit', {
  list: method(
    z
      .object({
        filter: AuditFilter.default({}),
        limit: z.number().int().min(1).max(1000).default(200),
        beforeSeq: z.number().int().positive().optional(),
      })
      .strict(),
    AuditPage,
  ),
  verify: method(z.object({}).strict(), AuditVerification),
  /**
   * Every entry matching the filter, oldest first, as JSON Lines (hashes included, so the file can be re-verified) or
   * CSV.
   */
  export: method(
    z.object({ filter: AuditFilter.default({}), format: z.enum(['jsonl', 'csv']) }).strict(),
    z.object({ fileName: z.string(), text: z.string(), count: z.number().int() }),
  ),
  retention: method(z.object({}).strict(), RetentionPolicy),
  setRetention: method(RetentionPolicy, RetentionPolicy),
  /** What the saved policy would delete now (asOf: the time the preview is for). */
  previewRetention: method(z.object({}).strict(), RetentionPreview),
  /**
   * Deletes what the preview at `asOf` showed, refused when the counts differ from `expected` (the data changed since):
   * the audit entry of this call so records what was deleted.
   */
  applyRetention: method(
    z.object({ asOf: z.iso.datetime({ offset: true }), expected: RetentionCounts }).strict(),
    RetentionCounts,
  ),
});
