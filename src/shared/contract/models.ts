// Base models registered in the open workspace: Hugging Face checkpoint folders on the user's disk, inspected by the
// engine worker and identified by their content hash. Registering never copies or changes the user's files.
import { z } from 'zod';
import { defineService, method } from './define';
import { FolderPath } from './workspace';
import { WeightFormat } from '../weight-format';
import { MetricKindName } from '../metrics';

export const ModelId = z.string().trim().min(1).max(64);
export const ModelName = z.string().trim().min(1, 'A name is required').max(120);

const count = z.number().int().nonnegative();
const SpecialToken = z.object({ token: z.string(), id: count }).nullable();

/** The architecture facts of config.json, under Hugging Face's field names (after transformers' defaults). */
export const ModelConfigFacts = z.object({
  architecture: z.string(),
  model_type: z.string(),
  vocab_size: count, // V
  hidden_size: count, // C
  intermediate_size: count,
  num_hidden_layers: count, // L
  num_attention_heads: count, // H
  num_key_value_heads: count, // kvH
  head_dim: count, // D
  rms_norm_eps: z.number(),
  rope_theta: z.number(),
  /** The RoPE scaling of the full-attention layers (llama3, linear or longrope); null for plain RoPE. */
  rope_scaling: z
    .object({
      rope_type: z.enum(['llama3', 'linear', 'longrope']),
      factor: z.number(),
      /** The pretraining context the scaling extends (llama3, longrope); null for linear. */
      original_max_position_embeddings: count.nullable().default(null),
      low_freq_factor: z.number().optional(),
      high_freq_factor: z.number().optional(),
    })
    .nullable(),
  max_position_embeddings: count,
  tie_word_embeddings: z.boolean(),
  /** True when any attention projection carries a bias (Qwen2). */
  attention_bias: z.boolean(),
  sliding_window: count.nullable(),
  torch_dtype: z.string().nullable(),
});
export type ModelConfigFacts = z.infer<typeof ModelConfigFacts>;

export const TokenizerFacts = z.object({
  /** Highest token id + 1, added tokens included. */
  vocabSize: count,
  specialTokens: z.object({ bos: SpecialToken, eos: SpecialToken, pad: SpecialToken, unk: SpecialToken }),
  /** Ids that end generation (generation_config.json, config.json and the tokenizer together). */
  eosTokenIds: z.array(count),
  hasChatTemplate: z.boolean(),
  /** tokenizer_config.json model_max_length when it is a real limit. */
  modelMaxLength: count.nullable(),
});
export type TokenizerFacts = z.infer<typeof TokenizerFacts>;

export const ModelDtype = z.enum(['F32', 'F16', 'BF16', 'mixed']);

export const ModelRecord = z.object({
  id: z.string(),
  name: z.string(),
  /** Absolute path of the checkpoint folder. */
  folder: z.string(),
  /**
   * The model's identity: sha256 over every file's name, size and whole-file sha256 (weights included). Models added
   * before weights were hashed keep their older header-only hash, unique within their workspace.
   */
  contentHash: z.string(),
  architecture: z.string(),
  parameters: count,
  bytesOnDisk: count,
  dtype: ModelDtype,
  contextLength: count,
  config: ModelConfigFacts,
  tokenizer: TokenizerFacts,
  addedAt: z.string(),
  /** The folder is still there and its files are unchanged since the model was added. */
  available: z.boolean(),
  /** Why it is not available (missing folder, changed file), null when it is. */
  unavailableReason: z.string().nullable(),
  /** Only hashing the files again (`recheck`) can tell whether they still match: a large file's date changed. */
  recheckable: z.boolean(),
  /** The precision its linear weights run at (a setting of this user, per model: settings' engine.weightFormats). */
  weightFormat: WeightFormat,
});
export type ModelRecord = z.infer<typeof ModelRecord>;

/** A model that ships with Dovetail (resources/models), ready to add in one click. */
export const BundledModel = z.object({
  name: z.string(),
  folder: z.string(),
  description: z.string(),
  /** The id of the registered model from this folder in the open workspace, or null. */
  modelId: z.string().nullable(),
});
export type BundledModel = z.infer<typeof BundledModel>;

export const ModelsChanged = z.object({
  change: z.enum(['added', 'updated', 'removed']),
  id: z.string(),
});
export type ModelsChanged = z.infer<typeof ModelsChanged>;

/** Hashing a folder's files (add, recheck): bytes read so far of the bytes to read. */
export const ModelHashProgress = z.object({
  folder: z.string(),
  /** The file being read, relative to the folder ('' once done). */
  file: z.string(),
  bytesDone: count,
  bytesTotal: count,
});
export type ModelHashProgress = z.infer<typeof ModelHashProgress>;
/** While setWeightFormat makes a model's 8-bit or 4-bit copy: source bytes read so far and in all. */
export const WeightsProgress = z.object({ id: z.string(), format: WeightFormat, done: count, total: count });
export type WeightsProgress = z.infer<typeof WeightsProgress>;

const byId = z.object({ id: ModelId }).strict();

/**
 * What a quantized format costs on text the model is run on: the mean change in nats per token against the stored
 * weights over the same documents (positive: the format predicts them worse), with its paired 95% bootstrap CI.
 */
export const WeightQuality = z.object({
  format: z.enum(['q8', 'q4']),
  datasetVersionId: z.string(),
  /** What was scored, e.g. "Support triage v1, test split (message)". */
  texts: z.string(),
  /** Documents scored and the tokens they hold. */
  n: count,
  tokens: count,
  delta: z.number(),
  low: z.number(),
  high: z.number(),
  storedPerplexity: z.number(),
  perplexity: z.number(),
  /** The bootstrap's seed: the same documents and seed give the same interval. */
  seed: count,
  measuredAt: z.string(),
});
export type WeightQuality = z.infer<typeof WeightQuality>;

/**
 * What a quantized format costs on a task: an experiment's cell generated again at the format, scored on its main
 * metric against the same rows at the stored precision (paired per row: McNemar for a pass/fail metric, else the
 * paired bootstrap CI of the change).
 */
export const TaskQuality = z.object({
  format: z.enum(['q8', 'q4']),
  experimentId: z.string(),
  experimentName: z.string(),
  datasetVersionId: z.string(),
  /** The rows, e.g. "Support triage v1, test split". */
  rows: z.string(),
  /** The cell: its specialization's name and, for an ablation, the cell's label. */
  cell: z.string(),
  metric: z.string(),
  /** How its numbers read (percentages for pass/fail metrics). */
  kind: MetricKindName,
  higherIsBetter: z.boolean(),
  /** Rows scored at both precisions. */
  n: count,
  stored: z.number(),
  value: z.number(),
  delta: z.number(),
  low: z.number(),
  high: z.number(),
  /** McNemar's p for a pass/fail metric; null otherwise. */
  p: z.number().nullable(),
  /** Outputs whose text differs from the stored precision's. */
  changed: count,
  seed: count,
  measuredAt: z.string(),
});
export type TaskQuality = z.infer<typeof TaskQuality>;

export const MeasureWeightQuality = z
  .object({
    id: ModelId,
    format: z.enum(['q8', 'q4']),
    /** A dataset version with a test split; its input fields are the text scored. */
    datasetVersionId: z.string().trim().min(1).max(64),
    limit: z.number().int().min(2).max(500).default(200),
    seed: count.default(1),
  })
  .strict();

export const modelsContract = defineService(
  'models',
  {
    /**
     * Inspects the folder, hashes every file (weights included; onHashProgress while it reads, cancelHashing stops it)
     * and registers it; the same model (content hash) added again returns the existing entry.
     */
    add: method(z.object({ folder: FolderPath, name: ModelName.optional() }).strict(), ModelRecord),
    /** Hashes a registered model's files again (onHashProgress; cancelHashing stops it) and says whether they match. */
    recheck: method(byId, ModelRecord),
    /** Stops the add or recheck hashing this folder (it then fails as cancelled); false when none is running. */
    cancelHashing: method(z.object({ folder: FolderPath }).strict(), z.boolean()),
    list: method(z.object({}).strict(), z.array(ModelRecord)),
    get: method(byId, ModelRecord),
    /** Unregisters the model; the folder and its files are left as they are. */
    remove: method(byId, z.null()),
    rename: method(z.object({ id: ModelId, name: ModelName }).strict(), ModelRecord),
    /** The models bundled with the app, for the "add the demo model" shortcut. */
    bundled: method(z.object({}).strict(), z.array(BundledModel)),
    /**
     * Runs the model at another weight precision from its next use: 'q8' / 'q4' make (or reuse) its quantized copy
     * first, with onWeightsProgress; the setting is saved only once that copy exists.
     */
    setWeightFormat: method(z.object({ id: ModelId, format: WeightFormat }).strict(), ModelRecord),
    /**
     * Measures what 8-bit or 4-bit weights cost this model on a dataset's test split (paired against the stored
     * weights, per document; progress as onWeightsProgress) and keeps the result beside the quantized copy.
     */
    measureWeightQuality: method(MeasureWeightQuality, WeightQuality),
    /** The last measurement per format and dataset version, newest first. */
    weightQuality: method(byId, z.array(WeightQuality)),
    /**
     * The last task measurement per format, dataset version, cell and metric (experiments' weight format checks),
     * newest first.
     */
    taskQuality: method(byId, z.array(TaskQuality)),
  },
  {
    onChanged: ModelsChanged,
    onHashProgress: ModelHashProgress,
    onWeightsProgress: WeightsProgress,
  },
);
