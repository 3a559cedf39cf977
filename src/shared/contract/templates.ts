// Prompt templates and demonstration sets. A template is
// Jinja over a dataset row's fields (@huggingface/jinja, the renderer training and inference use); `examples` holds
// the demonstration rows (empty when none are attached). Every save is an immutable, content-hashed version.
import { z } from 'zod';
import { MetricSpec } from '../metrics';
import { defineService, method } from './define';
import { RunId } from './generation';

const count = z.number().int().nonnegative();

/**
 * The review workflow of a template version: draft -> in-review -> approved -> deprecated (workflow.ts has the moves).
 */
export const TEMPLATE_STATUSES = ['draft', 'in-review', 'approved', 'deprecated'] as const;
export const TemplateStatus = z.enum(TEMPLATE_STATUSES);
export type TemplateStatus = z.infer<typeof TemplateStatus>;

/** The workflow's moves: from -> the statuses it may go to (approval also needs another user and passing checks). */
export const TEMPLATE_STATUS_MOVES: Readonly<Record<TemplateStatus, readonly TemplateStatus[]>> = {
  draft: ['in-review', 'deprecated'],
  'in-review': ['approved', 'draft', 'deprecated'],
  approved: ['deprecated'],
  deprecated: [],
};

export const TEMPLATE_STATUS_LABELS: Readonly<Record<TemplateStatus, string>> = {
  draft: 'draft',
  'in-review': 'in review',
  approved: 'approved',
  deprecated: 'deprecated',
};

export const StatusChange = z.object({
  from: TemplateStatus,
  to: TemplateStatus,
  userId: z.string(),
  /** null when the profile no longer exists. */
  userName: z.string().nullable(),
  note: z.string(),
  at: z.string(),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const TemplateId = z.string().trim().min(1).max(64);
const Name = z.string().trim().min(1, 'A name is required').max(120);

export const TemplateVersion = z.object({
  id: z.string(),
  templateId: z.string(),
  name: z.string(),
  version: count,
  /** Jinja over the row's fields; `examples` is the list of demonstration rows. */
  source: z.string(),
  /** A system message when `chat` is on (null: none). */
  system: z.string().nullable(),
  /** Send the rendered text as a user turn through the model's chat template; otherwise as raw completion text. */
  chat: z.boolean(),
  message: z.string(),
  /** Field names the template reads (from the parsed template), for checks against a dataset. */
  fields: z.array(z.string()),
  contentHash: z.string(),
  createdAt: z.string(),
  status: TemplateStatus,
  /** The user who saved it (null: saved before users existed). */
  author: z.string().nullable(),
  authorName: z.string().nullable(),
  /** Oldest first. */
  history: z.array(StatusChange),
});
export type TemplateVersion = z.infer<typeof TemplateVersion>;

export const TemplateSummary = z.object({ id: z.string(), name: z.string(), latest: TemplateVersion, versions: count });
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const SaveTemplate = z
  .object({
    /** Absent: a new template named `name`. */
    templateId: TemplateId.optional(),
    name: Name.optional(),
    source: z.string().min(1, 'The template is empty').max(100_000, 'Templates are limited to 100,000 characters'),
    system: z.string().max(100_000).nullable().default(null),
    chat: z.boolean().default(false),
    message: z.string().trim().max(500).default(''),
  })
  .strict();
export type SaveTemplate = z.input<typeof SaveTemplate>;

/**
 * How a demonstration set picks its examples for an input: `fixed` shows its rows in order; `random` draws k of them
 * with a seed (the same for every input, so a run is reproducible); `similar` takes the k rows most similar to the
 * input by token Jaccard similarity over the input fields (ties by order).
 */
export const DemonstrationSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed') }).strict(),
  z
    .object({
      kind: z.literal('random'),
      k: z.number().int().min(1).max(64),
      seed: z.number().int().min(0).max(0xffff_ffff),
    })
    .strict(),
  z.object({ kind: z.literal('similar'), k: z.number().int().min(1).max(64) }).strict(),
]);
export type DemonstrationSelection = z.infer<typeof DemonstrationSelection>;

/** A demonstration set version: its rows (the pool for random and similar selection) and how it picks from them. */
export const DemonstrationSetVersion = z.object({
  id: z.string(),
  setId: z.string(),
  name: z.string(),
  version: count,
  datasetVersionId: z.string(),
  /** Row keys of the dataset version (its train split), in the order they are shown. */
  rowKeys: z.array(z.string()),
  selection: DemonstrationSelection,
  message: z.string(),
  contentHash: z.string(),
  createdAt: z.string(),
});
export type DemonstrationSetVersion = z.infer<typeof DemonstrationSetVersion>;

export const SaveDemonstrations = z
  .object({
    setId: TemplateId.optional(),
    name: Name.optional(),
    datasetVersionId: z.string().min(1),
    rowKeys: z.array(z.string().min(1)).min(1, 'Choose at least one example').max(64, 'At most 64 examples'),
    selection: DemonstrationSelection.default({ kind: 'fixed' }),
    message: z.string().trim().max(500).default(''),
  })
  .strict();

export const SetStatus = z
  .object({
    versionId: z.string().min(1),
    status: TemplateStatus,
    note: z.string().trim().max(500).default(''),
  })
  .strict();

const CheckOutcome = z.enum(['passed', 'failed']);
const RowRef = z.object({ rowIdx: count, key: z.string() });

/** The checks a template version passes before approval, on one dataset version's validation split and one model. */
export const TemplateCheckReport = z.object({
  id: z.string(),
  versionId: z.string(),
  datasetVersionId: z.string(),
  modelId: z.string(),
  demonstrationSetVersionId: z.string().nullable(),
  ranAt: z.string(),
  passed: z.boolean(),
  render: z.object({
    outcome: CheckOutcome,
    message: z.string(),
    rows: count,
    /** The first 50 failing rows with the renderer's reason. */
    failures: z.array(RowRef.extend({ reason: z.string() })),
    failureCount: count,
    /** Names the template reads that rows do not set (they render as empty text), with how many rows. */
    warnings: z.array(z.string()).default([]),
  }),
  budget: z.object({
    outcome: CheckOutcome,
    message: z.string(),
    /** How tokens were counted (the model's tokenizer, and what is approximate). */
    method: z.string(),
    contextLength: count,
    /** Tokens kept free for the answer. */
    reserve: count,
    maxPromptTokens: count,
    overBudget: z.array(RowRef.extend({ tokens: count })),
  }),
  leakage: z.object({
    outcome: CheckOutcome,
    message: z.string(),
    canary: z.string(),
    sample: count,
    maxNewTokens: count,
    leaked: z.array(RowRef.extend({ output: z.string() })),
  }),
  /**
   * Target leakage: fields the template reads that hold (part of) the reference. Absent in reports made before it
   * existed.
   */
  target: z.object({ outcome: CheckOutcome, message: z.string(), fields: z.array(z.string()) }).optional(),
});
export type TemplateCheckReport = z.infer<typeof TemplateCheckReport>;

export const RunChecks = z
  .object({
    versionId: z.string().min(1),
    datasetVersionId: z.string().min(1),
    modelId: z.string().min(1),
    demonstrationSetVersionId: z.string().nullable().default(null),
  })
  .strict();

export const DemonstrationAnalyticsArg = z
  .object({
    templateVersionId: z.string().min(1),
    demonstrationSetVersionId: z.string().min(1),
    /** Validation rows of the set's dataset version are the sample. */
    modelId: z.string().min(1),
    sample: z.number().int().min(1).max(32).default(8),
    metric: MetricSpec.default({ kind: 'chrf' }),
  })
  .strict();

/** Leave-one-out contribution of each demonstration: mean(score with all) - mean(score without it), paired by row. */
export const DemonstrationAnalytics = z.object({
  metric: z.string(),
  n: count,
  /** Mean score with every demonstration. */
  baseline: z.number(),
  demos: z.array(
    z.object({ rowKey: z.string(), contribution: z.number(), n: count, ciLow: z.number(), ciHigh: z.number() }),
  ),
});
export type DemonstrationAnalytics = z.infer<typeof DemonstrationAnalytics>;

export const RenderPreview = z
  .object({
    /** A saved version, or an unsaved source (the editor's). */
    versionId: z.string().optional(),
    source: z.string().optional(),
    system: z.string().nullable().optional(),
    chat: z.boolean().optional(),
    datasetVersionId: z.string().min(1),
    rowIdx: count,
    demonstrationSetVersionId: z.string().nullable().default(null),
    /** With a model: the prompt's token count by its tokenizer and its context length come with the preview. */
    modelId: z.string().min(1).optional(),
  })
  .strict();

/**
 * The preview's row generated by a model (greedy), optionally with one of its adapters (its LoRA and/or soft prompt).
 */
export const RunPreview = RenderPreview.extend({
  modelId: z.string().min(1),
  adapterId: z.string().min(1).nullable().default(null),
  maxNewTokens: z.number().int().min(1).max(4096).default(128),
}).strict();

export const RenderedPrompt = z.object({
  /** The text sent to the model (raw) or the user turn (chat). */
  text: z.string(),
  system: z.string().nullable(),
  chat: z.boolean(),
  /** The row's reference (expected output), when the dataset has one. */
  reference: z.string().nullable(),
  /**
   * With a model: the prompt's tokens by the model's tokenizer (through its chat template when chat is on; a system
   * message counted inside the user turn), and the model's context length. Absent without a model.
   */
  tokens: count.optional(),
  contextLength: count.optional(),
  /** Names the template reads that this row does not set (rendered as empty text), with their line. */
  warnings: z.array(z.string()).default([]),
});
export type RenderedPrompt = z.infer<typeof RenderedPrompt>;

const byId = z.object({ id: z.string().min(1) }).strict();

export const templatesContract = defineService(
  'templates',
  {
    list: method(z.object({}).strict(), z.array(TemplateSummary)),
    versions: method(z.object({ templateId: TemplateId }).strict(), z.array(TemplateVersion)),
    version: method(byId, TemplateVersion),
    /** Parses the template (a syntax error is a UserError with the line) and stores a new immutable version. */
    save: method(SaveTemplate, TemplateVersion),
    preview: method(RenderPreview, RenderedPrompt),
    /**
     * Renders like `preview` and starts generating the row's answer; answers at once with the run id and the prompt.
     * Tokens come as generation.onToken events with that run id, the end as generation.onFinished; generation.cancel
     * stops it.
     */
    run: method(RunPreview, z.object({ runId: RunId, prompt: z.string() })),
    demonstrationSets: method(z.object({}).strict(), z.array(DemonstrationSetVersion)),
    saveDemonstrations: method(SaveDemonstrations, DemonstrationSetVersion),
    /**
     * Moves a version through the workflow as the current user. Approving needs a user other than the author and the
     * newest check report of the version to have passed; a refused move is a UserError saying why.
     */
    setStatus: method(SetStatus, TemplateVersion),
    /**
     * Runs the checks before approval (render every validation row, context budget, leakage probe) and keeps the
     * report.
     */
    checks: method(RunChecks, TemplateCheckReport),
    /** The newest check report of a version, or null. */
    lastChecks: method(z.object({ versionId: z.string().min(1) }).strict(), TemplateCheckReport.nullable()),
    demonstrationAnalytics: method(DemonstrationAnalyticsArg, DemonstrationAnalytics),
  },
  { onChanged: z.object({ kind: z.enum(['template', 'demonstrations']), id: z.string() }) },
);
