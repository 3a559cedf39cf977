// Releases and channels: a release freezes a specialization under a name and a semantic version, with the evidence
// behind it; a channel (dev, staging, production, ...) points at one release, and moves only by a promotion that
// passes the channel's gates or by a rollback, both recorded.
import { z } from 'zod';
import { BudgetCheck, PerformanceBudget, PerformanceFigures } from '../budget';
import { LineageManifest } from '../lineage';
import { defineService, method } from './define';
import { Split } from './experiments';
import { FolderPath } from './workspace';

const Id = z.string().trim().min(1).max(64);
const count = z.number().int().nonnegative();
const Interval = z.tuple([z.number(), z.number()]);

/** Semantic versions as npm reads them (1.0.0, 1.2.0-rc.1); checked again by the service with the semver parser. */
export const ReleaseVersion = z.string().trim().min(5, 'A version like 1.0.0').max(64);
export const ReleaseName = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'Letters, digits, space, dot, dash and underscore');
export const ChannelName = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(40)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'Lower-case letters, digits, dot, dash and underscore');

/** What an experiment said about the release's specialization when it was attached. */
export const ExperimentEvidence = z.object({
  kind: z.literal('experiment'),
  experimentId: z.string(),
  name: z.string(),
  datasetVersionId: z.string(),
  datasetName: z.string(),
  split: Split,
  /** Examples in the paired sample. */
  n: count,
  metrics: z.array(
    z.object({
      label: z.string(),
      value: z.number().nullable(),
      ci: Interval.nullable(),
      n: count,
      pass: z.boolean().nullable(),
    }),
  ),
  meanTotalMs: z.number().nullable(),
  meanTokensPerSecond: z.number().nullable(),
  /** The cell's performance figures; absent in evidence attached before they were recorded. */
  performance: PerformanceFigures.optional(),
  verdict: z.array(z.string()),
});
export type ExperimentEvidence = z.infer<typeof ExperimentEvidence>;

/** A closed review round's result for the release's specialization against each other one in the round. */
export const RoundEvidence = z.object({
  kind: z.literal('round'),
  roundId: z.string(),
  name: z.string(),
  n: count,
  against: z.array(z.object({ name: z.string(), n: count, rate: z.number(), ci: Interval })),
  /** Bradley-Terry rank of the release's specialization (1 = strongest; null: fewer than three in the round). */
  rank: z.number().int().positive().nullable(),
});
export type RoundEvidence = z.infer<typeof RoundEvidence>;

/** A recorded prompt/adapter decision of a project whose chosen option is the release's specialization. */
export const DecisionEvidence = z.object({
  kind: z.literal('decision'),
  decisionId: z.string(),
  projectId: z.string(),
  /** prompt, adapter or both, and the criterion that decided it. */
  option: z.string(),
  decidedBy: z.string(),
  /** sha256 of the recorded decision's canonical JSON (its id and hash are what a release cites). */
  hash: z.string(),
  metric: z.string(),
  mean: z.number(),
  ci: Interval,
  explanation: z.array(z.string()),
  decidedAt: z.string(),
});
export type DecisionEvidence = z.infer<typeof DecisionEvidence>;

export const Evidence = z.discriminatedUnion('kind', [ExperimentEvidence, RoundEvidence, DecisionEvidence]);
export type Evidence = z.infer<typeof Evidence>;

export const Approval = z.object({ userId: z.string(), name: z.string(), at: z.string() });

export const Release = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  specializationId: z.string(),
  specializationName: z.string(),
  /** The specialization's content hash (model, adapters, template, demonstrations, decoding). */
  specializationHash: z.string(),
  manifest: LineageManifest,
  notes: z.string(),
  authorId: z.string().nullable(),
  authorName: z.string(),
  createdAt: z.string(),
  /** Appended, never edited: attaching evidence does not change what the release contains. */
  evidence: z.array(Evidence.and(z.object({ addedAt: z.string(), addedBy: z.string() }))),
  approvals: z.array(Approval),
});
export type Release = z.infer<typeof Release>;

export const MetricGate = z
  .object({
    datasetVersionId: Id,
    split: Split,
    /** The metric's label as experiments show it ("exact match", "category accuracy"). */
    metric: z.string().trim().min(1).max(120),
    /** The measured value must reach this (0..1 for rates). */
    min: z.number(),
  })
  .strict();
export type MetricGate = z.infer<typeof MetricGate>;

export const Gates = z
  .object({
    /** Someone other than the release's author approved it. */
    approvalByOther: z.boolean().default(false),
    /** The release's template version is approved (a release without a template passes). */
    approvedTemplate: z.boolean().default(false),
    metrics: z.array(MetricGate).max(16).default([]),
    /** Judged on the newest attached experiment that measured the release's performance; null: no budget. */
    budget: PerformanceBudget.nullable().default(null),
    /** A closed review round in which the release beats every other specialization (win-rate CI above 50%). */
    reviewWin: z.boolean().default(false),
  })
  .strict();
export type Gates = z.infer<typeof Gates>;
export type GatesIn = z.input<typeof Gates>;

/**
 * A channel's budget against what its current release showed: the experiment evidence (what promotion judged) and,
 * where a serving source is connected, the figures of the requests it served.
 */
export const ChannelBudget = z.object({
  channelId: z.string(),
  budget: PerformanceBudget.nullable(),
  releaseId: z.string().nullable(),
  evidence: z.object({ name: z.string(), figures: PerformanceFigures, checks: z.array(BudgetCheck) }).nullable(),
  /** null: nothing served this release yet, or no serving source is connected. */
  serving: z.object({ since: z.string(), figures: PerformanceFigures, checks: z.array(BudgetCheck) }).nullable(),
});
export type ChannelBudget = z.infer<typeof ChannelBudget>;

export const GateCheck = z.object({ gate: z.string(), met: z.boolean(), detail: z.string() });
export type GateCheck = z.infer<typeof GateCheck>;

export const Channel = z.object({
  id: z.string(),
  name: z.string(),
  releaseId: z.string().nullable(),
  gates: Gates,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof Channel>;

export const ChannelMove = z.object({
  seq: count,
  channelId: z.string(),
  kind: z.enum(['promote', 'rollback']),
  fromReleaseId: z.string().nullable(),
  toReleaseId: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});
export type ChannelMove = z.infer<typeof ChannelMove>;

export const CreateRelease = z
  .object({
    specializationId: Id,
    name: ReleaseName,
    version: ReleaseVersion,
    notes: z.string().max(4000).default(''),
    experimentIds: z.array(Id).max(32).default([]),
    roundIds: z.array(Id).max(32).default([]),
    decisionIds: z.array(Id).max(32).default([]),
  })
  .strict();

export const BundleImport = z.object({
  release: Release,
  /** Files checked against the bundle's manifest. */
  files: count,
  parts: z.array(z.object({ kind: z.string(), name: z.string(), hash: z.string(), reused: z.boolean() })),
  /** The specialization made here has the same content hash as the exported one (it differs only when the
   * demonstrations' dataset had to be recreated from the bundle's rows). */
  sameSpecialization: z.boolean(),
  /** What the exporting workspace recorded, for reading only: it does not count for gates here. */
  origin: z.object({
    authorName: z.string(),
    createdAt: z.string(),
    appVersion: z.string(),
    evidence: z.number().int(),
    approvals: z.array(z.string()),
  }),
});
export type BundleImport = z.infer<typeof BundleImport>;

const byId = z.object({ id: Id }).strict();
const onChannel = z.object({ channelId: Id }).strict();

export const releasesContract = defineService(
  'releases',
  {
    list: method(z.object({}).strict(), z.array(Release)),
    get: method(byId, Release),
    /** Freezes the specialization with its lineage; (name, version) is unique. */
    create: method(CreateRelease, Release),
    attachEvidence: method(
      z
        .object({
          id: Id,
          experimentIds: z.array(Id).max(32).default([]),
          roundIds: z.array(Id).max(32).default([]),
          decisionIds: z.array(Id).max(32).default([]),
        })
        .strict(),
      Release,
    ),
    /** Records the signed-in profile's approval; an author cannot approve their own release. */
    approve: method(byId, Release),
    channels: method(z.object({}).strict(), z.array(Channel)),
    createChannel: method(z.object({ name: ChannelName, gates: Gates.prefault({}) }).strict(), Channel),
    setGates: method(z.object({ channelId: Id, gates: Gates }).strict(), Channel),
    /** Every gate of the channel judged for this release, met or not, in plain words. */
    check: method(z.object({ channelId: Id, releaseId: Id }).strict(), z.array(GateCheck)),
    /** The channel's performance budget against its current release's evidence and served requests. */
    budget: method(onChannel, ChannelBudget),
    /** Moves the channel to the release; refused with every unmet gate listed. */
    promote: method(z.object({ channelId: Id, releaseId: Id }).strict(), Channel),
    /** Moves the channel back to the release it pointed at before its current one (no gates: it passed them then). */
    rollback: method(onChannel, Channel),
    history: method(onChannel, z.array(ChannelMove)),
    /** Writes the release as one folder (adapters, template, demonstrations, decoding, model reference, hashes). */
    exportBundle: method(
      z.object({ id: Id, folder: FolderPath }).strict(),
      z.object({ folder: z.string(), files: count }),
    ),
    /** Verifies a bundle folder against its manifest, then makes (or finds) each part and the release here. */
    importBundle: method(z.object({ folder: FolderPath }).strict(), BundleImport),
    /**
     * The `vllm serve` command line that serves the release's LoRA as one model name (--enable-lora, --lora-modules,
     * --max-lora-rank); a soft prompt cannot be served by vLLM: the notes say so and the command serves the LoRA only.
     */
    vllmCommand: method(
      z.object({ id: Id, port: z.number().int().min(1).max(65535).optional() }).strict(),
      z.object({
        command: z.string().nullable(),
        modelName: z.string().nullable(),
        maxLoraRank: z.number().int().nullable(),
        loraOnly: z.boolean(),
        notes: z.array(z.string()),
      }),
    ),
  },
  { onChanged: z.object({ id: z.string() }) },
);
