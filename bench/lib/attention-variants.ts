// The attention forms the app tried and kept out of its graphs, for the benchmarks: one node per layer instead of the
// decomposed MatMul/Softmax, both parity-tested against PyTorch (attention-variants.test.ts) and measured no faster
// on a 2-core CPU (decisions 0006, 0007). They plug into the engine through RunnerOptions.attention; src/ never
// imports them (the layering rule).
import { BugError } from '../../src/shared/errors';
import { tensor, type GraphBuilder, type Value } from '../../src/main/engine/graph';
import { DEFAULT_ATTENTION, splitHeads, type AttentionBuilder } from '../../src/main/engine/models';

/** ONNX Attention-23: one node per layer with a past; its bias [B, 1, S, K] broadcasts over the heads. */
export const onnxAttention: AttentionBuilder = {
  name: 'onnx',
  readsCacheBuffers: false,
  maskGroups: () => 1,
  emit({ g, config, q, k, v, mask, past }) {
    const H = config.num_attention_heads;
    const y = g.op.Attention({ q, k, v, mask, past, heads: H, kvHeads: config.num_key_value_heads }); // [B, S, H*D]
    const [, key, value] = g.outputsOf(y); // present_key / present_value [B, Hkv, K, D] when there is a past
    const present =
      past && key && value ? { key, value } : { key: splitHeads(g, k, config), value: splitHeads(g, v, config) };
    return { context: y, present };
  },
};

interface GqaLengths {
  seqlensK: Value; // [B] int32: K - 1 for every row (left padding is masked by the bias, not by a shorter length)
  total: Value; // [] int32: K
}

/**
 * com.microsoft.GroupQueryAttention (head size a multiple of 8): `past` are the runner's [B, Hkv, capacity, D] buffers
 * whole, of which the kernel reads the first K - S positions per row; present comes out [B, Hkv, max(K, capacity), D]
 * (the runner keeps `added`). Needs the 'appended' cache kind.
 */
export const gqaAttention: AttentionBuilder = {
  name: 'gqa',
  readsCacheBuffers: true,
  maskGroups: () => 1,
  /** K = attention_mask's width (past + virtual + new keys), as GroupQueryAttention wants it. */
  prepare(g: GraphBuilder, attentionMask: Value): GqaLengths {
    const total = g.op.Cast(g.op.Squeeze(g.op.Shape(attentionMask, 1, 2), [0]), 'int32'); // []
    const batch = g.op.Shape(attentionMask, 0, 1); // [1] = B
    return { seqlensK: g.op.Expand(g.op.Sub(total, g.constant(tensor('int32', [], Int32Array.of(1)))), batch), total };
  },
  emit({ g, config, q, k, v, mask, past, prepared }) {
    const lengths = prepared as GqaLengths | undefined;
    if (!past || !lengths) throw new BugError('GroupQueryAttention needs the cache buffers and lengths');
    const y = g.op.GroupQueryAttention({
      q,
      k,
      v,
      past,
      seqlensK: lengths.seqlensK,
      totalSequenceLength: lengths.total,
      bias: mask,
      heads: config.num_attention_heads,
      kvHeads: config.num_key_value_heads,
    }); // [B, S, H*D]
    const [, key, value] = g.outputsOf(y);
    return { context: y, present: { key: key as Value, value: value as Value } };
  },
};

/** The attentions a bench command line may name (--attention=..., decode-ab setups). */
export const ATTENTIONS: Record<string, AttentionBuilder> = {
  decomposed: DEFAULT_ATTENTION,
  gqa: gqaAttention,
  onnx: onnxAttention,
};

export function attentionNamed(name: string): AttentionBuilder {
  const found = ATTENTIONS[name];
  if (!found) throw new Error(`unknown attention ${name} (${Object.keys(ATTENTIONS).join(', ')})`);
  return found;
}
