// The decoder's small composite pieces, each built from op-table primitives that carry their own VJPs (so training
// graphs differentiate them with no custom backward): RMSNorm (Llama's and Gemma's (1 + weight) form), the RoPE
// cos/sin per attention kind (llama3, linear and longrope scaling folded in), tanh-approximated GELU, soft-capping.
import { f32, i64, type GraphBuilder, type Value } from '../graph';
import type { DecoderConfig, LayerType } from './config';
import { ropeInverseFrequencies, type RopeSettings } from './rope';

/**
 * transformers' RMSNorm in fp32: weight * x / sqrt(mean(x^2) + eps), Gemma's with (1 + weight). Written as Pow ->
 * ReduceMean -> Add -> Sqrt -> Div -> Mul(weight), the form ORT's SimplifiedLayerNormFusion turns into one node
 * (Mul(x, x) or a Reciprocal are not recognised). `weight` is the stored norm weight.
 */
export function emitRmsNorm(g: GraphBuilder, config: DecoderConfig, x: Value, weight: Value): Value {
  const variance = g.op.ReduceMean(g.op.Pow(x, g.constant(f32([], [2]))), [-1]); // [..., 1]
  const normed = g.op.Div(x, g.op.Sqrt(g.op.Add(variance, g.constant(f32([], [config.rms_norm_eps])))));
  return g.op.Mul(normScale(g, config, weight), normed);
}

/** The factor a norm multiplies by: the weight, or 1 + weight for Gemma (its weights are stored as offsets). */
export function normScale(g: GraphBuilder, config: DecoderConfig, weight: Value): Value {
  return config.norm_weight_offset === 0 ? weight : g.op.Add(g.constant(f32([], [1])), weight);
}

/** cap * tanh(x / cap) (Gemma 2's attention-score and final-logit soft-capping). */
export function emitSoftcap(g: GraphBuilder, x: Value, cap: number): Value {
  return g.op.Mul(g.op.Tanh(g.op.Mul(x, g.constant(f32([], [1 / cap])))), g.constant(f32([], [cap])));
}

/** PyTorch's gelu(approximate='tanh'): 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
export function emitGeluTanh(g: GraphBuilder, x: Value): Value {
  const cube = g.op.Mul(g.op.Mul(x, x), x);
  const inner = g.op.Add(x, g.op.Mul(cube, g.constant(f32([], [0.044715]))));
  const t = g.op.Tanh(g.op.Mul(inner, g.constant(f32([], [Math.sqrt(2 / Math.PI)]))));
  return g.op.Mul(g.op.Mul(x, g.constant(f32([], [0.5]))), g.op.Add(g.constant(f32([], [1])), t));
}

/** The MLP's gate activation: SiLU x sigmoid(x), or Gemma's tanh GELU. */
export function emitActivation(g: GraphBuilder, config: DecoderConfig, x: Value): Value {
  return config.hidden_act === 'silu' ? g.op.Mul(x, g.op.Sigmoid(x)) : emitGeluTanh(g, x);
}

export interface Rope {
  cos: Value; // [B, S, D/2]
  sin: Value; // [B, S, D/2]
}

/** cos/sin per attention kind: sliding layers have their own when the config says so (Gemma 3's local base). */
export function emitRopes(g: GraphBuilder, config: DecoderConfig, positions: Value): Record<LayerType, Rope> {
  const full = emitRope(g, config, positions, 'model.rotary_emb');
  const sliding = config.sliding_rope
    ? emitRope(g, { head_dim: config.head_dim, ...config.sliding_rope }, positions, 'model.rotary_emb.sliding')
    : full;
  return { full_attention: full, sliding_attention: sliding };
}

/**
 * cos/sin of position * inv_freq, as transformers' RotaryEmbedding in float32. longrope picks the long factors when
 * max(position_ids) + 1 exceeds original_max_position_embeddings (transformers' dynamic update) and multiplies cos and
 * sin by attention_factor.
 */
function emitRope(g: GraphBuilder, config: RopeSettings, positions: Value, name: string): Rope {
  const half = config.head_dim / 2;
  const short = g.initializer(`${name}.inv_freq`, f32([half], ropeInverseFrequencies(config))); // [D/2]
  const scaling = config.rope_scaling;
  let invFreq = short;
  if (scaling?.rope_type === 'longrope') {
    const long = g.initializer(`${name}.long_inv_freq`, f32([half], ropeInverseFrequencies(config, true)));
    // any position >= original_max_position_embeddings means max(position_ids) + 1 > original
    const beyond = g.op.Greater(positions, g.constant(i64([], [scaling.original_max_position_embeddings - 1])));
    const count = g.op.ReduceSum(g.op.Cast(beyond, 'float32'), undefined, { keepdims: false }); // []
    invFreq = g.op.Where(g.op.Greater(count, g.constant(f32([], [0]))), long, short);
  }
  const freqs = g.op.Mul(g.op.Unsqueeze(g.op.Cast(positions, 'float32'), [2]), invFreq); // [B, S, D/2]
  const cos = g.op.Cos(freqs);
  const sin = g.op.Sin(freqs);
  if (scaling?.rope_type !== 'longrope' || scaling.attention_factor === 1) return { cos, sin };
  const factor = g.constant(f32([], [scaling.attention_factor]));
  return { cos: g.op.Mul(cos, factor), sin: g.op.Mul(sin, factor) };
}
