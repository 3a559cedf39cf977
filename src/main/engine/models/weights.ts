// Hugging Face weight keys of a supported decoder (Llama family, Qwen3, Phi-3, Gemma 2/3) -> the tensor index, checked
// against the shapes the config implies. The result mirrors the HF module tree (model.layers[i].self_attn.q_proj...) so the graph builder can
// point each initializer at its file and byte range. Pure: no file access.
import { UserError } from '../../../shared/errors';
import type { DecoderConfig } from './config';
import type { TensorInfo } from './safetensors';

export interface Linear {
  weight: TensorInfo; // [out, in] (nn.Linear)
  bias: TensorInfo | null; // [out]
}

/** Projections under self_attn (Phi-3: qkv_proj instead of q/k/v) and under mlp (Phi-3: gate_up_proj). */
export type AttentionModule = 'q_proj' | 'k_proj' | 'v_proj' | 'qkv_proj' | 'o_proj';
export type MlpModule = 'gate_proj' | 'up_proj' | 'gate_up_proj' | 'down_proj';

export interface DecoderLayerWeights {
  input_layernorm: TensorInfo; // [C]
  /** The projections the architecture has (config.fused_projections says which), under their HF names. */
  self_attn: Partial<Record<AttentionModule, Linear>>; // q [H*D, C], k/v [kvH*D, C], qkv [(H+2kvH)*D, C], o [C, H*D]
  /** Qwen3, Gemma 3: self_attn.q_norm / k_norm [D]; null elsewhere. */
  q_norm: TensorInfo | null;
  k_norm: TensorInfo | null;
  /** [C]: the norm before the MLP, or (sandwich_norms) the norm of the attention output. */
  post_attention_layernorm: TensorInfo;
  /** Gemma 2/3 (sandwich_norms): before and after the MLP, [C]; null elsewhere. */
  pre_feedforward_layernorm: TensorInfo | null;
  post_feedforward_layernorm: TensorInfo | null;
  mlp: Partial<Record<MlpModule, Linear>>; // gate/up [I, C], gate_up [2I, C], down [C, I]
}

export interface DecoderWeights {
  embed_tokens: TensorInfo; // [V, C]
  layers: DecoderLayerWeights[]; // [L]
  norm: TensorInfo; // [C]
  /** lm_head.weight [V, C], or embed_tokens when tie_word_embeddings. */
  lm_head: TensorInfo;
  tied: boolean;
  /** Tensors the decoder does not use and that are harmless to skip (a tied model's stored lm_head copy). */
  unused: string[];
}

export interface ExpectedWeight {
  name: string;
  shape: number[];
}

/** Keys that old checkpoints carry but that hold no learned parameters. */
const IGNORED = /\.rotary_emb\.inv_freq$/;

/** Every weight key the config requires, with its shape, in checkpoint order. */
export function expectedWeights(config: DecoderConfig): ExpectedWeight[] {
  const C = config.hidden_size;
  const I = config.intermediate_size;
  const V = config.vocab_size;
  const qOut = config.num_attention_heads * config.head_dim;
  const kvOut = config.num_key_value_heads * config.head_dim;
  const out: ExpectedWeight[] = [{ name: 'model.embed_tokens.weight', shape: [V, C] }];
  const linear = (prefix: string, outF: number, inF: number, bias: boolean): void => {
    out.push({ name: `${prefix}.weight`, shape: [outF, inF] });
    if (bias) out.push({ name: `${prefix}.bias`, shape: [outF] });
  };
  const b = config.attention_bias;
  const D = config.head_dim;
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    out.push({ name: `${p}.input_layernorm.weight`, shape: [C] });
    if (config.fused_projections) {
      linear(`${p}.self_attn.qkv_proj`, qOut + 2 * kvOut, C, false);
    } else {
      linear(`${p}.self_attn.q_proj`, qOut, C, b.q_proj);
      linear(`${p}.self_attn.k_proj`, kvOut, C, b.k_proj);
      linear(`${p}.self_attn.v_proj`, kvOut, C, b.v_proj);
    }
    linear(`${p}.self_attn.o_proj`, C, qOut, b.o_proj);
    if (config.qk_norm) {
      out.push({ name: `${p}.self_attn.q_norm.weight`, shape: [D] });
      out.push({ name: `${p}.self_attn.k_norm.weight`, shape: [D] });
    }
    out.push({ name: `${p}.post_attention_layernorm.weight`, shape: [C] });
    if (config.sandwich_norms) {
      out.push({ name: `${p}.pre_feedforward_layernorm.weight`, shape: [C] });
      out.push({ name: `${p}.post_feedforward_layernorm.weight`, shape: [C] });
    }
    if (config.fused_projections) {
      linear(`${p}.mlp.gate_up_proj`, 2 * I, C, false);
    } else {
      linear(`${p}.mlp.gate_proj`, I, C, config.mlp_bias);
      linear(`${p}.mlp.up_proj`, I, C, config.mlp_bias);
    }
    linear(`${p}.mlp.down_proj`, C, I, config.mlp_bias);
  }
  out.push({ name: 'model.norm.weight', shape: [C] });
  if (!config.tie_word_embeddings) out.push({ name: 'lm_head.weight', shape: [V, C] });
  return out;
}

/**
 * Maps and checks the decoder's weights. Throws one UserError (code 'model-weights') listing every missing or
 * mismatched tensor. `where` names the weight file(s) in messages.
 */
export function mapDecoderWeights(
  config: DecoderConfig,
  tensors: ReadonlyMap<string, TensorInfo>,
  where = 'model.safetensors',
): DecoderWeights {
  const expected = expectedWeights(config);
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const { name, shape } of expected) {
    const t = tensors.get(name);
    if (!t) missing.push(name);
    else if (!sameShape(t.shape, shape))
      mismatched.push(`${name} is [${t.shape.join(', ')}], config.json implies [${shape.join(', ')}]`);
  }
  if (missing.length > 0 || mismatched.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${missing.length}: ${listSome(missing)}`);
    if (mismatched.length > 0) parts.push(`wrong shape ${mismatched.length}: ${listSome(mismatched)}`);
    throw new UserError(`The weights do not match config.json (${parts.join('; ')}).`, {
      where,
      hint:
        missing.length > 0 && mismatched.length === 0 && missing.every((n) => n === 'lm_head.weight')
          ? 'lm_head.weight is missing: if the model ties its embeddings, config.json should say ' +
            '"tie_word_embeddings": true.'
          : 'config.json and the safetensors files come from different checkpoints, or a file is incomplete; copy ' +
            'the checkpoint again.',
      code: 'model-weights',
    });
  }
  const get = (name: string): TensorInfo => tensors.get(name) as TensorInfo;
  const opt = (name: string): TensorInfo | null => tensors.get(name) ?? null;
  const linear = (prefix: string, bias: boolean): Linear => ({
    weight: get(`${prefix}.weight`),
    bias: bias ? get(`${prefix}.bias`) : null,
  });
  const b = config.attention_bias;
  const layers = Array.from({ length: config.num_hidden_layers }, (_, i): DecoderLayerWeights => {
    const p = `model.layers.${i}`;
    const norm = (name: string, present: boolean): TensorInfo | null => (present ? get(`${p}.${name}.weight`) : null);
    return {
      input_layernorm: get(`${p}.input_layernorm.weight`),
      self_attn: config.fused_projections
        ? { qkv_proj: linear(`${p}.self_attn.qkv_proj`, false), o_proj: linear(`${p}.self_attn.o_proj`, b.o_proj) }
        : {
            q_proj: linear(`${p}.self_attn.q_proj`, b.q_proj),
            k_proj: linear(`${p}.self_attn.k_proj`, b.k_proj),
            v_proj: linear(`${p}.self_attn.v_proj`, b.v_proj),
            o_proj: linear(`${p}.self_attn.o_proj`, b.o_proj),
          },
      q_norm: norm('self_attn.q_norm', config.qk_norm),
      k_norm: norm('self_attn.k_norm', config.qk_norm),
      post_attention_layernorm: get(`${p}.post_attention_layernorm.weight`),
      pre_feedforward_layernorm: norm('pre_feedforward_layernorm', config.sandwich_norms),
      post_feedforward_layernorm: norm('post_feedforward_layernorm', config.sandwich_norms),
      mlp: config.fused_projections
        ? { gate_up_proj: linear(`${p}.mlp.gate_up_proj`, false), down_proj: linear(`${p}.mlp.down_proj`, false) }
        : {
            gate_proj: linear(`${p}.mlp.gate_proj`, config.mlp_bias),
            up_proj: linear(`${p}.mlp.up_proj`, config.mlp_bias),
            down_proj: linear(`${p}.mlp.down_proj`, config.mlp_bias),
          },
    };
  });
  const used = new Set(expected.map((e) => e.name));
  const unused = [...tensors.keys()].filter((name) => !used.has(name) && !IGNORED.test(name)).sort();
  const unexpected = unused.filter((name) => !(config.tie_word_embeddings && name === 'lm_head.weight'));
  if (unexpected.length > 0) throw unexpectedTensors(config, unexpected, where);
  const embed = get('model.embed_tokens.weight');
  return {
    embed_tokens: embed,
    layers,
    norm: get('model.norm.weight'),
    lm_head: config.tie_word_embeddings ? embed : (opt('lm_head.weight') ?? embed),
    tied: config.tie_word_embeddings,
    unused,
  };
}

/**
 * Tensors the configured architecture would silently skip mean the config describes another model (a Qwen2 checkpoint
 * under "model_type": "llama" would lose its q/k/v biases and generate garbage): refused, with the likely fix.
 */
function unexpectedTensors(config: DecoderConfig, names: string[], where: string): UserError {
  const has = (re: RegExp): boolean => names.some((n) => re.test(n));
  const qkvBias = has(/\.self_attn\.[qkv]_proj\.bias$/);
  const hint = has(/\.self_attn\.qkv_proj\.weight$/)
    ? `The fused qkv_proj is Phi-3's: set "model_type": "phi3" and "architectures": ["Phi3ForCausalLM"] in config.json (it says "${config.model_type}").`
    : has(/\.self_attn\.[qk]_norm\.weight$/)
      ? `The q/k norms are Qwen3's or Gemma 3's: use the config.json of the same checkpoint (it says "${config.model_type}").`
      : has(/\.(pre|post)_feedforward_layernorm\.weight$/)
        ? `The feed-forward norms are Gemma 2's or 3's: use the config.json of the same checkpoint (it says "${config.model_type}").`
        : qkvBias && !has(/\.self_attn\.o_proj\.bias$/) && config.model_type !== 'qwen2'
          ? `The q/k/v projection biases are Qwen2's: set "model_type": "qwen2" and "architectures": ["Qwen2ForCausalLM"] in config.json (it says "${config.model_type}").`
          : qkvBias
            ? 'The attention projections carry biases: set "attention_bias": true in config.json.'
            : has(/\.mlp\.\w+_proj\.bias$/)
              ? 'The MLP projections carry biases: set "mlp_bias": true in config.json.'
              : `config.json ("model_type": "${config.model_type}") describes another architecture than the weights; use the config.json of the same checkpoint.`;
  return new UserError(
    `The weights hold ${names.length} tensor${names.length === 1 ? '' : 's'} that config.json's architecture would ignore: ${listSome(names)}.`,
    {
      where,
      hint,
      code: 'model-weights',
    },
  );
}

/** Every tensor the decoder uses, once (a tied lm_head is not counted twice). */
export function decoderTensors(weights: DecoderWeights): TensorInfo[] {
  const out = new Set<TensorInfo>([weights.embed_tokens, weights.norm, weights.lm_head]);
  for (const layer of weights.layers) {
    out.add(layer.input_layernorm).add(layer.post_attention_layernorm);
    for (const n of [layer.q_norm, layer.k_norm, layer.pre_feedforward_layernorm, layer.post_feedforward_layernorm])
      if (n) out.add(n);
    for (const l of layerLinears(layer)) {
      out.add(l.weight);
      if (l.bias) out.add(l.bias);
    }
  }
  return [...out];
}

/** A layer's projections (self_attn, then mlp). */
export function layerLinears(layer: DecoderLayerWeights): Linear[] {
  return [...Object.values(layer.self_attn), ...Object.values(layer.mlp)];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function listSome(items: string[], limit = 8): string {
  return items.length <= limit
    ? items.join(', ')
    : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}
