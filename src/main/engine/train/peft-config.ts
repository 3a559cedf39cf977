// adapter_config.json (peft LoraConfig / PromptTuningConfig as saved by save_pretrained): zod schemas, the checks
// for what Dovetail's engine runs (clear errors for the rest), and the configs Dovetail writes. Field names are PEFT's.
import { basename } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { describeIssues, firstIssuePath } from './json-files';

const names = z.union([z.array(z.string()), z.string()]);

/** LoraConfig fields that change the computation; the rest (e.g. megatron_config, loftq_config) are kept, unread. */
export const LoraConfigJson = z.looseObject({
  peft_type: z.literal('LORA'),
  task_type: z.string().nullish(),
  base_model_name_or_path: z.string().nullish(),
  revision: z.string().nullish(),
  inference_mode: z.boolean().nullish(),
  r: z.number().int().positive().default(8),
  lora_alpha: z.number().finite().default(8),
  lora_dropout: z.number().min(0).max(1).default(0),
  use_rslora: z.boolean().default(false),
  /**
   * A list of name suffixes, a full-match regex, "all-linear", or null (the model type's default, q_proj and v_proj).
   */
  target_modules: names.nullish(),
  exclude_modules: names.nullish(),
  bias: z.string().default('none'),
  fan_in_fan_out: z.boolean().default(false),
  modules_to_save: z.array(z.string()).nullish(),
  layers_to_transform: z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]).nullish(),
  layers_pattern: names.nullish(),
  rank_pattern: z.record(z.string(), z.number().int().positive()).nullish(),
  alpha_pattern: z.record(z.string(), z.number().finite()).nullish(),
  use_dora: z.boolean().nullish(),
  lora_bias: z.boolean().nullish(),
  init_lora_weights: z.union([z.boolean(), z.string()]).nullish(),
  layer_replication: z.unknown().optional(),
  target_parameters: z.unknown().optional(),
  trainable_token_indices: z.unknown().optional(),
  alora_invocation_tokens: z.unknown().optional(),
  use_qalora: z.boolean().nullish(),
  use_bdlora: z.unknown().optional(),
});
export type LoraConfigJson = z.infer<typeof LoraConfigJson>;

export const PromptTuningConfigJson = z.looseObject({
  peft_type: z.literal('PROMPT_TUNING'),
  task_type: z.string().nullish(),
  base_model_name_or_path: z.string().nullish(),
  revision: z.string().nullish(),
  inference_mode: z.boolean().nullish(),
  num_virtual_tokens: z.number().int().positive(),
  token_dim: z.number().int().positive().nullish(),
  num_transformer_submodules: z.number().int().positive().nullish(),
  num_attention_heads: z.number().int().positive().nullish(),
  num_layers: z.number().int().positive().nullish(),
  prompt_tuning_init: z.enum(['TEXT', 'SAMPLE_VOCAB', 'RANDOM']).default('RANDOM'),
  prompt_tuning_init_text: z.string().nullish(),
  tokenizer_name_or_path: z.string().nullish(),
  modules_to_save: z.array(z.string()).nullish(),
});
export type PromptTuningConfigJson = z.infer<typeof PromptTuningConfigJson>;

export type PeftConfigJson = LoraConfigJson | PromptTuningConfigJson;

export const SUPPORTED_PEFT_TYPES = ['LORA', 'PROMPT_TUNING'] as const;

/** init_lora_weights values after which the saved A/B only work with base weights PEFT rewrote in place. */
const BASE_MUTATING_INITS = /^(pissa.*|olora|corda|loftq)$/;

function unsupported(path: string, field: string, message: string, hint: string): UserError {
  return new UserError(`${basename(path)}: ${field}: ${message}`, {
    where: `${path}: ${field}`,
    hint,
    code: 'adapter-unsupported',
  });
}

/** Validates adapter_config.json for the two supported peft_types and everything that would change the math. */
export function parsePeftConfig(json: unknown, path: string): PeftConfigJson {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UserError(`${basename(path)}: expected a JSON object`, {
      where: path,
      hint: 'adapter_config.json is written by PEFT save_pretrained.',
      code: 'adapter-config',
    });
  }
  const peftType = (json as { peft_type?: unknown }).peft_type;
  if (peftType === undefined) {
    throw new UserError(`${basename(path)}: peft_type is missing`, {
      where: `${path}: peft_type`,
      hint: 'PEFT needs at least peft_type ("LORA" or "PROMPT_TUNING").',
      code: 'adapter-config',
    });
  }
  if (!SUPPORTED_PEFT_TYPES.includes(peftType as never)) {
    throw unsupported(
      path,
      'peft_type',
      `"${String(peftType)}" is not supported; Dovetail runs ${SUPPORTED_PEFT_TYPES.join(' and ')} adapters`,
      'Train or export the adapter as a LoRA (LoraConfig) or prompt tuning (PromptTuningConfig).',
    );
  }
  const schema = peftType === 'LORA' ? LoraConfigJson : PromptTuningConfigJson;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new UserError(`${basename(path)}: ${describeIssues(parsed.error)}`, {
      where: `${path}: ${firstIssuePath(parsed.error)}`,
      hint: 'Compare the file with one written by PEFT save_pretrained for the same peft_type.',
      code: 'adapter-config',
    });
  }
  const config = parsed.data;
  checkCommon(config, path);
  if (config.peft_type === 'LORA') checkLora(config, path);
  else checkPromptTuning(config, path);
  return config;
}

function checkCommon(config: PeftConfigJson, path: string): void {
  if (config.task_type != null && config.task_type !== 'CAUSAL_LM') {
    throw unsupported(
      path,
      'task_type',
      `"${config.task_type}" is not supported; Dovetail serves causal language models`,
      'Use an adapter trained with task_type "CAUSAL_LM".',
    );
  }
  if (config.modules_to_save != null && config.modules_to_save.length > 0) {
    throw unsupported(
      path,
      'modules_to_save',
      `[${config.modules_to_save.join(', ')}] are fully trained copies of base modules, which Dovetail does not load`,
      'Retrain without modules_to_save, or merge the adapter into the model with PEFT merge_and_unload().',
    );
  }
}

function checkLora(config: LoraConfigJson, path: string): void {
  const reject = (field: string, message: string, hint: string): never => {
    throw unsupported(path, field, message, hint);
  };
  if (config.bias !== 'none')
    reject(
      'bias',
      `"${config.bias}" trains base-layer biases; Dovetail supports bias "none" only`,
      'Retrain with bias="none" (vLLM requires it too).',
    );
  if (config.use_dora)
    reject(
      'use_dora',
      'DoRA adapters are not supported',
      'Retrain without use_dora, or merge the adapter into the model with PEFT.',
    );
  if (config.lora_bias) reject('lora_bias', 'LoRA biases are not supported', 'Retrain with lora_bias=false.');
  if (config.use_qalora) reject('use_qalora', 'QA-LoRA adapters are not supported', 'Retrain without use_qalora.');
  for (const field of [
    'layer_replication',
    'target_parameters',
    'trainable_token_indices',
    'alora_invocation_tokens',
    'use_bdlora',
  ] as const) {
    const value = config[field];
    if (value != null && value !== false)
      reject(field, 'is set; Dovetail does not support this PEFT feature', `Retrain without ${field}.`);
  }
  const init = config.init_lora_weights;
  if (typeof init === 'string' && BASE_MUTATING_INITS.test(init)) {
    reject(
      'init_lora_weights',
      `"${init}" rewrites the base weights, so the adapter only works with that modified base model`,
      'Convert it to a plain LoRA with PEFT (save_pretrained with path_initial_model_for_weight_conversion).',
    );
  }
}

function checkPromptTuning(config: PromptTuningConfigJson, path: string): void {
  if ((config.num_transformer_submodules ?? 1) !== 1) {
    throw unsupported(
      path,
      'num_transformer_submodules',
      `${config.num_transformer_submodules} (encoder-decoder prompt tuning) is not supported`,
      'Decoder-only models use num_transformer_submodules 1.',
    );
  }
}

/** Options of a LoRA that Dovetail trained (PEFT names). */
export interface LoraHyperParameters {
  r: number;
  lora_alpha: number;
  use_rslora?: boolean;
  lora_dropout?: number;
  target_modules: readonly string[];
  init_lora_weights?: boolean | 'gaussian';
}

/** The LoraConfig fields PEFT (>= 0.14) saves, with PEFT's defaults; loads in PEFT and vLLM. */
export function loraConfigJson(h: LoraHyperParameters, baseModelNameOrPath: string | null): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModelNameOrPath,
    revision: null,
    inference_mode: true,
    r: h.r,
    lora_alpha: h.lora_alpha,
    lora_dropout: h.lora_dropout ?? 0,
    target_modules: [...h.target_modules],
    exclude_modules: null,
    bias: 'none',
    use_rslora: h.use_rslora ?? false,
    use_dora: false,
    fan_in_fan_out: false,
    modules_to_save: null,
    init_lora_weights: h.init_lora_weights ?? true,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    lora_bias: false,
  };
}

/** Options of a soft prompt that Dovetail trained. */
export interface PromptTuningOptions {
  prompt_tuning_init?: 'RANDOM' | 'TEXT' | 'SAMPLE_VOCAB';
  prompt_tuning_init_text?: string | null;
  tokenizer_name_or_path?: string | null;
}

/** The PromptTuningConfig fields PEFT saves for a decoder-only model (n = num_virtual_tokens, C = token_dim). */
export function promptTuningConfigJson(
  shape: { n: number; C: number; numAttentionHeads: number; numLayers: number },
  options: PromptTuningOptions,
  baseModelNameOrPath: string | null,
): Record<string, unknown> {
  const init = options.prompt_tuning_init ?? 'RANDOM';
  return {
    peft_type: 'PROMPT_TUNING',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModelNameOrPath,
    revision: null,
    inference_mode: true,
    num_virtual_tokens: shape.n,
    token_dim: shape.C,
    num_transformer_submodules: 1,
    num_attention_heads: shape.numAttentionHeads,
    num_layers: shape.numLayers,
    prompt_tuning_init: init,
    prompt_tuning_init_text: init === 'TEXT' ? (options.prompt_tuning_init_text ?? null) : null,
    tokenizer_name_or_path: init === 'TEXT' ? (options.tokenizer_name_or_path ?? baseModelNameOrPath) : null,
    tokenizer_kwargs: null,
    modules_to_save: null,
  };
}
