// A decoder layer's attention as a plug-in: emitDecoder projects q, k and v, applies RoPE and o_proj, and hands the
// middle to an AttentionBuilder. The app has one, the decomposed form (MatMul/Softmax nodes, which have VJPs, so
// training and inference graphs share it); the fused one-node variants that measured no faster live with the
// benchmarks (bench/lib/attention-variants.ts, decisions 0006 and 0007) and plug in here.
import { f32, type GraphBuilder, type Value } from '../graph';
import type { DecoderConfig } from './config';
import { emitSoftcap } from './decoder-parts';

export interface KeyValue {
  key: Value;
  value: Value;
}

/** What one layer's attention reads. Shapes: B batch, S = n + T new positions, K keys, H / Hkv heads, D head dim. */
export interface AttentionInputs {
  g: GraphBuilder;
  config: DecoderConfig;
  q: Value; // [B, S, H*D], RoPE applied
  k: Value; // [B, S, Hkv*D], RoPE applied
  v: Value; // [B, S, Hkv*D]
  /** Additive bias [B, 1, groups*S, K] (0 = attend, dtype-min = masked); groups = maskGroups(config). */
  mask: Value;
  /** [B, Hkv, P, D] past keys and values (whole capacity buffers when readsCacheBuffers), or null. */
  past: KeyValue | null;
  /** What prepare() emitted once for the graph (undefined without prepare). */
  prepared: unknown;
}

export interface AttentionBuilder {
  /** Part of the session cache key: graphs of different builders are different sessions. */
  readonly name: string;
  /**
   * true: `past` are the runner's whole [B, Hkv, capacity, D] cache buffers and the builder reads the used prefix
   * itself; false: the graph slices the used prefix first.
   */
  readonly readsCacheBuffers: boolean;
  /** How many times the mask bias repeats its S query rows (the builder's query layout). */
  maskGroups(config: DecoderConfig): number;
  /** Emitted once per graph before the layers, from attention_mask [B, K]; handed to every layer as `prepared`. */
  prepare?(g: GraphBuilder, attentionMask: Value): unknown;
  /**
   * context [B, S, H*D] (o_proj is applied by the caller) and the layer's present key/value: [B, Hkv, K, D], past
   * followed by this call's positions (a builder that reads cache buffers may return them at their capacity).
   */
  emit(inputs: AttentionInputs): { context: Value; present: KeyValue };
}

/** [B, S, Hkv*D] -> [B, Hkv, S, D]. */
export function splitHeads(g: GraphBuilder, t: Value, config: DecoderConfig): Value {
  return g.op.Transpose(g.op.Reshape(t, [0, 0, config.num_key_value_heads, config.head_dim]), [0, 2, 1, 3]);
}

/**
 * transformers' eager attention without copying K/V per head: the G = H / Hkv query heads of a kv head become G*S
 * rows of one MatMul (query head h = kv * G + g, repeat_kv's order), so the mask bias repeats G times.
 */
export const decomposedAttention: AttentionBuilder = {
  name: 'decomposed',
  readsCacheBuffers: false,
  maskGroups: (config) => config.num_attention_heads / config.num_key_value_heads,
  emit({ g, config, q, k, v, mask, past }) {
    const Hkv = config.num_key_value_heads;
    const D = config.head_dim;
    const G = config.num_attention_heads / Hkv;
    let key = splitHeads(g, k, config);
    let value = splitHeads(g, v, config);
    if (past) {
      key = g.op.Concat([past.key, key], 2); // [B, Hkv, K, D]
      value = g.op.Concat([past.value, value], 2);
    }
    // [B, S, Hkv, G, D] -> [B, Hkv, G, S, D] -> [B, Hkv, G*S, D]
    const grouped = g.op.Reshape(g.op.Transpose(g.op.Reshape(q, [0, 0, Hkv, G, D]), [0, 2, 3, 1, 4]), [0, 0, -1, D]);
    // q k^T / sqrt(query_pre_attn_scalar) (head_dim except for Gemma), Gemma 2's soft-capping, then the mask bias
    const scaled = g.op.Mul(grouped, g.constant(f32([], [1 / Math.sqrt(config.query_pre_attn_scalar)])));
    const raw = g.op.MatMul(scaled, g.op.Transpose(key, [0, 1, 3, 2])); // [B, Hkv, G*S, K]
    const cap = config.attn_logit_softcapping;
    const scores = g.op.Add(cap === null ? raw : emitSoftcap(g, raw, cap), mask);
    const context = g.op.MatMul(g.op.Softmax(scores, -1), value); // [B, Hkv, G*S, D]
    // [B, Hkv, G, S, D] -> [B, S, Hkv, G, D] -> [B, S, H*D]
    const merged = g.op.Reshape(g.op.Transpose(g.op.Reshape(context, [0, 0, G, -1, D]), [0, 3, 1, 2, 4]), [0, 0, -1]);
    return { context: merged, present: { key, value } };
  },
};
