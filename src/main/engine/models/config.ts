// config.json of a Llama-family checkpoint (LlamaForCausalLM, Qwen2ForCausalLM, MistralForCausalLM) -> one validated,
// normalized DecoderConfig with Hugging Face field names and each architecture's transformers defaults applied.
// Pure: no file access (checkpoint.ts reads the file). RoPE frequencies from this config are in rope.ts.
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { describeIssues, firstIssuePath } from './files';

export const SUPPORTED_ARCHITECTURES = ['LlamaForCausalLM', 'Qwen2ForCausalLM', 'MistralForCausalLM'] as const;
export type Architecture = (typeof SUPPORTED_ARCHITECTURES)[number];

const MODEL_TYPES: Record<string, Architecture> = {
  llama: 'LlamaForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  mistral: 'MistralForCausalLM',
};

/** rope_scaling with rope_type "llama3" (Llama 3.1 / 3.2), the only scaled RoPE supported. */
export interface Llama3RopeScaling {
  rope_type: 'llama3';
  factor: number;
  low_freq_factor: number;
  high_freq_factor: number;
  original_max_position_embeddings: number;
}

export type LayerType = 'full_attention' | 'sliding_attention';

export interface DecoderConfig {
  architecture: Architecture;
  model_type: string;
  vocab_size: number; // V
  hidden_size: number; // C
  intermediate_size: number; // I
  num_hidden_layers: number; // L
  num_attention_heads: number; // H
  num_key_value_heads: number; // kvH (GQA: H % kvH == 0)
  head_dim: number; // D
  hidden_act: 'silu';
  rms_norm_eps: number;
  rope_theta: number;
  rope_scaling: Llama3RopeScaling | null;
  max_position_embeddings: number;
  /** Which attention projections carry a bias (Qwen2: q, k, v; Llama: all four when attention_bias). */
  attention_bias: { q_proj: boolean; k_proj: boolean; v_proj: boolean; o_proj: boolean };
  mlp_bias: boolean;
  tie_word_embeddings: boolean;
  bos_token_id: number | null;
  /** Always a list (Llama 3 instruct configs give several). */
  eos_token_id: number[];
  pad_token_id: number | null;
  /** Window size when any layer uses sliding-window attention, else null. */
  sliding_window: number | null;
  layer_types: LayerType[]; // [L]
  /** torch_dtype (or transformers 5 "dtype") as declared; the tensors' own dtypes are what count. */
  torch_dtype: string | null;
}

const positiveInt = z.number().int().positive();
/**
 * A size field with a ceiling far above any real checkpoint's (Gemma's vocab is 262,144; Llama 4's context 10M), so a
 * hostile config.json cannot make the loader build billions of expected tensor names or RoPE positions.
 */
const size = (max: number) => positiveInt.max(max, `is larger than any model Dovetail can run (at most ${max})`);
const tokenId = z.number().int().nonnegative();

const RawConfig = z.looseObject({
  architectures: z.array(z.string()).nullish(),
  model_type: z.string().nullish(),
  vocab_size: size(4_194_304),
  hidden_size: size(65_536),
  intermediate_size: size(262_144),
  num_hidden_layers: size(1_024),
  num_attention_heads: size(1_024),
  num_key_value_heads: size(1_024).nullish(),
  head_dim: size(4_096).nullish(),
  hidden_act: z.string().nullish(),
  rms_norm_eps: z.number().positive().nullish(),
  rope_theta: z.number().positive().nullish(),
  rope_scaling: z.record(z.string(), z.unknown()).nullish(),
  rope_parameters: z.record(z.string(), z.unknown()).nullish(),
  partial_rotary_factor: z.number().nullish(),
  max_position_embeddings: size(16_777_216).nullish(),
  attention_bias: z.boolean().nullish(),
  mlp_bias: z.boolean().nullish(),
  tie_word_embeddings: z.boolean().nullish(),
  bos_token_id: tokenId.nullish(),
  eos_token_id: z.union([tokenId, z.array(tokenId)]).nullish(),
  pad_token_id: tokenId.nullish(),
  sliding_window: positiveInt.nullish(),
  use_sliding_window: z.boolean().nullish(),
  max_window_layers: z.number().int().nonnegative().nullish(),
  layer_types: z.array(z.string()).nullish(),
  torch_dtype: z.string().nullish(),
  dtype: z.string().nullish(),
});
type RawConfig = z.infer<typeof RawConfig>;

const Llama3Fields = z.object({
  factor: z.number().positive(),
  low_freq_factor: z.number().positive(),
  high_freq_factor: z.number().positive(),
  original_max_position_embeddings: positiveInt,
});

/** transformers' defaults for fields a config.json may leave out (LlamaConfig, Qwen2Config, MistralConfig). */
const DEFAULTS: Record<Architecture, { max_position_embeddings: number; sliding_window: number | null }> = {
  LlamaForCausalLM: { max_position_embeddings: 2048, sliding_window: null },
  Qwen2ForCausalLM: { max_position_embeddings: 32768, sliding_window: 4096 },
  MistralForCausalLM: { max_position_embeddings: 4096 * 32, sliding_window: 4096 },
};

/**
 * Validates a parsed config.json. `where` is the file path used in error messages.
 * Throws UserError (code 'model-config') naming config.json and the field.
 */
export function parseDecoderConfig(json: unknown, where = 'config.json'): DecoderConfig {
  const fail = (field: string, message: string, hint: string): never => {
    throw new UserError(`config.json: ${field}: ${message}`, {
      where: `${where}: ${field}`,
      hint,
      code: 'model-config',
    });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(
      '(top level)',
      'expected a JSON object',
      'config.json must be the model configuration saved by transformers.',
    );
  }
  if ('quantization_config' in json) {
    fail(
      'quantization_config',
      'quantized checkpoints are not supported',
      'Use the unquantized (F32, F16 or BF16) checkpoint.',
    );
  }
  const architecture = detectArchitecture(json as Record<string, unknown>, fail);
  const parsed = RawConfig.safeParse(json);
  if (!parsed.success) {
    const field = firstIssuePath(parsed.error);
    const missing = field !== '' && !(field in json);
    fail(
      field,
      missing ? 'is missing' : describeIssues(parsed.error),
      'Compare config.json with the original checkpoint; every LlamaForCausalLM, Qwen2ForCausalLM and ' +
        'MistralForCausalLM config has vocab_size, hidden_size, intermediate_size, num_hidden_layers and ' +
        'num_attention_heads.',
    );
  }
  const raw = parsed.data as RawConfig;
  const defaults = DEFAULTS[architecture];

  const hiddenAct = raw.hidden_act ?? 'silu';
  if (hiddenAct !== 'silu') {
    fail(
      'hidden_act',
      `"${hiddenAct}" is not supported (Llama-family models use "silu")`,
      'This checkpoint is not a standard Llama-family model.',
    );
  }
  const heads = raw.num_attention_heads;
  const kvHeads = raw.num_key_value_heads ?? heads;
  if (heads % kvHeads !== 0) {
    fail(
      'num_key_value_heads',
      `${kvHeads} does not divide num_attention_heads (${heads})`,
      'Grouped-query attention needs num_attention_heads to be a multiple of num_key_value_heads.',
    );
  }
  if (raw.head_dim == null && raw.hidden_size % heads !== 0) {
    fail(
      'num_attention_heads',
      `${heads} does not divide hidden_size (${raw.hidden_size}) and head_dim is not given`,
      'Add head_dim to config.json, or check hidden_size and num_attention_heads.',
    );
  }
  const headDim = raw.head_dim ?? raw.hidden_size / heads;
  if (headDim % 2 !== 0)
    fail(
      'head_dim',
      `${headDim} is odd; rotary embeddings need an even head_dim`,
      'Check head_dim, hidden_size and num_attention_heads.',
    );
  if (raw.partial_rotary_factor != null && raw.partial_rotary_factor !== 1) {
    fail(
      'partial_rotary_factor',
      `${raw.partial_rotary_factor} is not supported (only 1)`,
      'Llama-family models rotate the whole head.',
    );
  }

  const { rope_theta, rope_scaling } = parseRope(raw, fail);
  const maxPositions = raw.max_position_embeddings ?? defaults.max_position_embeddings;
  const layerTypes = parseLayerTypes(raw, architecture, fail);
  const slidingWindow = layerTypes.includes('sliding_attention')
    ? (raw.sliding_window ?? defaults.sliding_window)
    : null;
  if (layerTypes.includes('sliding_attention') && slidingWindow === null) {
    fail(
      'sliding_window',
      'is null but layer_types uses sliding_attention',
      'Give sliding_window, or make every layer full_attention.',
    );
  }

  const eos = raw.eos_token_id == null ? [] : Array.isArray(raw.eos_token_id) ? raw.eos_token_id : [raw.eos_token_id];
  const tokenFields: [string, number | null | undefined][] = [
    ['bos_token_id', raw.bos_token_id],
    ['pad_token_id', raw.pad_token_id],
    ...eos.map((id): [string, number] => ['eos_token_id', id]),
  ];
  for (const [field, id] of tokenFields) {
    if (id != null && id >= raw.vocab_size)
      fail(
        field,
        `${id} is outside the vocabulary (vocab_size ${raw.vocab_size})`,
        'Check the token ids against vocab_size.',
      );
  }

  const bias = raw.attention_bias ?? false;
  return {
    architecture,
    model_type: raw.model_type ?? Object.keys(MODEL_TYPES).find((k) => MODEL_TYPES[k] === architecture) ?? '',
    vocab_size: raw.vocab_size,
    hidden_size: raw.hidden_size,
    intermediate_size: raw.intermediate_size,
    num_hidden_layers: raw.num_hidden_layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    head_dim: headDim,
    hidden_act: 'silu',
    rms_norm_eps: raw.rms_norm_eps ?? 1e-6,
    rope_theta,
    rope_scaling,
    max_position_embeddings: maxPositions,
    attention_bias:
      architecture === 'Qwen2ForCausalLM'
        ? { q_proj: true, k_proj: true, v_proj: true, o_proj: false }
        : architecture === 'LlamaForCausalLM'
          ? { q_proj: bias, k_proj: bias, v_proj: bias, o_proj: bias }
          : { q_proj: false, k_proj: false, v_proj: false, o_proj: false },
    mlp_bias: architecture === 'LlamaForCausalLM' ? (raw.mlp_bias ?? false) : false,
    tie_word_embeddings: raw.tie_word_embeddings ?? false,
    bos_token_id: raw.bos_token_id ?? null,
    eos_token_id: eos,
    pad_token_id: raw.pad_token_id ?? null,
    sliding_window: slidingWindow,
    layer_types: layerTypes,
    torch_dtype: raw.torch_dtype ?? raw.dtype ?? null,
  };
}

type Fail = (field: string, message: string, hint: string) => never;

function detectArchitecture(json: Record<string, unknown>, fail: Fail): Architecture {
  const supported = SUPPORTED_ARCHITECTURES.join(', ');
  const hint = `Dovetail runs ${supported} checkpoints (Llama, SmolLM, TinyLlama, Qwen2/2.5, Mistral).`;
  const architectures = json['architectures'];
  if (Array.isArray(architectures) && architectures.length > 0) {
    const found = architectures.find((a): a is Architecture => SUPPORTED_ARCHITECTURES.includes(a as Architecture));
    if (found) return found;
    return fail('architectures', `${architectures.map(String).join(', ')} is not supported`, hint);
  }
  const modelType = json['model_type'];
  if (typeof modelType === 'string') {
    const found = MODEL_TYPES[modelType];
    if (found) return found;
    return fail('model_type', `"${modelType}" is not supported`, hint);
  }
  return fail('architectures', 'is missing (and so is model_type)', hint);
}

function parseRope(raw: RawConfig, fail: Fail): { rope_theta: number; rope_scaling: Llama3RopeScaling | null } {
  // transformers 5 writes rope_parameters {rope_type, rope_theta, ...}; 4.x writes rope_theta and rope_scaling.
  const params = raw.rope_parameters ?? null;
  const paramsTheta = params?.['rope_theta'];
  if (paramsTheta !== undefined && (typeof paramsTheta !== 'number' || !(paramsTheta > 0))) {
    fail(
      'rope_parameters.rope_theta',
      'expected a positive number',
      'Check the RoPE settings against the original checkpoint.',
    );
  }
  const rope_theta = (paramsTheta as number | undefined) ?? raw.rope_theta ?? 10000;
  const field = raw.rope_scaling != null ? 'rope_scaling' : 'rope_parameters';
  const scaling = raw.rope_scaling ?? params;
  if (scaling === null) return { rope_theta, rope_scaling: null };
  const type = scaling['rope_type'] ?? scaling['type'];
  if (type === 'default' || (type === undefined && field === 'rope_parameters'))
    return { rope_theta, rope_scaling: null };
  if (type !== 'llama3') {
    const name = type === undefined ? 'no rope_type' : `rope_type "${String(type)}"`;
    fail(
      `${field}.rope_type`,
      `${name} is not supported`,
      'Dovetail supports default RoPE and the "llama3" scaling of Llama 3.1/3.2.',
    );
  }
  const fields = Llama3Fields.safeParse(scaling);
  if (!fields.success) {
    fail(
      `${field}.${firstIssuePath(fields.error)}`,
      describeIssues(fields.error),
      'llama3 scaling needs factor, low_freq_factor, high_freq_factor and original_max_position_embeddings.',
    );
  }
  const f = fields.data as z.infer<typeof Llama3Fields>;
  if (f.high_freq_factor <= f.low_freq_factor) {
    fail(
      `${field}.high_freq_factor`,
      `${f.high_freq_factor} must be greater than low_freq_factor (${f.low_freq_factor})`,
      'Check the RoPE settings against the original checkpoint.',
    );
  }
  return { rope_theta, rope_scaling: { rope_type: 'llama3', ...f } };
}

function parseLayerTypes(raw: RawConfig, architecture: Architecture, fail: Fail): LayerType[] {
  const n = raw.num_hidden_layers;
  if (raw.layer_types != null) {
    if (raw.layer_types.length !== n) {
      fail(
        'layer_types',
        `has ${raw.layer_types.length} entries but num_hidden_layers is ${n}`,
        'Give one entry per layer.',
      );
    }
    return raw.layer_types.map((t, i) =>
      t === 'full_attention' || t === 'sliding_attention'
        ? t
        : fail(`layer_types.${i}`, `"${t}" is not supported`, 'Use "full_attention" or "sliding_attention".'),
    );
  }
  const all = (t: LayerType): LayerType[] => Array.from({ length: n }, () => t);
  switch (architecture) {
    case 'LlamaForCausalLM':
      return all('full_attention');
    case 'MistralForCausalLM': {
      // MistralConfig defaults sliding_window to 4096; an explicit null turns it off (Mistral v0.2+).
      const window = 'sliding_window' in raw ? raw.sliding_window : DEFAULTS.MistralForCausalLM.sliding_window;
      return all(window == null ? 'full_attention' : 'sliding_attention');
    }
    case 'Qwen2ForCausalLM': {
      // Qwen2: sliding only with use_sliding_window, and only for layers from max_window_layers on.
      const on =
        raw.use_sliding_window === true && (raw.sliding_window ?? DEFAULTS.Qwen2ForCausalLM.sliding_window) != null;
      const from = raw.max_window_layers ?? 28;
      return Array.from({ length: n }, (_, i) => (on && i >= from ? 'sliding_attention' : 'full_attention'));
    }
  }
}
