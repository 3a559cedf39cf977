// config.json of a supported decoder checkpoint (Llama, Qwen2, Mistral, Qwen3, Phi-3, Gemma 2, Gemma 3 text) -> one
// validated, normalized DecoderConfig with Hugging Face field names and each architecture's transformers defaults
// applied. Pure: no file access (checkpoint.ts reads the file). RoPE fields: config-rope.ts; frequencies: rope.ts.
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { ARCHITECTURE_NAMES, detectArchitecture, type Architecture } from './architectures';
import { parseRope, type Fail, type RopeParameters, type RopeScaling } from './config-rope';
import { describeIssues, firstIssuePath } from './files';

export { SUPPORTED_ARCHITECTURES, type Architecture } from './architectures';
export type { Llama3RopeScaling, LinearRopeScaling, LongRopeScaling, RopeParameters, RopeScaling } from './config-rope';

export type LayerType = 'full_attention' | 'sliding_attention';
export type HiddenAct = 'silu' | 'gelu_pytorch_tanh';

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
  /** The MLP's gate activation: SiLU (SwiGLU) or tanh-approximated GELU (Gemma's GeGLU). */
  hidden_act: HiddenAct;
  rms_norm_eps: number;
  rope_theta: number;
  rope_scaling: RopeScaling | null;
  /** RoPE of sliding-window layers when it differs from the others (Gemma 3: local base 10,000), else null. */
  sliding_rope: RopeParameters | null;
  max_position_embeddings: number;
  /** Which attention projections carry a bias (Qwen2: q, k, v; Llama: all four when attention_bias). */
  attention_bias: { q_proj: boolean; k_proj: boolean; v_proj: boolean; o_proj: boolean };
  mlp_bias: boolean;
  /** Phi-3: q, k, v are one qkv_proj [(H + 2 kvH) D, C] and gate, up one gate_up_proj [2I, C]. */
  fused_projections: boolean;
  /** Qwen3, Gemma 3: RMSNorm over each head's D values of q and k (self_attn.q_norm / k_norm [D]) before RoPE. */
  qk_norm: boolean;
  /** Gemma: RMSNorm scales by (1 + weight), so stored norm weights are offsets from 1 (0 elsewhere). */
  norm_weight_offset: 0 | 1;
  /** Gemma 2/3: attention and MLP outputs normed before the residual add; pre_feedforward_layernorm before the MLP. */
  sandwich_norms: boolean;
  /** Token embeddings times this (Gemma: sqrt(hidden_size) in float32; 1 elsewhere). Virtual tokens are not scaled. */
  embedding_multiplier: number;
  /** Scores are q k^T / sqrt(query_pre_attn_scalar) (Gemma's field; head_dim elsewhere). */
  query_pre_attn_scalar: number;
  /** Gemma 2: scores -> cap * tanh(scores / cap) before the mask, else null. */
  attn_logit_softcapping: number | null;
  /** Gemma 2: logits -> cap * tanh(logits / cap), else null. */
  final_logit_softcapping: number | null;
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
const softcap = z.number().positive().nullish();

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
  hidden_activation: z.string().nullish(),
  rms_norm_eps: z.number().positive().nullish(),
  rope_theta: z.number().positive().nullish(),
  rope_local_base_freq: z.number().positive().nullish(),
  rope_scaling: z.record(z.string(), z.unknown()).nullish(),
  rope_parameters: z.record(z.string(), z.unknown()).nullish(),
  partial_rotary_factor: z.number().nullish(),
  max_position_embeddings: size(16_777_216).nullish(),
  original_max_position_embeddings: size(16_777_216).nullish(),
  attention_bias: z.boolean().nullish(),
  mlp_bias: z.boolean().nullish(),
  tie_word_embeddings: z.boolean().nullish(),
  bos_token_id: tokenId.nullish(),
  eos_token_id: z.union([tokenId, z.array(tokenId)]).nullish(),
  pad_token_id: tokenId.nullish(),
  sliding_window: positiveInt.nullish(),
  sliding_window_pattern: positiveInt.nullish(),
  use_sliding_window: z.boolean().nullish(),
  use_bidirectional_attention: z.boolean().nullish(),
  max_window_layers: z.number().int().nonnegative().nullish(),
  layer_types: z.array(z.string()).nullish(),
  query_pre_attn_scalar: z.number().positive().nullish(),
  attn_logit_softcapping: softcap,
  final_logit_softcapping: softcap,
  torch_dtype: z.string().nullish(),
  dtype: z.string().nullish(),
});
type RawConfig = z.infer<typeof RawConfig>;

interface Defaults {
  max_position_embeddings: number;
  sliding_window: number | null;
  rope_theta: number;
  /** Base of sliding layers when they have their own RoPE (Gemma 3), else null. */
  local_rope_theta: number | null;
  hidden_act: HiddenAct;
  tie_word_embeddings: boolean;
  rms_norm_eps: number;
  attn_logit_softcapping: number | null;
  final_logit_softcapping: number | null;
}

const base: Defaults = {
  max_position_embeddings: 2048,
  sliding_window: null,
  rope_theta: 10000,
  local_rope_theta: null,
  hidden_act: 'silu',
  tie_word_embeddings: false,
  rms_norm_eps: 1e-6,
  attn_logit_softcapping: null,
  final_logit_softcapping: null,
};
/** transformers' defaults for fields a config.json may leave out (LlamaConfig, Qwen2Config, ... Gemma3TextConfig). */
const DEFAULTS: Record<Architecture, Defaults> = {
  LlamaForCausalLM: base,
  Qwen2ForCausalLM: { ...base, max_position_embeddings: 32768, sliding_window: 4096 },
  MistralForCausalLM: { ...base, max_position_embeddings: 4096 * 32, sliding_window: 4096 },
  Qwen3ForCausalLM: { ...base, max_position_embeddings: 32768, sliding_window: 4096 },
  Phi3ForCausalLM: { ...base, max_position_embeddings: 4096, rms_norm_eps: 1e-5 },
  Gemma2ForCausalLM: {
    ...base,
    max_position_embeddings: 8192,
    sliding_window: 4096,
    hidden_act: 'gelu_pytorch_tanh',
    tie_word_embeddings: true,
    attn_logit_softcapping: 50,
    final_logit_softcapping: 30,
  },
  Gemma3ForCausalLM: {
    ...base,
    max_position_embeddings: 131072,
    sliding_window: 4096,
    rope_theta: 1_000_000,
    local_rope_theta: 10_000,
    hidden_act: 'gelu_pytorch_tanh',
    tie_word_embeddings: true,
  },
};

const GEMMA: readonly Architecture[] = ['Gemma2ForCausalLM', 'Gemma3ForCausalLM'];

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
      `Compare config.json with the original checkpoint; every ${ARCHITECTURE_NAMES} config has vocab_size, ` +
        'hidden_size, intermediate_size, num_hidden_layers and num_attention_heads.',
    );
  }
  const raw = parsed.data as RawConfig;
  const defaults = DEFAULTS[architecture];

  const gemma = GEMMA.includes(architecture);
  // Gemma configs name it hidden_activation (and may carry an unused hidden_act beside it).
  const actField = gemma && raw.hidden_activation != null ? 'hidden_activation' : 'hidden_act';
  const hiddenAct = (gemma ? (raw.hidden_activation ?? raw.hidden_act) : raw.hidden_act) ?? defaults.hidden_act;
  if (hiddenAct !== defaults.hidden_act) {
    fail(
      actField,
      `"${hiddenAct}" is not supported (${architecture} uses "${defaults.hidden_act}")`,
      'This checkpoint is not a standard model of its architecture.',
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
  const partial = raw.partial_rotary_factor ?? raw.rope_parameters?.['partial_rotary_factor'];
  if (partial != null && partial !== 1) {
    fail(
      'partial_rotary_factor',
      `${String(partial)} is not supported (only 1)`,
      'Dovetail rotates the whole head (Phi-4-mini rotates part of it and is not supported).',
    );
  }
  if (raw.use_bidirectional_attention === true) {
    fail(
      'use_bidirectional_attention',
      'true is not supported',
      'Bidirectional (embedding) models cannot generate text; use a causal checkpoint.',
    );
  }

  const maxPositions = raw.max_position_embeddings ?? defaults.max_position_embeddings;
  const rope = parseRope(
    { ...raw, max_position_embeddings: maxPositions },
    headDim,
    {
      theta: defaults.rope_theta,
      localTheta: defaults.local_rope_theta,
      originalMax: architecture === 'Phi3ForCausalLM' ? 4096 : null,
    },
    fail,
  );
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
  const allBias = { q_proj: bias, k_proj: bias, v_proj: bias, o_proj: bias };
  const noBias = { q_proj: false, k_proj: false, v_proj: false, o_proj: false };
  return {
    architecture,
    model_type: raw.model_type ?? MODEL_TYPE_OF[architecture],
    vocab_size: raw.vocab_size,
    hidden_size: raw.hidden_size,
    intermediate_size: raw.intermediate_size,
    num_hidden_layers: raw.num_hidden_layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    head_dim: headDim,
    hidden_act: defaults.hidden_act,
    rms_norm_eps: raw.rms_norm_eps ?? defaults.rms_norm_eps,
    rope_theta: rope.full.rope_theta,
    rope_scaling: rope.full.rope_scaling,
    sliding_rope: layerTypes.includes('sliding_attention') ? rope.sliding : null,
    max_position_embeddings: maxPositions,
    attention_bias:
      architecture === 'Qwen2ForCausalLM'
        ? { q_proj: true, k_proj: true, v_proj: true, o_proj: false }
        : architecture === 'MistralForCausalLM' || architecture === 'Phi3ForCausalLM'
          ? noBias
          : allBias,
    mlp_bias: architecture === 'LlamaForCausalLM' ? (raw.mlp_bias ?? false) : false,
    fused_projections: architecture === 'Phi3ForCausalLM',
    qk_norm: architecture === 'Qwen3ForCausalLM' || architecture === 'Gemma3ForCausalLM',
    norm_weight_offset: gemma ? 1 : 0,
    sandwich_norms: gemma,
    // Gemma's embed_scale: the Python float sqrt(hidden_size) as a float32 tensor.
    embedding_multiplier: gemma ? Math.fround(Math.sqrt(raw.hidden_size)) : 1,
    query_pre_attn_scalar: gemma ? (raw.query_pre_attn_scalar ?? 256) : headDim,
    attn_logit_softcapping: gemma ? pick(raw.attn_logit_softcapping, defaults.attn_logit_softcapping) : null,
    final_logit_softcapping: gemma ? pick(raw.final_logit_softcapping, defaults.final_logit_softcapping) : null,
    tie_word_embeddings: raw.tie_word_embeddings ?? defaults.tie_word_embeddings,
    bos_token_id: raw.bos_token_id ?? null,
    eos_token_id: eos,
    pad_token_id: raw.pad_token_id ?? null,
    sliding_window: slidingWindow,
    layer_types: layerTypes,
    torch_dtype: raw.torch_dtype ?? raw.dtype ?? null,
  };
}

/** A field that may be null on purpose (softcapping off): absent takes the default, null stays null. */
function pick(value: number | null | undefined, fallback: number | null): number | null {
  return value === undefined ? fallback : value;
}

const MODEL_TYPE_OF: Record<Architecture, string> = {
  LlamaForCausalLM: 'llama',
  Qwen2ForCausalLM: 'qwen2',
  MistralForCausalLM: 'mistral',
  Qwen3ForCausalLM: 'qwen3',
  Phi3ForCausalLM: 'phi3',
  Gemma2ForCausalLM: 'gemma2',
  Gemma3ForCausalLM: 'gemma3_text',
};

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
    case 'Qwen2ForCausalLM':
    case 'Qwen3ForCausalLM': {
      // Qwen2/3: sliding only with use_sliding_window, and only for layers from max_window_layers on.
      const on =
        raw.use_sliding_window === true && (raw.sliding_window ?? DEFAULTS[architecture].sliding_window) != null;
      const from = raw.max_window_layers ?? 28;
      return Array.from({ length: n }, (_, i) => (on && i >= from ? 'sliding_attention' : 'full_attention'));
    }
    case 'Phi3ForCausalLM':
      // Phi3Config defaults sliding_window to None; when given, every layer slides (Phi-3.5-mini: 262,144).
      return all(raw.sliding_window == null ? 'full_attention' : 'sliding_attention');
    case 'Gemma2ForCausalLM':
      // Gemma 2 alternates: even layers slide, odd ones attend to everything.
      return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention'));
    case 'Gemma3ForCausalLM': {
      // Gemma 3: every sliding_window_pattern-th layer (1-based) is global, the others slide.
      const pattern = raw.sliding_window_pattern ?? 6;
      return Array.from({ length: n }, (_, i) => ((i + 1) % pattern !== 0 ? 'sliding_attention' : 'full_attention'));
    }
  }
}
