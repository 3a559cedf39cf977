// The decoder forward of every supported architecture, emitted into a GraphBuilder once for every graph kind:
// inference with a KV cache (past given) and full-sequence training (no past). Follows transformers' modeling_llama
// (RMSNorm in fp32, rotate_half RoPE, GQA, causal + padding mask, SiLU MLP) and what the config adds: Qwen3/Gemma 3
// q/k norms, Phi-3's fused projections, Gemma's scaled embeddings, sandwich norms, GeGLU and soft-capping.
import { BugError } from '../../../shared/errors';
import { f32, i64, type GraphBuilder, type Value } from '../graph';
import { decomposedAttention, type AttentionBuilder, type KeyValue } from './attention';
import type { DecoderConfig } from './config';
import { emitActivation, emitRmsNorm, emitRopes, emitSoftcap, normScale, type Rope } from './decoder-parts';
import { GraphWeights, type QuantizedLinears } from './graph-weights';
import { emitLoraDelta, emitRowLoraDelta, type LoraHooks, type LoraModule } from './lora';
import type { DecoderLayerWeights, DecoderWeights, Linear } from './weights';

export { emitRmsNorm } from './decoder-parts';

/** The dtype-min bias HF adds at masked positions: finite, so fully masked (padding) rows stay NaN-free. */
const MASKED = -3.4028234663852886e38;

export interface DecoderInputs {
  inputIds: Value; // [B, T] int64
  /** [B, K] int64 over every key: past, virtual tokens, then the T new tokens (K = P + n + T); 0 = padding. */
  attentionMask: Value;
  /** [B, T] int64 positions of the new tokens; with a soft prompt they count its n virtual tokens (first = n). */
  positionIds: Value;
  /**
   * [n, C] float32 virtual-token embeddings put before the token embeddings (n may be 0), or null. Per row (with
   * softPromptPositions): [B, n, C], each row's own virtual tokens, left-padded to the batch's longest.
   */
  softPrompt: Value | null;
  /** Per-row soft prompts only: [B, n] int64 positions of each row's virtual tokens (its padding masked out). */
  softPromptPositions?: Value;
  /**
   * Per layer [B, Hkv, P, D] key and value caches (whole capacity buffers when the attention reads them itself), or
   * null for a full-sequence graph (training, scoring).
   */
  past: KeyValue[] | null;
  lora: LoraHooks | null;
  /** The layers' attention; default decomposedAttention (the only one with VJPs, so training graphs need it). */
  attention?: AttentionBuilder;
  /** Residual Add + RMSNorm as one SkipSimplifiedLayerNormalization (inference only: it has no VJP). Default false. */
  fusedNorms?: boolean;
  /**
   * RMSNorm as one RMSNormalization-23 node, whose VJP recomputes only [..., 1] statistics (training graphs); default
   * false: the Pow/ReduceMean/Div form that ORT fuses for inference and that other runtimes read.
   */
  normOp?: boolean;
}

export interface DecoderOutputs {
  /** [B, n + T, C] after the final norm (model.norm), virtual positions first. */
  hidden: Value;
  /** Per layer [B, Hkv, K, D]: past followed by this call's keys and values (present.{i}.key / .value). */
  present: KeyValue[];
  /** Per layer [B, n + T, Hkv*D]: this call's keys and values only, as projected (what a runner-held cache appends). */
  added: KeyValue[];
}

export interface DecoderModel {
  config: DecoderConfig;
  weights: DecoderWeights;
  /** Linear weights a weight cache quantized (inference graphs only; training reads the weights as stored). */
  quantized?: QuantizedLinears | null;
}

/** Emits the decoder forward into g; initializers come from `weights` (external data). */
export function emitDecoder(
  g: GraphBuilder,
  model: DecoderModel,
  inputs: DecoderInputs,
  weights = new GraphWeights(g),
): DecoderOutputs {
  const { config } = model;
  const tokens = g.scope('model/embed_tokens', () => {
    const rows = g.op.Gather(weights.stored(model.weights.embed_tokens), inputs.inputIds); // [B, T, C]
    const float = rows.dtype === 'float32' ? rows : g.op.Cast(rows, 'float32');
    // Gemma's scaled embedding module: token rows only (a soft prompt is concatenated after it, unscaled)
    const m = config.embedding_multiplier;
    return m === 1 ? float : g.op.Mul(float, g.constant(f32([], [m])));
  });
  let hidden = tokens;
  let positions = inputs.positionIds; // [B, T]
  if (inputs.softPrompt && inputs.softPromptPositions) {
    const soft = inputs.softPrompt; // [B, n, C]
    const softPositions = inputs.softPromptPositions; // [B, n]
    ({ hidden, positions } = g.scope('soft_prompt', () => ({
      hidden: g.op.Concat([soft, tokens], 1), // [B, n + T, C]
      positions: g.op.Concat([softPositions, inputs.positionIds], 1), // [B, n + T]
    })));
  } else if (inputs.softPrompt) {
    // PEFT prompt tuning: the n virtual tokens go first, at positions 0..n-1, always attended.
    const soft = inputs.softPrompt;
    ({ hidden, positions } = g.scope('soft_prompt', () => {
      const batch = g.op.Shape(inputs.inputIds, 0, 1); // [1] = B
      const n = g.op.Shape(soft, 0, 1); // [1] = n
      // rows [B, n, C]: the virtual tokens for every row
      const rows = g.op.Expand(g.op.Unsqueeze(soft, [0]), g.op.Concat([batch, g.op.Constant(i64([2], [1, 1]))], 0));
      const range = g.op.Range(g.constant(i64([], [0])), g.op.Squeeze(n, [0]), g.constant(i64([], [1]))); // [n]
      const softPositions = g.op.Expand(g.op.Unsqueeze(range, [0]), g.op.Concat([batch, n], 0)); // [B, n]
      return { hidden: g.op.Concat([rows, tokens], 1), positions: g.op.Concat([softPositions, inputs.positionIds], 1) };
    }));
  }
  const ropes = g.scope('model/rotary_emb', () => emitRopes(g, config, positions));
  const attention = inputs.attention ?? decomposedAttention;
  const fusedNorms = inputs.fusedNorms === true;
  const groups = attention.maskGroups(config);
  const masks = g.scope('model/mask', () => emitMasks(g, config, hidden, inputs.attentionMask, groups));
  const prepared = attention.prepare
    ? g.scope('model/mask', () => attention.prepare?.(g, inputs.attentionMask))
    : undefined;
  const present: KeyValue[] = [];
  const added: KeyValue[] = [];
  // The residual stream is `hidden` plus a pending addend; the fused form adds it inside the next norm (one node).
  let pending: Value | null = null;
  // One RMSNormalization node where the caller asks for it (training graphs), else the Pow form ORT fuses itself.
  const rmsNorm = (x: Value, stored: Value): Value =>
    inputs.normOp
      ? g.op.RMSNormalization(x, normScale(g, config, stored), config.rms_norm_eps)
      : emitRmsNorm(g, config, x, stored);
  // The residual add and the norm of the next block (the fused form in one node).
  const norm = (scope: string, stored: Value): Value =>
    g.scope(scope, () => {
      if (!pending) return rmsNorm(hidden, stored);
      if (!fusedNorms) {
        hidden = g.op.Add(hidden, pending);
        pending = null;
        return rmsNorm(hidden, stored);
      }
      const gamma = normScale(g, config, stored);
      const normed = g.op.SkipSimplifiedLayerNormalization(hidden, pending, gamma, config.rms_norm_eps);
      hidden = g.outputsOf(normed)[3] as Value; // input + skip, the next residual
      pending = null;
      return normed;
    });
  // Gemma's post-norms: a block's output normed before it joins the residual stream.
  const postNorm = (scope: string, x: Value, stored: TensorInfoOrNull): Value =>
    g.scope(scope, () => rmsNorm(x, weights.float(required(stored, scope))));
  model.weights.layers.forEach((layer, i) => {
    g.scope(`model/layers.${i}`, () => {
      const kind = config.layer_types[i] ?? 'full_attention';
      const rope = ropes[kind];
      const ctx: LayerContext = { g, config, weights, layer, index: i, rope, lora: inputs.lora, attention, prepared };
      const mask = kind === 'sliding_attention' ? (masks.sliding ?? masks.full) : masks.full;
      const normed = norm('input_layernorm', weights.float(layer.input_layernorm));
      const attn = g.scope('self_attn', () => emitAttention(ctx, normed, mask, inputs.past?.[i] ?? null));
      present.push(attn.present);
      added.push(attn.added);
      if (config.sandwich_norms) {
        pending = postNorm('post_attention_layernorm', attn.output, layer.post_attention_layernorm);
        const pre = norm('pre_feedforward_layernorm', weights.float(required(layer.pre_feedforward_layernorm, 'pre')));
        const mlp = g.scope('mlp', () => emitMlp(ctx, pre));
        pending = postNorm('post_feedforward_layernorm', mlp, layer.post_feedforward_layernorm);
      } else {
        pending = attn.output;
        const post = norm('post_attention_layernorm', weights.float(layer.post_attention_layernorm));
        pending = g.scope('mlp', () => emitMlp(ctx, post));
      }
    });
  });
  const out = norm('model/norm', weights.float(model.weights.norm));
  return { hidden: out, present, added };
}

/**
 * logits [..., V] = hidden [..., C] lm_head^T (embed_tokens^T when tied), on the stored [V, C] or its quantized codes;
 * Gemma 2 then soft-caps them: cap * tanh(logits / cap).
 */
export function emitLmHead(g: GraphBuilder, model: DecoderModel, hidden: Value, weights: GraphWeights): Value {
  return g.scope('lm_head', () => {
    const logits = weights.linear(hidden, model.weights.lm_head, 'lm_head.weight');
    const cap = model.config.final_logit_softcapping;
    return cap === null ? logits : emitSoftcap(g, logits, cap);
  });
}

/**
 * x * cos + rotate_half(x) * sin on each of the h heads of x [B, S, h*D] (what apply_rotary_pos_emb does), as one
 * RotaryEmbedding-23 node instead of nine slicing and elementwise ones.
 */
function applyRope(g: GraphBuilder, x: Value, rope: Rope, heads: number): Value {
  return g.op.RotaryEmbedding(x, rope.cos, rope.sin, heads);
}

/**
 * Additive attention biases [B, 1, G*S, K] (0 = attend, dtype-min = masked), one per attention kind: causal with
 * bottom-right alignment (the S queries are the last S of the K keys) and attention_mask padding; sliding windows
 * also mask keys at or beyond `sliding_window` positions back. Rows repeat `groups` times to match the attention's
 * query layout (the decomposed form's G*S rows; 1 for kernels that broadcast the bias over heads).
 */
function emitMasks(
  g: GraphBuilder,
  config: DecoderConfig,
  hidden: Value,
  attentionMask: Value,
  groups: number,
): { full: Value; sliding: Value | null } {
  const zero = g.constant(i64([], [0]));
  const one = g.constant(i64([], [1]));
  const keys = g.op.Squeeze(g.op.Shape(attentionMask, 1, 2), [0]); // K
  const queries = g.op.Squeeze(g.op.Shape(hidden, 1, 2), [0]); // S
  const keyIndex = g.op.Range(zero, keys, one); // [K]
  const queryIndex = g.op.Unsqueeze(g.op.Range(g.op.Sub(keys, queries), keys, one), [1]); // [S, 1] absolute positions
  const padding = g.op.Unsqueeze(g.op.Cast(attentionMask, 'bool'), [1, 2]); // [B, 1, 1, K]
  const causal = g.op.LessOrEqual(keyIndex, queryIndex); // [S, K]
  const bias = (allowed: Value): Value => {
    // b [B, 1, S, K]
    const b = g.op.Where(g.op.And(allowed, padding), g.constant(f32([], [0])), g.constant(f32([], [MASKED])));
    return groups === 1
      ? b
      : g.op.Concat(
          Array.from({ length: groups }, () => b),
          2,
        ); // [B, 1, G*S, K]
  };
  const full = bias(causal);
  if (config.sliding_window === null || !config.layer_types.includes('sliding_attention'))
    return { full, sliding: null };
  const window = g.op.Greater(keyIndex, g.op.Sub(queryIndex, g.constant(i64([], [config.sliding_window])))); // [S, K]
  return { full, sliding: bias(g.op.And(causal, window)) };
}

type TensorInfoOrNull = DecoderLayerWeights['q_norm'];

function required<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new BugError(`decoder weights lack ${what} that the config requires`);
  return value;
}

interface LayerContext {
  g: GraphBuilder;
  config: DecoderConfig;
  weights: GraphWeights;
  layer: DecoderLayerWeights;
  index: number;
  rope: Rope;
  lora: LoraHooks | null;
  attention: AttentionBuilder;
  /** What the attention's prepare() emitted for the graph. */
  prepared: unknown;
}

/** nn.Linear (x W^T + b) plus the module's LoRA delta when the graph has a hook for it. */
function linear(ctx: LayerContext, x: Value, module: LoraModule, weights: Linear): Value {
  const { g } = ctx;
  return g.scope(module, () => {
    let y = ctx.weights.linear(x, weights.weight);
    if (weights.bias) y = g.op.Add(y, ctx.weights.float(weights.bias));
    const hooks = ctx.lora;
    const pair = hooks?.layers[ctx.index]?.[module];
    const keep = hooks?.dropout?.masks[ctx.index]?.[module];
    const dropout = hooks?.dropout && keep ? { keep, scale: hooks.dropout.scale } : null;
    const rowIndex = hooks?.rowIndex;
    if (hooks && pair)
      y = g.op.Add(
        y,
        g.scope('lora', () =>
          rowIndex
            ? emitRowLoraDelta(g, x, pair, hooks.scaling, rowIndex)
            : emitLoraDelta(g, x, pair, hooks.scaling, dropout),
        ),
      );
    return y;
  });
}

/** q, k and v [B, S, h*D]: three projections, or slices of Phi-3's fused qkv_proj [B, S, (H + 2 Hkv) D]. */
function emitQkv(ctx: LayerContext, x: Value): { q: Value; k: Value; v: Value } {
  const { g, config } = ctx;
  const attn = ctx.layer.self_attn;
  if (!config.fused_projections) {
    return {
      q: linear(ctx, x, 'q_proj', required(attn.q_proj, 'q_proj')),
      k: linear(ctx, x, 'k_proj', required(attn.k_proj, 'k_proj')),
      v: linear(ctx, x, 'v_proj', required(attn.v_proj, 'v_proj')),
    };
  }
  const qkv = linear(ctx, x, 'qkv_proj', required(attn.qkv_proj, 'qkv_proj'));
  const q = config.num_attention_heads * config.head_dim;
  const kv = config.num_key_value_heads * config.head_dim;
  return {
    q: g.op.Slice(qkv, [0], [q], [-1]),
    k: g.op.Slice(qkv, [q], [q + kv], [-1]),
    v: g.op.Slice(qkv, [q + kv], [q + 2 * kv], [-1]),
  };
}

/** Qwen3 / Gemma 3: RMSNorm over each head's D values of x [B, S, h*D] (q_norm, k_norm), before RoPE. */
function headNorm(ctx: LayerContext, x: Value, heads: number, stored: TensorInfoOrNull, name: string): Value {
  const { g, config } = ctx;
  if (!config.qk_norm) return x;
  return g.scope(name, () => {
    const perHead = g.op.Reshape(x, [0, 0, heads, config.head_dim]); // [B, S, h, D]
    const normed = emitRmsNorm(g, config, perHead, ctx.weights.float(required(stored, name)));
    return g.op.Reshape(normed, [0, 0, heads * config.head_dim]);
  });
}

/** q/k/v projections with RoPE, the builder's attention, o_proj. */
function emitAttention(
  ctx: LayerContext,
  x: Value,
  mask: Value,
  past: KeyValue | null,
): { output: Value; present: KeyValue; added: KeyValue } {
  const { g, config, layer } = ctx;
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads;
  const qkv = emitQkv(ctx, x);
  const q = applyRope(g, headNorm(ctx, qkv.q, H, layer.q_norm, 'q_norm'), ctx.rope, H); // [B, S, H*D]
  const k = applyRope(g, headNorm(ctx, qkv.k, Hkv, layer.k_norm, 'k_norm'), ctx.rope, Hkv); // [B, S, Hkv*D]
  const v = qkv.v; // [B, S, Hkv*D]
  const { context, present } = ctx.attention.emit({ g, config, q, k, v, mask, past, prepared: ctx.prepared });
  // added: [B, S, Hkv*D] as projected; the runner lays them out in its cache (no Transpose nodes)
  const output = linear(ctx, context, 'o_proj', required(layer.self_attn.o_proj, 'o_proj'));
  return { output, present, added: { key: k, value: v } };
}

/** down(act(gate(x)) * up(x)); Phi-3's fused gate_up_proj holds gate then up. */
function emitMlp(ctx: LayerContext, x: Value): Value {
  const { g, config, layer } = ctx;
  let gate: Value;
  let up: Value;
  if (config.fused_projections) {
    const I = config.intermediate_size;
    const both = linear(ctx, x, 'gate_up_proj', required(layer.mlp.gate_up_proj, 'gate_up_proj')); // [B, S, 2I]
    gate = g.op.Slice(both, [0], [I], [-1]);
    up = g.op.Slice(both, [I], [2 * I], [-1]);
  } else {
    gate = linear(ctx, x, 'gate_proj', required(layer.mlp.gate_proj, 'gate_proj'));
    up = linear(ctx, x, 'up_proj', required(layer.mlp.up_proj, 'up_proj'));
  }
  const hidden = g.op.Mul(emitActivation(g, config, gate), up);
  return linear(ctx, hidden, 'down_proj', required(layer.mlp.down_proj, 'down_proj'));
}
