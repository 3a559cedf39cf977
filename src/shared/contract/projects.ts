// Specialization projects: the method as a guided path. A project names the task, its data, metrics with thresholds,
// budgets and failure categories, and walks explicit, resumable stages (baseline, prompt, adapter, hybrid, decision);
// each stage proposes one experiment that changes one side, run through the experiments and adapters services.
import { z } from 'zod';
import { LORA_MODULES } from '../lora';
import { MetricSpec } from '../metrics';
import { defineService, method } from './define';
import { ModelId } from './models';

const Id = z.string().trim().min(1).max(64);
const Interval = z.tuple([z.number(), z.number()]);
const budget = z.number().positive().nullable().default(null);

export const STAGES = ['baseline', 'prompt', 'adapter', 'hybrid', 'decision'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

export const STAGE_LABELS: Record<Stage, string> = {
  baseline: 'Baseline',
  prompt: 'Prompt refinement',
  adapter: 'Adapter',
  hybrid: 'Prompt + adapter',
  decision: 'Decision',
};

/** Plain numbers (null: no budget); a later performance-budget object can be mapped onto these. */
export const ProjectBudgets = z
  .object({
    /** Context tokens per call (prompt tokens plus soft-prompt virtual tokens). */
    contextTokens: budget,
    /** Mean time per call, ms. */
    latencyMs: budget,
    /** Peak memory of training the adapter, bytes. */
    memoryBytes: budget,
    /** Wall-clock training time of the adapter, seconds. */
    trainingSeconds: budget,
  })
  .strict();
export type ProjectBudgets = z.infer<typeof ProjectBudgets>;

/** The editable criteria of the decision (all on the primary metric, fractions: 0.05 = 5 points). */
export const DecisionCriteria = z
  .object({
    /** Escalate to an adapter when the best prompt misses the threshold by more than this with 95% confidence. */
    escalationMargin: z.number().min(0).max(1).default(0.05),
    /** Prefer both over the adapter alone only when both gains at least this with 95% confidence. */
    minCombinationGain: z.number().min(0).max(1).default(0.02),
    /** An option over a budget is ruled out (false: budgets are shown only). */
    enforceBudgets: z.boolean().default(true),
  })
  .strict();
export type DecisionCriteria = z.infer<typeof DecisionCriteria>;

/**
 * The adapter the adapter stage trains: the dataset's recipe when it has one (the new-project form fills it in), else a
 * small LoRA for a few steps. Nulls take the adapters service's defaults.
 */
export const AdapterPlan = z
  .object({
    method: z.enum(['lora', 'soft-prompt', 'both']).default('lora'),
    r: z.number().int().min(1).max(64).default(4),
    /** null: 2r. */
    alpha: z.number().positive().nullable().default(null),
    /** The projections the LoRA adapts (null: the adapters service's default set). */
    targets: z.array(z.enum(LORA_MODULES)).min(1).nullable().default(null),
    virtualTokens: z.number().int().min(1).max(64).default(8),
    /** Soft-prompt initialisation from this text (null: random). */
    softPromptInit: z.string().trim().min(1).max(2000).nullable().default(null),
    epochs: z.number().int().min(1).max(1000).default(1),
    /** null: `epochs` passes over the training split. */
    maxSteps: z.number().int().min(1).max(100_000).nullable().default(30),
    maxRows: z.number().int().min(1).nullable().default(null),
    /** null: the adapters service's default for the method. */
    lr: z.number().positive().nullable().default(null),
    batchSize: z.number().int().min(1).max(1024).default(8),
    warmupSteps: z.number().int().min(0).max(100_000).default(0),
    schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
  })
  .strict();
export type AdapterPlan = z.infer<typeof AdapterPlan>;

/** The adapter plan in a few words: "LoRA + soft prompt, rank 16, 8 virtual tokens, 1 epoch". */
export function adapterSummary(a: AdapterPlan): string {
  const parts = [
    a.method === 'both' ? 'LoRA + soft prompt' : a.method === 'lora' ? 'LoRA' : 'soft prompt',
    ...(a.method === 'soft-prompt' ? [] : [`rank ${a.r}`]),
    ...(a.method === 'lora' ? [] : [`${a.virtualTokens} virtual tokens`]),
    a.maxSteps === null ? `${a.epochs} epoch${a.epochs === 1 ? '' : 's'}` : `${a.maxSteps} steps`,
  ];
  return parts.join(', ');
}

export const ProjectSpec = z
  .object({
    name: z.string().trim().min(1, 'A name is required').max(120),
    /** The task in the user's words. */
    task: z.string().trim().max(2000).default(''),
    modelId: ModelId,
    datasetVersionId: Id,
    /** Adapters train on the train split; experiments evaluate on this one. */
    evalSplit: z.enum(['validation', 'test']).default('test'),
    /** Evaluate on the first N rows of the split (null: all). */
    evalRows: z.number().int().min(1).nullable().default(null),
    /** The baseline prompt. */
    templateVersionId: Id,
    /** Greedy decoding's budget of new tokens per output. */
    maxNewTokens: z.number().int().min(1).max(4096).default(64),
    /** The first metric is the primary one; its threshold is what the decision aims at. */
    metrics: z.array(MetricSpec).min(1, 'Choose at least one metric').max(16),
    budgets: ProjectBudgets.prefault({}),
    failureCategories: z.array(z.string().trim().min(1).max(80)).max(32).default([]),
    adapter: AdapterPlan.prefault({}),
    criteria: DecisionCriteria.prefault({}),
  })
  .strict();
export type ProjectSpec = z.infer<typeof ProjectSpec>;
export type ProjectSpecIn = z.input<typeof ProjectSpec>;

/** What the project carries forward: the best prompt so far and the adapter trained. */
export const ProjectBest = z.object({
  templateVersionId: z.string(),
  demonstrationSetVersionId: z.string().nullable(),
  adapterId: z.string().nullable(),
});
export type ProjectBest = z.infer<typeof ProjectBest>;

export const StageRun = z.object({
  kind: z.enum(['experiment', 'training']),
  /** The experiment's or training job's id. */
  id: z.string(),
  /** What this run changes, in plain words. */
  change: z.string(),
  at: z.string(),
  /** The parts this run tries, adopted as the best when the stage ends with them ahead. */
  candidate: ProjectBest.partial().optional(),
});
export type StageRun = z.infer<typeof StageRun>;

export const StageStatus = z.enum(['todo', 'done', 'skipped']);
export const StageState = z.object({ stage: Stage, status: StageStatus, runs: z.array(StageRun) });
export type StageState = z.infer<typeof StageState>;

export const Project = z.object({
  id: z.string(),
  spec: ProjectSpec,
  /** In the order the user walks them (an expert may reorder or skip). */
  stages: z.array(StageState),
  best: ProjectBest,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof Project>;

/** The next step of the current stage, in plain words. */
export const Proposal = z.object({
  stage: Stage.nullable(),
  /** run: start `title`; wait: a run is in progress; advance: the stage has what it needs; blocked: see `why`. */
  action: z.enum(['run', 'wait', 'advance', 'blocked', 'decide', 'finished']),
  title: z.string(),
  /** Which side it changes and how. */
  change: z.string(),
  why: z.string(),
});
export type Proposal = z.infer<typeof Proposal>;

export const DecisionOption = z.enum(['prompt', 'adapter', 'both']);
export type DecisionOption = z.infer<typeof DecisionOption>;
export const OPTION_LABELS: Record<DecisionOption, string> = {
  prompt: 'Prompt only',
  adapter: 'Adapter only',
  both: 'Prompt + adapter',
};

export const DecisionCriterion = z.enum(['budget', 'escalation', 'combination', 'cost']);
export type DecisionCriterion = z.infer<typeof DecisionCriterion>;

export const OptionCosts = z.object({
  contextTokens: z.number(),
  latencyMs: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  trainingSeconds: z.number().nullable(),
  diskBytes: z.number().nullable(),
});
export type OptionCosts = z.infer<typeof OptionCosts>;

export const OptionEvidence = z.object({
  option: DecisionOption,
  /** The ablation cell it is (its label there) and that cell's specialization (what a release of it freezes). */
  cell: z.string(),
  specializationId: z.string(),
  mean: z.number(),
  ci: Interval,
  costs: OptionCosts,
  /** Budgets it breaks, in plain words. */
  overBudget: z.array(z.string()),
});
export type OptionEvidence = z.infer<typeof OptionEvidence>;

const PairedDifference = z.object({ estimate: z.number(), ci: Interval, p: z.number() });

export const Recommendation = z.object({
  option: DecisionOption,
  /** The criterion that decided it. */
  decidedBy: DecisionCriterion,
  /** Why, in plain words, one line per criterion looked at. */
  explanation: z.array(z.string()),
  metric: z.string(),
  threshold: z.number().nullable(),
  n: z.number().int().nonnegative(),
  options: z.array(OptionEvidence),
  /** Prompt x adapter interaction on the primary metric (2x2 factorial of the two sides). */
  interaction: PairedDifference,
  /** Both minus adapter alone, and both minus prompt alone (paired). */
  bothVsAdapter: PairedDifference,
  bothVsPrompt: PairedDifference,
  criteria: DecisionCriteria,
  budgets: ProjectBudgets,
  experimentId: z.string(),
});
export type Recommendation = z.infer<typeof Recommendation>;

/** A recorded recommendation: immutable, with the sha256 of its canonical JSON so a release can cite it. */
export const Decision = Recommendation.extend({
  id: z.string(),
  projectId: z.string(),
  hash: z.string(),
  decidedAt: z.string(),
  actor: z.string(),
});
export type Decision = z.infer<typeof Decision>;

const byId = z.object({ id: Id }).strict();

export const projectsContract = defineService(
  'projects',
  {
    list: method(z.object({}).strict(), z.array(Project)),
    get: method(byId, Project),
    create: method(ProjectSpec, Project),
    /** Edits what may change as the project goes: budgets, criteria, failure categories, the task's words. */
    update: method(
      z
        .object({
          id: Id,
          budgets: ProjectBudgets.optional(),
          criteria: DecisionCriteria.optional(),
          failureCategories: z.array(z.string().trim().min(1).max(80)).max(32).optional(),
          task: z.string().trim().max(2000).optional(),
        })
        .strict(),
      Project,
    ),
    /** Marks a stage done, skipped or to do again. */
    setStage: method(z.object({ id: Id, stage: Stage, status: StageStatus }).strict(), Project),
    /** Moves a stage to a new place in the order (the decision stays last). */
    moveStage: method(z.object({ id: Id, stage: Stage, to: z.number().int().min(0).max(4) }).strict(), Project),
    /** The next step of the current stage. */
    proposal: method(byId, Proposal),
    /** Does the proposal: creates the specializations and experiment (or the training job) and starts it. */
    runNext: method(byId, Project),
    /** The recommendation from the project's prompt + adapter ablation under its criteria (records nothing). */
    recommend: method(z.object({ id: Id, criteria: DecisionCriteria.optional() }).strict(), Recommendation),
    /** Records the recommendation with its evidence; recorded decisions never change. */
    decide: method(byId, Decision),
    decisions: method(byId, z.array(Decision)),
  },
  {
    onChanged: z.object({ id: z.string() }),
  },
);
