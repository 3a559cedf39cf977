// Review rounds: blinded human judgments of an experiment's outputs. Two kinds of method live here:
// the organiser's (create, list, get, close, results, export), which may name specializations, and the reviewer's
// (queue, item, vote, undo), whose results carry only opaque item ids and 'left'/'right' until the round is closed.
import { z } from 'zod';
import { defineService, method } from './define';

const count = z.number().int().nonnegative();
const Id = z.string().trim().min(1).max(64);
const Interval = z.tuple([z.number(), z.number()]);

export const ReviewMode = z.enum(['pairwise', 'single']);
export type ReviewMode = z.infer<typeof ReviewMode>;

export const ReviewSample = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }).strict(),
  /** Proportional allocation over the values of one dataset field. */
  z.object({ kind: z.literal('stratified'), field: z.string().trim().min(1) }).strict(),
  /** Only examples whose chosen outputs are not all the same (after whitespace normalisation). */
  z.object({ kind: z.literal('disagreements') }).strict(),
]);
export type ReviewSample = z.infer<typeof ReviewSample>;

export const CreateRound = z
  .object({
    name: z.string().trim().min(1, 'A name is required').max(120),
    experimentId: Id,
    /** Specializations of the experiment's cells to compare (2 or more). */
    specializationIds: z.array(Id).min(2, 'Choose at least two specializations').max(16),
    sample: ReviewSample.default({ kind: 'random' }),
    reviewerIds: z.array(Id).min(1, 'Choose at least one reviewer').max(64),
    /** Judgments each reviewer makes (before repeats); the number of items follows from it and the overlap. */
    itemsPerReviewer: z.number().int().min(1).max(2000),
    /** Each item is judged by at least this many reviewers. */
    overlap: z.number().int().min(1).max(64).default(1),
    /** Failure categories a reviewer may attach. */
    tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    mode: ReviewMode.default('pairwise'),
    /** Share of each reviewer's items shown again later with sides swapped (position bias, self-consistency). */
    repeatShare: z.number().min(0).max(0.5).default(0.1),
    /**
     * The plan's seed (sampling, sides, order, repeats). Left out: a random one, recorded and kept secret until the
     * round closes, since whoever knows it can rebuild every reviewer's plan.
     */
    seed: z.number().int().min(0).max(0xffff_ffff).optional(),
  })
  .strict();
export type CreateRound = z.infer<typeof CreateRound>;
export type CreateRoundIn = z.input<typeof CreateRound>;

export const RoundState = z.enum(['open', 'closed']);
export type RoundState = z.infer<typeof RoundState>;

/**
 * What anyone may see of a round: no specialization identity. A reviewer of an open round sees only themself in
 * `reviewerIds` and only their own judgments in `assigned` and `done`.
 */
export const RoundSummary = z.object({
  id: z.string(),
  name: z.string(),
  mode: ReviewMode,
  state: RoundState,
  tags: z.array(z.string()),
  reviewerIds: z.array(z.string()),
  /** Judgments assigned and made, over all reviewers (repeats included). */
  assigned: count,
  done: count,
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type RoundSummary = z.infer<typeof RoundSummary>;

/** The organiser's view (refused to reviewers while the round is open); the seed is shown once the round is closed. */
export const Round = RoundSummary.extend({
  spec: CreateRound.extend({ seed: z.number().int().nullable() }),
  experimentName: z.string(),
  specializations: z.array(z.object({ id: z.string(), name: z.string() })),
  units: count,
  perReviewer: z.array(z.object({ reviewerId: z.string(), assigned: count, done: count })),
});
export type Round = z.infer<typeof Round>;

export const PairwiseVerdict = z.enum(['left', 'right', 'tie', 'both-bad']);
export const SingleVerdict = z.enum(['pass', 'fail']);
export const Verdict = z.union([PairwiseVerdict, SingleVerdict]);
export type Verdict = z.infer<typeof Verdict>;

export const ReviewVote = z.object({
  verdict: Verdict,
  tags: z.array(z.string()),
  comment: z.string(),
  ms: count,
});
export type ReviewVote = z.infer<typeof ReviewVote>;

/** One row of a reviewer's queue: an opaque id only. */
export const QueueEntry = z.object({ itemId: z.string(), done: z.boolean() });

export const ReviewQueue = z.object({
  round: RoundSummary,
  items: z.array(QueueEntry),
  done: count,
  /** The first item without a vote (null: all done). */
  next: z.string().nullable(),
});
export type ReviewQueue = z.infer<typeof ReviewQueue>;

export const ReviewItem = z.object({
  roundId: z.string(),
  itemId: z.string(),
  /** 0-based place in this reviewer's queue. */
  position: count,
  total: count,
  mode: ReviewMode,
  input: z.record(z.string(), z.unknown()),
  /** Pairwise: two outputs; single: only `left`. */
  left: z.string(),
  right: z.string().nullable(),
  vote: ReviewVote.nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

const ItemRef = z.object({ roundId: Id, itemId: Id }).strict();
export const VoteArg = ItemRef.extend({
  verdict: Verdict,
  tags: z.array(z.string().max(40)).max(20).default([]),
  comment: z.string().max(2000).default(''),
  /** Time spent on the item, measured by the queue. */
  ms: count.max(86_400_000).default(0),
}).strict();
export type VoteArg = z.infer<typeof VoteArg>;

export const WinRate = z.object({
  a: z.string(),
  b: z.string(),
  n: count,
  winsA: count,
  winsB: count,
  ties: count,
  bothBad: count,
  /** Share of the pair's judgments that A (B) won, with 95% Wilson intervals. */
  rateA: z.number(),
  ciA: Interval,
  rateB: z.number(),
  ciB: Interval,
});
export type WinRate = z.infer<typeof WinRate>;

export const Strength = z.object({
  name: z.string(),
  strength: z.number(),
  ci: Interval,
  elo: z.number(),
  eloCi: Interval,
});
export const Rate = z.object({ rate: z.number().nullable(), ci: Interval.nullable(), n: count });
export type Rate = z.infer<typeof Rate>;

export const Agreement = z.object({
  /** Cohen's kappa with exactly two raters, Krippendorff's alpha (nominal) with more. */
  method: z.enum(['cohen-kappa', 'krippendorff-alpha']),
  value: z.number().nullable(),
  /** Items judged by 2+ reviewers. */
  units: count,
});

export const ReviewResults = z.object({
  roundId: z.string(),
  mode: ReviewMode,
  /** Judgments used (first showings; repeats feed only position bias and self-consistency). */
  n: count,
  specializations: z.array(z.object({ id: z.string(), name: z.string() })),
  winRates: z.array(WinRate),
  /** Bradley-Terry with bootstrap CIs (3+ specializations), strongest first. */
  bradleyTerry: z.array(Strength).nullable(),
  /** Single-output mode: pass rate per specialization. */
  passRates: z.array(z.object({ name: z.string() }).extend(Rate.shape)),
  agreement: Agreement,
  perReviewer: z.array(
    z.object({
      reviewerId: z.string(),
      name: z.string(),
      judgments: count,
      /** Agreement with the other reviewers' majority on shared items (Cohen's kappa) and the raw share. */
      kappa: z.number().nullable(),
      agreeRate: Rate,
    }),
  ),
  /** Share of decisive pairwise judgments that chose the left side (0.5 = no bias). */
  positionBias: Rate,
  /** Share of repeated items judged the same way (sides accounted for). */
  selfConsistency: Rate,
  tags: z.array(z.object({ name: z.string(), counts: z.record(z.string(), count) })),
  /** Share of decisive judgments on which the experiment's primary metric prefers the same output. */
  metricAgreement: z.object({ metric: z.string() }).extend(Rate.shape),
  seed: count,
});
export type ReviewResults = z.infer<typeof ReviewResults>;

const byId = z.object({ id: Id }).strict();

export const ShareArg = z
  .object({
    roundId: Id,
    reviewerId: Id,
    /**
     * The interface to listen on: one address of this machine (shareInterfaces); loopback unless the organiser picks.
     */
    host: z.string().trim().min(1).max(64).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(0),
    /**
     * HTTPS with the workspace's self-signed certificate; default on for any interface but loopback (required there).
     */
    tls: z.boolean().optional(),
  })
  .strict();
export const SharedLink = z.object({
  reviewerId: z.string(),
  token: z.string(),
  host: z.string(),
  port: count,
  /** What reviewers open, without the fragment: http(s)://<host>:<port> (IPv6 in brackets). */
  origin: z.string(),
  scheme: z.enum(['http', 'https']),
  /** SHA-256 fingerprint of the certificate reviewers' browsers will show (null: plain HTTP). */
  fingerprint256: z.string().nullable(),
  /**
   * Personal data found in what the link shows (the round's inputs and outputs), per the workspace's privacy policy.
   */
  warnings: z.array(z.string()).default([]),
});
export type SharedLink = z.infer<typeof SharedLink>;

/** An address of this machine a round can be shared on. */
export const ShareInterface = z.object({
  address: z.string(),
  /** The interface's name (lo, eth0, Wi-Fi, ...). */
  name: z.string(),
  family: z.enum(['IPv4', 'IPv6']),
  /** Loopback: only this machine reaches it. */
  loopback: z.boolean(),
});
export type ShareInterface = z.infer<typeof ShareInterface>;

export const ToDatasetArg = z
  .object({
    id: Id,
    /** A new dataset with this name, or a new version of datasetId: exactly one. */
    newName: z.string().trim().min(1).max(120).optional(),
    datasetId: Id.optional(),
  })
  .strict()
  .refine((a) => (a.newName === undefined) !== (a.datasetId === undefined), {
    message: 'Give a new dataset name or choose a dataset',
    path: ['newName'],
  });

/**
 * The reviewer's methods: the only ones a share token reaches (the share server answers nothing else) and the only
 * ones the renderer's portal mode calls.
 */
export const REVIEWER_METHODS = ['queue', 'item', 'vote', 'undo'] as const;
export type ReviewerMethod = (typeof REVIEWER_METHODS)[number];

export const reviewsContract = defineService(
  'reviews',
  {
    // Organiser's methods.
    createRound: method(CreateRound, Round),
    /** Every round, with no specialization identity (reviewers see this too). */
    list: method(z.object({}).strict(), z.array(RoundSummary)),
    get: method(byId, Round),
    close: method(byId, Round),
    /** Refused while the round is open. */
    results: method(byId, ReviewResults),
    /** Votes as FastChat battles (model_a, model_b, winner) in JSON, or as CSV; refused while open. */
    export: method(
      z.object({ id: Id, format: z.enum(['fastchat', 'csv']) }).strict(),
      z.object({
        fileName: z.string(),
        text: z.string(),
        warnings: z.array(z.string()).default([]),
        /** The round's lineage manifest, to save beside the file as <fileName>.lineage.json (null: not available). */
        lineage: z.object({ fileName: z.string(), text: z.string() }).nullable().default(null),
      }),
    ),
    // Reviewer's methods: the current user's assignments, blinded.
    queue: method(z.object({ roundId: Id }).strict(), ReviewQueue),
    item: method(ItemRef, ReviewItem),
    vote: method(VoteArg, ReviewItem),
    /** Removes the reviewer's latest vote in the round; answers the item it was on (null: nothing to undo). */
    undo: method(z.object({ roundId: Id }).strict(), ReviewItem.nullable()),
    // Sharing (organiser): one revocable token per reviewer for the review-only server on a chosen interface.
    /** Issues (or re-issues, revoking the old) the reviewer's token; starts the share server on `host` if needed. */
    share: method(ShareArg, SharedLink),
    revokeShare: method(z.object({ roundId: Id, reviewerId: Id }).strict(), z.null()),
    /** The addresses of this machine a round can be shared on, loopback first. */
    shareInterfaces: method(z.object({}).strict(), z.array(ShareInterface)),
    /**
     * Closing the loop (closed rounds): the preferred output of each item (the reviewers' majority; pass in single
     * mode) becomes the reference of a row of a new dataset (or a new version of `datasetId`), with the round's id in
     * each row and in the version's message.
     */
    toDataset: method(
      ToDatasetArg,
      z.object({
        datasetVersionId: z.string(),
        datasetId: z.string(),
        rows: count,
        /**
         * Rows drawn from an evaluation split (validation or test), kept in that split so training never takes them.
         */
        heldOut: count.default(0),
        warnings: z.array(z.string()).default([]),
      }),
    ),
  },
  { onChanged: z.object({ id: z.string(), state: RoundState }) },
);
