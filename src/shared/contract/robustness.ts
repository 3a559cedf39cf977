// Failure modes, robustness probes and drift audits: error categories per output (from metric failures, reviewers'
// tags and the workspace's rules) with rates and CIs per cell; perturbed variants of a split's inputs run through the
// experiments machinery; and audits that re-run a release's audit set and compare it with its recorded outputs.
import { z } from 'zod';
import { MetricSpec, RegexSpec, regexProblem } from '../metrics';
import { defineService, method } from './define';
import { Split } from './experiments';
import { Stage } from './projects';

const Id = z.string().trim().min(1).max(64);
const count = z.number().int().nonnegative();
const Interval = z.tuple([z.number(), z.number()]);

/** A user-defined failure category: an output is in it when the rule holds (regexes run on RE2, in linear time). */
export const FailureRule = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('regex'),
      name: z.string().trim().min(1).max(60),
      pattern: RegexSpec.shape.pattern,
      flags: RegexSpec.shape.flags,
    })
    .superRefine((rule, ctx) => {
      const problem = regexProblem(rule.pattern, rule.flags);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
    }),
  z.strictObject({
    kind: z.enum(['longer_than', 'shorter_than']),
    name: z.string().trim().min(1).max(60),
    /** Characters of the output. */
    chars: z.number().int().min(0).max(1_000_000),
  }),
]);
export type FailureRule = z.infer<typeof FailureRule>;

export const CategorySource = z.enum(['metric', 'review', 'rule', 'output']);
export type CategorySource = z.infer<typeof CategorySource>;

/** One category's rate among a cell's scored outputs: Wilson 95% CI, the examples behind it, and the change from the first cell. */
export const CategoryRate = z.object({
  category: z.string(),
  source: CategorySource,
  count,
  n: count,
  rate: z.number(),
  ci: Interval,
  /** Example indices (of the experiment) carrying it, the first few. */
  examples: z.array(count),
  /** Rate minus the first cell's rate on the same examples, with McNemar's p (null in the first cell). */
  change: z.object({ delta: z.number(), p: z.number() }).nullable(),
});
export type CategoryRate = z.infer<typeof CategoryRate>;

/** The primary metric's pass rate in one slice (input length or word rarity, tertiles of the split). */
export const SliceRate = z.object({
  slice: z.string(),
  bin: z.enum(['low', 'mid', 'high']),
  passes: count,
  n: count,
  rate: z.number().nullable(),
  ci: Interval.nullable(),
});
export type SliceRate = z.infer<typeof SliceRate>;

export const FailureModes = z.object({
  experimentId: z.string(),
  cells: z.array(
    z.object({
      label: z.string(),
      specializationId: z.string(),
      n: count,
      categories: z.array(CategoryRate),
      slices: z.array(SliceRate),
    }),
  ),
  /** Each example's categories per cell ([cell][example]), for the examples view. */
  byExample: z.array(z.array(z.array(z.string()))),
});
export type FailureModes = z.infer<typeof FailureModes>;

/**
 * A project's failure categories from stage to stage: one column per stage's measured cell (the baseline's base model
 * and baseline prompt, then the cell each later stage tried), each category's rate per column with a Wilson 95% CI,
 * and its change from the column before on the rows both measured (McNemar).
 */
export const StageFailureModes = z.object({
  projectId: z.string(),
  columns: z.array(
    z.object({
      stage: Stage,
      /** The cell's label in its experiment. */
      label: z.string(),
      experimentId: z.string(),
      specializationId: z.string(),
      /** Outputs categorised. */
      n: count,
    }),
  ),
  categories: z.array(
    z.object({
      category: z.string(),
      source: CategorySource,
      /** One per column. */
      rates: z.array(z.object({ count, n: count, rate: z.number(), ci: Interval })),
      /** One per column after the first: the rate minus the column before's on the rows both have, with McNemar's
       * p and those rows' number (null: no shared rows). */
      changes: z.array(z.object({ delta: z.number(), p: z.number(), n: count }).nullable()),
    }),
  ),
});
export type StageFailureModes = z.infer<typeof StageFailureModes>;

export const PerturbationKind = z.enum([
  'typos',
  'casing',
  'whitespace',
  'reorder',
  'truncate',
  'distractor',
  'long',
  'rare',
]);
export type PerturbationKind = z.infer<typeof PerturbationKind>;

export const ProbeSpec = z
  .object({
    name: z.string().trim().min(1).max(120),
    specializationIds: z.array(Id).min(1).max(16),
    datasetVersionId: Id,
    split: Split.default('test'),
    limit: z.number().int().min(1).nullable().default(null),
    kinds: z
      .array(PerturbationKind)
      .min(1)
      .default([...PerturbationKind.options]),
    seed: z.number().int().min(0).max(0xffff_ffff).default(0),
    /** The first is the accuracy measure (a pass/fail metric). */
    metrics: z.array(MetricSpec).min(1).max(16),
  })
  .strict();
export type ProbeSpec = z.infer<typeof ProbeSpec>;
export type ProbeSpecIn = z.input<typeof ProbeSpec>;

export const Probe = z.object({
  id: z.string(),
  spec: ProbeSpec,
  /** The dataset version holding the variants (its lineage names the source, seed and kinds). */
  variantsVersionId: z.string(),
  cleanExperimentId: z.string(),
  probeExperimentId: z.string(),
  createdAt: z.string(),
});
export type Probe = z.infer<typeof Probe>;

const Rate = z.object({ k: count, n: count, rate: z.number().nullable(), ci: Interval.nullable() });

export const ProbeRow = z.object({
  specializationId: z.string(),
  label: z.string(),
  kind: PerturbationKind,
  /** The same answer as on the clean input (the primary metric's label or fields, else the normalised text). */
  consistency: Rate,
  /** Primary metric passes on the variants, and on the same rows clean. */
  accuracy: Rate,
  cleanAccuracy: Rate,
  /** Examples whose output changed: the clean and the perturbed input with both outputs (the first few). */
  examples: z.array(
    z.object({
      key: z.string(),
      clean: z.string(),
      perturbed: z.string(),
      cleanOutput: z.string(),
      output: z.string(),
    }),
  ),
});
export type ProbeRow = z.infer<typeof ProbeRow>;

export const ProbeResults = z.object({
  probe: Probe,
  complete: z.boolean(),
  rows: z.array(ProbeRow),
  /** Plain sentences: the kinds where a specialization's consistency or accuracy fell with 95% confidence. */
  findings: z.array(z.string()),
});
export type ProbeResults = z.infer<typeof ProbeResults>;

export const AuditSetSpec = z
  .object({
    releaseId: Id,
    datasetVersionId: Id,
    split: Split.default('test'),
    limit: z.number().int().min(1).nullable().default(null),
    metrics: z.array(MetricSpec).min(1).max(16),
    /** Run at app start once this many days have passed since the last audit (null: on demand only). */
    everyDays: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .strict();
export type AuditSetSpec = z.infer<typeof AuditSetSpec>;

export const AuditSet = AuditSetSpec.extend({
  /** The experiment holding the release's recorded outputs on the set (generated when missing, then reused). */
  baselineExperimentId: z.string(),
  /** The weight format the recorded outputs were made at ('stored': as the checkpoint holds them). */
  recordedFormat: z.string(),
  createdAt: z.string(),
  lastAuditAt: z.string().nullable(),
  due: z.boolean(),
});
export type AuditSet = z.infer<typeof AuditSet>;

export const DriftFlag = z.object({
  /** 'drift' fails the audit; 'warning' is unintended behaviour that does not. */
  severity: z.enum(['drift', 'warning']),
  aspect: z.enum(['quality', 'failure-category', 'latency', 'outputs']),
  message: z.string(),
});
export type DriftFlag = z.infer<typeof DriftFlag>;

export const DriftComparison = z.object({
  n: count,
  /** What differs in how the outputs were made (the weight format, ...). */
  notes: z.array(z.string()),
  metrics: z.array(
    z.object({
      label: z.string(),
      recorded: z.number().nullable(),
      now: z.number().nullable(),
      diff: z.number().nullable(),
      ci: Interval.nullable(),
      p: z.number().nullable(),
      test: z.string(),
    }),
  ),
  categories: z.array(z.object({ category: z.string(), recorded: count, now: count, p: z.number() })),
  /** Decode time per generated token after the first (a fresh worker's loading is not the release's latency). */
  latency: z.object({
    recordedMsPerToken: z.number().nullable(),
    nowMsPerToken: z.number().nullable(),
    n: count,
    ci: Interval.nullable(),
  }),
  changedOutputs: count,
  /** Examples whose output changed (the first few). */
  examples: z.array(z.object({ key: z.string(), recorded: z.string(), now: z.string() })),
});
export type DriftComparison = z.infer<typeof DriftComparison>;

export const DriftAudit = z.object({
  id: z.string(),
  releaseId: z.string(),
  experimentId: z.string(),
  trigger: z.enum(['manual', 'schedule', 'cli']),
  startedAt: z.string(),
  state: z.enum(['running', 'passed', 'drift', 'warning', 'failed']),
  flags: z.array(DriftFlag),
  comparison: DriftComparison.nullable(),
  error: z.string().nullable(),
});
export type DriftAudit = z.infer<typeof DriftAudit>;

export const robustnessContract = defineService(
  'robustness',
  {
    rules: method(z.object({}).strict(), z.array(FailureRule)),
    saveRules: method(z.object({ rules: z.array(FailureRule).max(100) }).strict(), z.array(FailureRule)),
    /** `id`: the experiment (so the blind-review check finds it as for the experiments service). */
    failureModes: method(z.object({ id: Id }).strict(), FailureModes),
    /** `id`: the project; its stages' failure categories side by side. */
    projectFailureModes: method(z.object({ id: Id }).strict(), StageFailureModes),
    probes: method(z.object({}).strict(), z.array(Probe)),
    startProbe: method(ProbeSpec, Probe),
    probeResults: method(z.object({ id: Id }).strict(), ProbeResults),
    auditSets: method(z.object({}).strict(), z.array(AuditSet)),
    setAuditSet: method(AuditSetSpec, AuditSet),
    startAudit: method(
      z.object({ releaseId: Id, trigger: DriftAudit.shape.trigger.default('manual') }).strict(),
      DriftAudit,
    ),
    audits: method(z.object({ releaseId: Id.optional() }).strict(), z.array(DriftAudit)),
    audit: method(z.object({ id: Id }).strict(), DriftAudit),
  },
  { onChanged: z.object({ id: z.string() }) },
);
