// Experiments: specializations x a dataset split x metrics. Outputs are stored per (specialization hash, example,
// decoding settings, seed), so a re-run computes only what is missing and a killed run resumes where it stopped.
// An ablation expands one specialization into all 2^k cells of its k components and reports effects with CIs.
import { z } from 'zod';
import { RemoteEngineSpec, RemoteIdentity, RemoteServer } from '../remote-engine';
import { BudgetCheck, PerformanceBudget, PerformanceFigures } from '../budget';
import { MetricKindName, MetricSpec } from '../metrics';
import { WeightFormat } from '../weight-format';
import { defineService, method } from './define';
import { Component } from './specializations';

const count = z.number().int().nonnegative();
const Id = z.string().trim().min(1).max(64);
export const Split = z.enum(['train', 'validation', 'test']);
export type Split = z.infer<typeof Split>;
const Interval = z.tuple([z.number(), z.number()]);

export const ExperimentDesign = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('compare'), specializationIds: z.array(Id).min(1).max(16) }).strict(),
  z.object({ kind: z.literal('ablation'), specializationId: Id }).strict(),
]);
export type ExperimentDesign = z.infer<typeof ExperimentDesign>;

export const ExperimentSpec = z
  .object({
    name: z.string().trim().min(1, 'A name is required').max(120),
    datasetVersionId: Id,
    split: Split.default('test'),
    /** Use only the first N rows of the split (in dataset order); null: all. */
    limit: z.number().int().min(1).nullable().default(null),
    design: ExperimentDesign,
    /** The first metric is the primary one (the ablation's effects and verdict are computed on it). */
    metrics: z.array(MetricSpec).min(1, 'Choose at least one metric').max(16),
    /** Seeds the bootstrap and permutation tests (generation seeds come from each specialization's decoding). */
    seed: z.number().int().min(0).max(0xffff_ffff).default(0),
    batchSize: z.number().int().min(1).max(256).default(32),
    /** Performance limits judged like thresholds on the cells the verdict concerns; null: none. */
    budget: PerformanceBudget.nullable().default(null),
    /**
     * Generate every output anew and keep them apart under this tag, never reusing stored outputs nor lending these
     * to other experiments (drift audits: what the specialization gives now, not what it gave once).
     */
    fresh: z.string().trim().min(1).max(80).optional(),
    /**
     * Generate on an OpenAI-compatible server instead of the local engine (absent: locally). The service fills
     * `identity` (the server's model list and version) when the experiment is created: part of its lineage.
     */
    remote: RemoteEngineSpec.extend({ identity: RemoteIdentity.nullable().default(null) }).optional(),
  })
  .strict();
export type ExperimentSpec = z.infer<typeof ExperimentSpec>;
export type ExperimentSpecIn = z.input<typeof ExperimentSpec>;

export const ExperimentState = z.enum(['created', 'running', 'completed', 'cancelled', 'failed', 'interrupted']);
export type ExperimentState = z.infer<typeof ExperimentState>;

export const ExperimentCell = z.object({
  specializationId: z.string(),
  label: z.string(),
  /** The components switched on (ablation cells; for compare: the specialization's own). */
  components: z.array(Component),
  /** Bit j set = COMPONENTS-order component j of the ablation on; null for compare designs. */
  mask: count.nullable(),
  /**
   * The precision the cell's model ran at in the latest run (its outputs are read at it); absent before a run, and
   * for experiments run before formats were recorded (read at the model's current format).
   */
  weightFormat: WeightFormat.optional(),
});
export type ExperimentCell = z.infer<typeof ExperimentCell>;

export const ExperimentProgress = z.object({
  done: count,
  total: count,
  /** Outputs found already stored when the run started (not recomputed). */
  reused: count,
  rowsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  /** The cell being generated. */
  cell: z.string().nullable(),
});
export type ExperimentProgress = z.infer<typeof ExperimentProgress>;

export const Experiment = z.object({
  id: z.string(),
  name: z.string(),
  spec: ExperimentSpec,
  cells: z.array(ExperimentCell),
  state: ExperimentState,
  progress: ExperimentProgress.nullable(),
  error: z.object({ message: z.string(), hint: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Experiment = z.infer<typeof Experiment>;

export const MetricResult = z.object({
  metric: count,
  label: z.string(),
  value: z.number().nullable(),
  ci: Interval.nullable(),
  n: count,
  /** null when the metric has no threshold. */
  pass: z.boolean().nullable(),
  perField: z.record(z.string(), z.number()).optional(),
  macroF1: z.number().optional(),
  confusion: z
    .object({ labels: z.array(z.string()), predicted: z.array(z.string()), matrix: z.array(z.array(count)) })
    .optional(),
  /**
   * A model-graded metric: the judge specialization (id, content hash, name) and, of this cell's outputs, how many it
   * answered and how many answers could not be read (those are left out of n and the value).
   */
  judge: z
    .object({
      specializationId: z.string(),
      specializationHash: z.string(),
      name: z.string(),
      answered: count,
      unparseable: count,
    })
    .optional(),
});
export type MetricResult = z.infer<typeof MetricResult>;

export const CellResult = z.object({
  cell: ExperimentCell,
  n: count,
  metrics: z.array(MetricResult),
  meanPromptTokens: z.number(),
  meanOutputTokens: z.number(),
  meanTimeToFirstTokenMs: z.number().nullable(),
  meanTotalMs: z.number().nullable(),
  meanTokensPerSecond: z.number().nullable(),
  /** Over the cell's outputs: p95 latency and time to first token, speed, longest context, the engine's peak memory. */
  performance: PerformanceFigures,
  /** The experiment's budget judged on this cell (empty without a budget). */
  budget: z.array(BudgetCheck),
});
export type CellResult = z.infer<typeof CellResult>;

export const Effect = z.object({
  terms: z.array(z.string()),
  estimate: z.number(),
  ci: Interval,
  p: z.number(),
  pHolm: z.number(),
  test: z.string(),
});
export type Effect = z.infer<typeof Effect>;

export const Ablation = z.object({
  components: z.array(Component),
  metric: z.string(),
  n: count,
  cells: z.array(z.object({ mask: count, components: z.array(Component), mean: z.number(), ci: Interval })),
  effects: z.array(Effect),
  /** full minus full-without-j, and only-j minus base, per component (paired; Holm-corrected together). */
  comparisons: z.array(
    z.object({
      label: z.string(),
      component: Component,
      estimate: z.number(),
      ci: Interval,
      p: z.number(),
      pHolm: z.number(),
      test: z.string(),
    }),
  ),
  /** The whole specialization against the base model (all components on minus all off), paired. */
  fullVsBase: z.object({ estimate: z.number(), ci: Interval, p: z.number(), test: z.string() }),
  /** Mean context tokens each component adds to a call (soft prompt: its virtual tokens). */
  contextTokens: z.partialRecord(Component, z.number()),
  verdict: z.array(z.string()),
  seed: count,
  resamples: count,
});
export type Ablation = z.infer<typeof Ablation>;

/**
 * Each cell against the base (a comparison's first cell when it has no adapter, or an ablation's all-off cell
 * against its full one) on every metric: paired differences with bootstrap CIs, tests, Holm-corrected together.
 */
export const VersusBase = z.object({
  base: z.string(),
  rows: z.array(
    z.object({
      cell: z.string(),
      metric: count,
      label: z.string(),
      baseValue: z.number(),
      value: z.number(),
      /** value minus baseValue, with its 95% CI. */
      estimate: z.number(),
      ci: Interval,
      p: z.number(),
      pHolm: z.number(),
      test: z.string(),
      /** Holm p < 0.05 and the CI excludes 0. */
      significant: z.boolean(),
      /** Which way is better for this metric. */
      direction: z.enum(['higher', 'lower']),
    }),
  ),
});
export type VersusBase = z.infer<typeof VersusBase>;

export const ExperimentResults = z.object({
  experimentId: z.string(),
  /** Examples with an output in every cell (the paired sample). */
  n: count,
  complete: z.boolean(),
  cells: z.array(CellResult),
  ablation: Ablation.nullable(),
  /** Absent or null: no base cell to judge against, or the run is incomplete. */
  versusBase: VersusBase.nullable().optional(),
  /** Every thresholded metric passes in every cell that the verdict concerns (the last cell, or the full one). */
  passed: z.boolean().nullable(),
  /** Every budget limit holds in every cell the verdict concerns; null without a budget. */
  budgetPassed: z.boolean().nullable(),
  /** Adapters of its specializations trained on rows that repeat the evaluated ones (exact or near-duplicate). */
  contamination: z.array(z.string()).optional(),
});
export type ExperimentResults = z.infer<typeof ExperimentResults>;

export const OutputCell = z.object({
  text: z.string().nullable(),
  /** Primary metric score of this output (null: not generated yet or no reference). */
  score: z.number().nullable(),
  finishReason: z.string().nullable(),
  promptTokens: count.nullable(),
  generatedTokens: count.nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  totalMs: z.number().nullable(),
  /** Each model-graded metric's judge on this output: its raw answer, the score read from it, or why none was. */
  judged: z
    .array(
      z.object({
        metric: count,
        label: z.string(),
        answer: z.string().nullable(),
        score: z.number().nullable(),
        reason: z.string().nullable(),
      }),
    )
    .optional(),
});

export const OutputRow = z.object({
  exampleIdx: count,
  key: z.string(),
  input: z.record(z.string(), z.unknown()),
  reference: z.string().nullable(),
  /** One per cell, in the experiment's cell order. */
  outputs: z.array(OutputCell),
  /** The cells' outputs are not all the same (after normalisation). */
  disagree: z.boolean(),
  /** Some cell scored below 1 on the primary metric. */
  failed: z.boolean(),
});
export type OutputRow = z.infer<typeof OutputRow>;

export const OutputsQuery = z
  .object({
    id: Id,
    offset: count.default(0),
    limit: z.number().int().min(1).max(500).default(50),
    filter: z.enum(['all', 'disagreements', 'failures']).default('all'),
  })
  .strict();

export const ExampleDetails = z.object({
  exampleIdx: count,
  key: z.string(),
  input: z.record(z.string(), z.unknown()),
  reference: z.string().nullable(),
  cells: z.array(
    z.object({
      cell: ExperimentCell,
      prompt: z.string(),
      system: z.string().nullable(),
      chat: z.boolean(),
      output: OutputCell,
      /** Each model-graded metric's prompt to its judge for this output (absent without an output or a judge). */
      judgePrompts: z
        .array(z.object({ metric: count, label: z.string(), judge: z.string(), prompt: z.string() }))
        .optional(),
    }),
  ),
});
export type ExampleDetails = z.infer<typeof ExampleDetails>;

/**
 * What each part of a specialization adds to a call, in prompt tokens, averaged over some rows of a dataset split:
 * the input alone, the template's own text (with any chat wrapping it asks for), the demonstrations, the soft prompt's
 * virtual tokens. They add up to `meanTotal`, what a call costs on average; `longest` is the largest call, what a
 * budget's maximum context tokens judges.
 */
export const ContextCost = z.object({
  specializationId: z.string(),
  rows: count,
  input: z.number(),
  template: z.number(),
  demonstrations: z.number(),
  softPrompt: count,
  meanTotal: z.number(),
  longest: count,
});
export type ContextCost = z.infer<typeof ContextCost>;

/** One metric of one cell at a quantized format against the stored precision, on the rows both answered. */
export const FormatMetric = z.object({
  label: z.string(),
  kind: MetricKindName,
  binary: z.boolean(),
  higherIsBetter: z.boolean(),
  n: count,
  stored: z.number().nullable(),
  value: z.number().nullable(),
  /** value - stored, with its paired 95% bootstrap CI. */
  diff: z.number().nullable(),
  ci: Interval.nullable(),
  /** McNemar's p for a pass/fail metric; null otherwise. */
  p: z.number().nullable(),
});
export type FormatMetric = z.infer<typeof FormatMetric>;

export const FormatComparison = z.object({
  experimentId: z.string(),
  /** The experiment's rows. */
  rows: count,
  seed: count,
  /** The formats with outputs, each cell's metrics against the stored precision. */
  formats: z.array(
    z.object({
      format: z.enum(['q8', 'q4']),
      /** Every cell answered every row at this format and at the stored precision. */
      complete: z.boolean(),
      cells: z.array(
        z.object({
          label: z.string(),
          specializationId: z.string(),
          /** Rows answered at both precisions, and of those the outputs whose text differs. */
          compared: count,
          changed: count,
          metrics: z.array(FormatMetric),
        }),
      ),
    }),
  ),
});
export type FormatComparison = z.infer<typeof FormatComparison>;

const byId = z.object({ id: Id }).strict();

export const experimentsContract = defineService(
  'experiments',
  {
    list: method(z.object({}).strict(), z.array(Experiment)),
    get: method(byId, Experiment),
    /** Checks the parts (dataset split, metrics' needs) and, for an ablation, creates its cell specializations. */
    create: method(ExperimentSpec, Experiment),
    /** Starts (or resumes) generating the missing outputs; answers at once, progress comes as onProgress. */
    run: method(byId, Experiment),
    cancel: method(byId, Experiment),
    results: method(byId, ExperimentResults),
    outputs: method(OutputsQuery, z.object({ total: count, rows: z.array(OutputRow) })),
    example: method(z.object({ id: Id, exampleIdx: count }).strict(), ExampleDetails),
    remove: method(byId, z.null()),
    /** Tokens each part of a specialization adds to a call, measured on the first rows of a dataset split. */
    contextCost: method(
      z
        .object({
          specializationId: Id,
          datasetVersionId: Id,
          split: Split.default('test'),
          rows: z.number().int().min(1).max(200).default(20),
        })
        .strict(),
      ContextCost,
    ),
    /**
     * Asks an OpenAI-compatible server what it serves (GET /v1/models, and vLLM's /version) before an experiment
     * names its models; the API key is read from the named environment variable of this app's process.
     */
    checkRemote: method(RemoteServer, RemoteIdentity),
    /**
     * Generates every cell's outputs again at 8-bit and/or 4-bit weights (and at the stored precision where missing),
     * kept apart from the recorded ones; the models' own format settings are unchanged. Answers at once; progress
     * comes as onProgress. formatComparison then pairs them, and the models' format pickers show the main metric.
     */
    checkFormats: method(
      z
        .object({
          id: Id,
          formats: z
            .array(z.enum(['q8', 'q4']))
            .min(1)
            .max(2)
            .default(['q8', 'q4']),
        })
        .strict(),
      Experiment,
    ),
    /** Each cell's metrics at the quantized formats that have outputs, paired per row against the stored precision. */
    formatComparison: method(byId, FormatComparison),
  },
  {
    onProgress: z.object({ id: z.string(), progress: ExperimentProgress }),
    onChanged: z.object({ id: z.string(), state: ExperimentState }),
  },
);
