// The adapters service: training jobs (LoRA and/or soft prompt on rendered rows; estimate, pause, resume, cancel,
// progress) and the registered adapter versions with lineage, active-check and vLLM reports; PEFT import and export.
import { z } from 'zod';
import { DEFAULT_TARGET_MODULES, LORA_MODULES, MAX_LORA_RANK, MAX_VIRTUAL_TOKENS } from '../lora';
import { defineService, method } from './define';
import { ModelId } from './models';
import { FolderPath } from './workspace';

const count = z.number().int().nonnegative();
const steps = z.number().int().min(1);
const positive = z.number().positive();
const Id = z.string().trim().min(1).max(64);

export { LORA_MODULES } from '../lora';
export const BUNDLED_DATASETS = ['support-triage', 'wordnet-supersense'] as const;

/**
 * Where the rows come from: a dataset version of the workspace (its train split; the validation split for the
 * validation loss; the target is the dataset's reference field), a bundled demo dataset or a JSONL file.
 */
export const TrainingDataSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dataset'), datasetVersionId: Id }).strict(),
  z.object({ kind: z.literal('bundled'), dataset: z.enum(BUNDLED_DATASETS) }).strict(),
  z
    .object({ kind: z.literal('jsonl'), path: FolderPath, validationPath: FolderPath.nullable().default(null) })
    .strict(),
]);
export type TrainingDataSource = z.infer<typeof TrainingDataSource>;

/**
 * Each row -> (prompt, target): `prompt` is Jinja over the row's fields (plus `input`), the target is the output field.
 */
export const TrainingTemplate = z
  .object({
    inputField: z.string().trim().min(1),
    outputField: z.string().trim().min(1),
    prompt: z.string().min(1),
    /** Wrap the rendered prompt as a user turn in the model's chat template (with the generation prompt). */
    chat: z.boolean().default(false),
    /**
     * A saved template version (dataset sources): its source and chat setting replace `prompt` and `chat`, and rows are
     * rendered exactly as experiments render them (fields by name, `examples` empty), so the adapter is trained on
     * the prompt it will be served with.
     */
    templateVersionId: Id.nullable().default(null),
    /** Use only the first N training rows (null: all). */
    maxRows: steps.nullable().default(null),
    /** Validation rows used for the validation loss (from the validation split or file; 0: none). */
    validationRows: count.max(10_000).default(32),
  })
  .strict();
export type TrainingTemplate = z.infer<typeof TrainingTemplate>;

export const TrainingMethod = z.enum(['lora', 'soft-prompt', 'both']);
export type TrainingMethod = z.infer<typeof TrainingMethod>;

export const LoraSettings = z
  .object({
    r: steps.max(MAX_LORA_RANK).default(8),
    alpha: positive.default(16),
    targets: z
      .array(z.enum(LORA_MODULES))
      .min(1)
      .default([...DEFAULT_TARGET_MODULES]),
    rslora: z.boolean().default(false),
    /** PEFT lora_dropout on the LoRA input path during training (0: off). */
    dropout: z.number().min(0).lt(1).default(0),
  })
  .strict();

export const SoftPromptSettings = z
  .object({
    n: steps.max(MAX_VIRTUAL_TOKENS).default(8),
    init: z.enum(['random', 'text']).default('random'),
    initText: z.string().nullable().default(null),
  })
  .strict();

/** lr null: 2e-4 for LoRA alone, 3e-2 for a soft prompt alone, 1e-3 for both. */
export const HyperParameters = z
  .object({
    lr: positive.nullable().default(null),
    epochs: steps.max(1000).default(1),
    maxSteps: steps.nullable().default(null),
    batchSize: steps.max(1024).default(4),
    gradientAccumulationSteps: steps.max(1024).default(1),
    warmupSteps: count.default(0),
    schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
    weightDecay: z.number().nonnegative().default(0.01),
    maxGradNorm: positive.nullable().default(1),
    maxLength: steps.nullable().default(null),
    dropTooLong: z.boolean().default(false),
    evalEvery: steps.nullable().default(10),
    checkpointEvery: steps.nullable().default(10),
    patience: steps.nullable().default(null),
    seed: count.default(0),
  })
  .strict();
export type HyperParameters = z.infer<typeof HyperParameters>;

export const TrainingSpec = z
  .object({
    modelId: ModelId,
    data: TrainingDataSource,
    template: TrainingTemplate,
    method: TrainingMethod.default('lora'),
    lora: LoraSettings.prefault({}),
    softPrompt: SoftPromptSettings.prefault({}),
    hyper: HyperParameters.prefault({}),
    name: z.string().trim().min(1).max(120).nullable().default(null),
  })
  .strict();
export type TrainingSpec = z.infer<typeof TrainingSpec>;
export type TrainingSpecIn = z.input<typeof TrainingSpec>;

export const TooLongRow = z.object({ row: count, tokens: count });

export const TrainingEstimate = z.object({
  rows: count,
  validationRows: count,
  tokens: count,
  targetTokens: count,
  maxRowTokens: count,
  maxLength: count,
  /** Rows over maxLength (row = 0-based training row; shown 1-based). */
  tooLong: z.array(TooLongRow),
  steps: count,
  trainableParameters: count,
  /**
   * tokens/s used for the time estimate, and where it comes from: a few real steps of this very run just measured on
   * this machine ('calibrated'), an earlier job on this model ('measured'), or a formula.
   */
  tokensPerSecond: z.number(),
  tokensPerSecondSource: z.enum(['calibrated', 'measured', 'formula']),
  /** The calibration behind a 'calibrated' estimate: its real steps, seconds per step, and the one-off start-up. */
  calibration: z.object({ steps: count, stepSeconds: z.number(), setupSeconds: z.number() }).nullable().default(null),
  seconds: z.number(),
  memoryBytes: count,
  /** The first rendered (prompt, target) pair, for the template preview. */
  preview: z.object({ prompt: z.string(), target: z.string() }).nullable(),
  /**
   * Names the prompt template reads that rows do not set (rendered as empty text), with their line and row count;
   * personal data in the training rows; training rows that repeat rows an experiment evaluates.
   */
  warnings: z.array(z.string()).default([]),
  /** Where the personal data found in the training rows is listed (the version's Personal data panel); null: none. */
  personalData: z.object({ datasetVersionId: z.string(), findings: count }).nullable().optional(),
});
export type TrainingEstimate = z.infer<typeof TrainingEstimate>;

export const JobState = z.enum([
  'running',
  'pausing',
  'paused',
  'interrupted',
  'cancelled',
  'failed',
  'checking',
  'completed',
]);
export type JobState = z.infer<typeof JobState>;

export const TrainingProgress = z.object({
  step: count,
  totalSteps: count,
  epoch: count,
  loss: z.number().nullable(),
  valLoss: z.number().nullable(),
  lr: z.number(),
  tokensPerSecond: z.number(),
  etaSeconds: z.number(),
  peakRssBytes: count,
});
export type TrainingProgress = z.infer<typeof TrainingProgress>;

export const LossPoint = z.object({ step: count, loss: z.number() });
export const LossHistory = z.object({ train: z.array(LossPoint), validation: z.array(LossPoint) });
export type LossHistory = z.infer<typeof LossHistory>;

export const JobError = z.object({ message: z.string(), code: z.string().nullable(), hint: z.string().nullable() });

export const TrainingJob = z.object({
  id: Id,
  name: z.string(),
  modelId: z.string(),
  state: JobState,
  spec: TrainingSpec,
  progress: TrainingProgress.nullable(),
  history: LossHistory,
  error: JobError.nullable(),
  adapterId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TrainingJob = z.infer<typeof TrainingJob>;

export const AdapterCheck = z.object({
  active: z.boolean(),
  maxAbsDelta: z.number(),
  argmaxChanged: count,
  positions: count,
  threshold: z.number(),
});
export const VllmCompatibility = z.object({
  compatible: z.boolean(),
  problems: z.array(z.object({ rule: z.string(), message: z.string() })),
});

export const AdapterRecord = z.object({
  id: Id,
  name: z.string(),
  modelId: z.string(),
  baseContentHash: z.string(),
  method: TrainingMethod,
  source: z.enum(['trained', 'imported']),
  folder: z.string(),
  jobId: z.string().nullable(),
  finalLoss: z.number().nullable(),
  finalValLoss: z.number().nullable(),
  check: AdapterCheck,
  vllm: VllmCompatibility,
  createdAt: z.string(),
});
export type AdapterRecord = z.infer<typeof AdapterRecord>;

export const AdapterDetails = AdapterRecord.extend({
  /** dovetail_adapter.json as written (base model, data, template, hyper-parameters, final losses, file hashes). */
  lineage: z.record(z.string(), z.unknown()),
  /**
   * What a trained adapter was trained on in this workspace: the dataset version and saved template version (null:
   * other sources, or imported).
   */
  training: z
    .object({ datasetVersionId: z.string().nullable(), templateVersionId: z.string().nullable() })
    .nullable()
    .default(null),
  history: LossHistory,
});
export type AdapterDetails = z.infer<typeof AdapterDetails>;

const byId = z.object({ id: Id }).strict();

export const AdapterExport = z.object({
  /** The folder or .zip written (absolute). */
  path: z.string(),
  format: z.enum(['folder', 'zip']),
  /** Relative paths of the files in it. */
  files: z.array(z.string()),
  /** adapter_config.json's base_model_name_or_path. */
  baseModelNameOrPath: z.string(),
});
export type AdapterExport = z.infer<typeof AdapterExport>;

/**
 * "Export job": a job (stored, by id) or a planned one (its spec) as a folder for transformers + PEFT + accelerate.
 * baseModelId: a larger registered model of the same family (null: the job's model).
 */
export const JobExportRequest = z
  .object({
    jobId: Id.nullable().default(null),
    spec: TrainingSpec.nullable().default(null),
    to: FolderPath,
    baseModelId: ModelId.nullable().default(null),
    /** Processes of the multi-GPU accelerate config (the single-GPU one is always written). */
    gpus: z.number().int().min(1).max(64).default(2),
  })
  .strict()
  .refine((r) => (r.jobId === null) !== (r.spec === null), {
    message: 'give either jobId (a stored job) or spec (a planned one)',
    path: ['jobId'],
  });

export const JobExport = z.object({
  path: z.string(),
  /** Random id of this export, recorded in job.json and in the lineage of the adapter imported from its output. */
  exportId: z.string(),
  files: z.array(z.string()),
  rows: count,
  validationRows: count,
  totalSteps: count,
  /** Dovetail's loss of step 0 at the initial weights (null when exported for another base). */
  step0Loss: z.number().nullable(),
  baseModelId: z.string(),
  command: z.string(),
  accelerateCommand: z.string(),
});
export type JobExport = z.infer<typeof JobExport>;

export const adaptersContract = defineService(
  'adapters',
  {
    /** Tokens, steps, time and memory of a run, the over-long rows, and a rendered preview row; starts nothing. */
    estimate: method(TrainingSpec, TrainingEstimate),
    /**
     * The estimate with its time calibrated: runs a few real training steps of this spec (nothing is kept) and times
     * them; takes seconds, and holds the engine meanwhile.
     */
    calibrate: method(TrainingSpec, TrainingEstimate),
    /** Starts a training job and answers at once; progress comes as onProgress events. */
    startTraining: method(TrainingSpec, TrainingJob),
    /** Stops at the next step boundary keeping the checkpoint; resume continues from it. */
    pause: method(byId, TrainingJob),
    resume: method(byId, TrainingJob),
    /** Stops and discards the job's checkpoints. */
    cancel: method(byId, TrainingJob),
    jobs: method(z.object({}).strict(), z.array(TrainingJob)),
    job: method(byId, TrainingJob),
    list: method(z.object({}).strict(), z.array(AdapterRecord)),
    get: method(byId, AdapterDetails),
    /** Reads a PEFT folder against the model, runs the adapter-active check, copies it into the workspace. */
    importPeft: method(
      z.object({ folder: FolderPath, modelId: ModelId, name: z.string().trim().min(1).max(120).optional() }).strict(),
      AdapterRecord,
    ),
    /**
     * Writes the adapter as a PEFT folder, or a .zip of one when `to` ends in .zip (either must not exist yet):
     * adapter_config.json naming the base model's folder, the weights, the soft prompt in prompt_tuning/, a README.md
     * model card and the lineage. Nothing is left behind when it fails.
     */
    export: method(z.object({ id: Id, to: FolderPath }).strict(), AdapterExport),
    /**
     * Writes a training job (finished or planned) as a folder that transformers + PEFT (+ accelerate) run elsewhere:
     * the rows as tokenized, the step plan, the initial weights and PEFT configs, a script, accelerate configs, a
     * README and a manifest of sha256 digests. Its output imports back with importPeft, with lineage to the job.
     */
    exportJob: method(JobExportRequest, JobExport),
    /** Unregisters the adapter and deletes its copy in the workspace. */
    remove: method(byId, z.null()),
  },
  {
    onProgress: z.object({ jobId: z.string(), progress: TrainingProgress }),
    onJobChanged: z.object({ jobId: z.string(), state: JobState }),
    onChanged: z.object({ change: z.enum(['added', 'removed']), id: z.string() }),
  },
);
