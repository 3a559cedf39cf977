// Fused ops that only inference graphs use (no VJPs: training graphs keep the decomposed forms, which have them), so a
// decode step runs far fewer nodes: ONNX Attention-23 (https://onnx.ai/onnx/operators/onnx__Attention.html) in its 3-D
// form with a past cache, one node for what is otherwise about fifteen per layer; and ORT's
// com.microsoft.SkipSimplifiedLayerNormalization, the residual Add and the RMSNorm after it in one node; and
// com.microsoft.MatMulNBits, nn.Linear on block-quantized 8-bit or 4-bit weights; com.microsoft.DynamicQuantizeMatMul,
// a product on int8 weights with per-column scales (activations quantized per call; MLAS's QGEMM, AMX where present).
import { attr, type InferInput, type Value } from './ir';
import { defineOp, fail, input, intAttr, requireDType, sameDType } from './op-def';
import { broadcast } from './shape';
import { addDims } from './dims';
import { formatShape, UNKNOWN_DIM, type Dim } from './shape';

/** Query, key and value projections and the cache it reads; the additive mask covers past + new keys. */
export interface AttentionArgs {
  /** [B, S, H*D] queries (after RoPE). */
  q: Value;
  /** [B, S, Hkv*D] keys of the new positions (after RoPE). */
  k: Value;
  /** [B, S, Hkv*D] values of the new positions. */
  v: Value;
  /** Additive float bias, broadcastable to [B, H, S, P+S] (0 = attend, very negative = masked). */
  mask: Value;
  /** [B, Hkv, P, D] cached keys and values, or null (no cache). */
  past: { key: Value; value: Value } | null;
  heads: number;
  kvHeads: number;
}

/** com.microsoft.GroupQueryAttention's inputs, in the form Dovetail uses: separate q/k/v, a cache, an additive bias. */
export interface GroupQueryAttentionArgs {
  /** [B, S, H*D] queries (after RoPE). */
  q: Value;
  /** [B, S, Hkv*D] keys of the new positions (after RoPE). */
  k: Value;
  /** [B, S, Hkv*D] values of the new positions. */
  v: Value;
  /** [B, Hkv, P, D] cache buffers: the first (total - S) positions of each row are the past (P may be larger). */
  past: { key: Value; value: Value };
  /** [B] int32: total length - 1 per row (the kernel assumes the keys of each row start at position 0). */
  seqlensK: Value;
  /** [] int32: the total key length of this call (past + S). */
  totalSequenceLength: Value;
  /** Additive float bias [B, 1, S, total] (0 = attend, very negative = masked: left padding), or null. */
  bias: Value | null;
  heads: number;
  kvHeads: number;
}

/** How MatMulNBits reads its quantized B: bits per weight, values per block, and the int8 compute switch. */
export interface MatMulNBitsArgs {
  /** Weight rows N (out features) and columns K (in features) of the [N, K] nn.Linear weight. */
  N: number;
  K: number;
  bits: 4 | 8;
  /** Values per scale along K (a power of two >= 16). */
  blockSize: number;
  /** 0: A in fp32 (exact up to float rounding against dequantize-then-MatMul); 4: A quantized to int8 per block. */
  accuracyLevel: 0 | 4;
}

const same = (a: Dim | undefined, b: Dim | undefined): boolean =>
  a === undefined || b === undefined || typeof a !== 'number' || typeof b !== 'number' || a === b;

/**
 * The checks Attention-23 and GroupQueryAttention share: heads, 3-D q/k/v of matching widths, [B, Hkv, P, D] past
 * buffers. Returns D (undefined when the query width is symbolic).
 */
function checkHeads(
  names: readonly [string, string, string, string],
  qkv: readonly [InferInput, InferInput, InferInput],
  H: number,
  Hkv: number,
  past: readonly [InferInput, InferInput] | null,
): number | undefined {
  const [q, k, v] = qkv;
  if (H <= 0 || Hkv <= 0 || H % Hkv !== 0) fail(`${names[3]} ${H} must be a positive multiple of kv_num_heads ${Hkv}`);
  qkv.forEach((x, i) => {
    if (x.shape.length !== 3) fail(`${names[i]} must be 3-D [B, S, heads*D], got ${formatShape(x.shape)}`);
  });
  const qHidden = q.shape[2];
  const D = typeof qHidden === 'number' ? qHidden / H : undefined;
  if (D !== undefined && !Number.isInteger(D))
    fail(`${names[0]}'s last dim ${qHidden} is not a multiple of ${names[3]} ${H}`);
  const kvHidden = D === undefined ? undefined : D * Hkv;
  if (!same(k.shape[2], kvHidden) || !same(v.shape[2], kvHidden))
    fail(
      `${names[1]} and ${names[2]} must be [B, S, ${kvHidden ?? 'Hkv*D'}], got ${formatShape(k.shape)} and ${formatShape(v.shape)}`,
    );
  if (!same(k.shape[1], v.shape[1]))
    fail(`${names[1]} and ${names[2]} differ in length: ${formatShape(k.shape)} and ${formatShape(v.shape)}`);
  for (const [name, p] of [
    ['past_key', past?.[0]],
    ['past_value', past?.[1]],
  ] as const) {
    if (p && (p.shape.length !== 4 || !same(p.shape[1], Hkv) || !same(p.shape[3], D)))
      fail(`${name} must be [B, ${Hkv}, P, ${D ?? 'D'}], got ${formatShape(p.shape)}`);
  }
  return D;
}

export const inferenceOps = {
  /**
   * com.microsoft MatMulNBits (symmetric form, no zero_points: the implied zero point is 2^(bits-1)): Y [..., N] =
   * A [..., K] x dequant(B)^T, where B [N, k_blocks, block_size * bits / 8] uint8 holds each row's blocks of
   * block_size values (4-bit: two per byte, the first in the low nibble) and scales [N * k_blocks] one float per
   * block: w = (q - 2^(bits-1)) * scale. The last block of a row is zero-padded when K is not a multiple.
   */
  MatMulNBits: defineOp({
    since: 1,
    domain: 'com.microsoft',
    inputNames: ['A', 'B', 'scales'],
    apply: (_ctx, a: Value, b: Value, scales: Value, q: MatMulNBitsArgs) => ({
      inputs: [a, b, scales],
      attrs: {
        K: attr.int(q.K),
        N: attr.int(q.N),
        bits: attr.int(q.bits),
        block_size: attr.int(q.blockSize),
        accuracy_level: attr.int(q.accuracyLevel),
      },
    }),
    infer: (inputs, attrs) => {
      const a = input(inputs, 0, 'A');
      const b = input(inputs, 1, 'B');
      const scales = input(inputs, 2, 'scales');
      requireDType('A', a, ['float32']);
      requireDType('B', b, ['uint8']);
      sameDType(a, scales);
      const K = intAttr(attrs, 'K', 0);
      const N = intAttr(attrs, 'N', 0);
      const bits = intAttr(attrs, 'bits', 4);
      const blockSize = intAttr(attrs, 'block_size', 0);
      if (bits !== 4 && bits !== 8) fail(`bits must be 4 or 8, got ${bits}`);
      if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0)
        fail(`block_size must be a power of two >= 16, got ${blockSize}`);
      if (K <= 0 || N <= 0) fail(`K and N must be positive, got K ${K}, N ${N}`);
      const blocks = Math.ceil(K / blockSize);
      const blob = (blockSize * bits) / 8;
      if (b.shape.length !== 3 || !same(b.shape[0], N) || !same(b.shape[1], blocks) || !same(b.shape[2], blob))
        fail(`B must be [${N}, ${blocks}, ${blob}] (N, k_blocks, block_size * bits / 8), got ${formatShape(b.shape)}`);
      if (scales.shape.length !== 1 || !same(scales.shape[0], N * blocks))
        fail(`scales must be [${N * blocks}] (N * k_blocks), got ${formatShape(scales.shape)}`);
      if (a.shape.length < 2 || !same(a.shape.at(-1), K)) fail(`A must be [..., ${K}], got ${formatShape(a.shape)}`);
      return [{ dtype: a.dtype, shape: [...a.shape.slice(0, -1), N] }];
    },
  }),
  /**
   * com.microsoft DynamicQuantizeMatMul: Y [..., N] = A [..., K] x (B [K, N] int8 * b_scale [N]), A quantized to uint8
   * per call (per tensor, asymmetric), B symmetric (no zero point).
   */
  DynamicQuantizeMatMul: defineOp({
    since: 1,
    domain: 'com.microsoft',
    inputNames: ['A', 'B', 'b_scale'],
    apply: (_ctx, a: Value, b: Value, scale: Value) => ({ inputs: [a, b, scale] }),
    infer: (inputs) => {
      const a = input(inputs, 0, 'A');
      const b = input(inputs, 1, 'B');
      const scale = input(inputs, 2, 'b_scale');
      requireDType('A', a, ['float32']);
      requireDType('B', b, ['int8']);
      sameDType(a, scale);
      if (b.shape.length !== 2) fail(`B must be [K, N], got ${formatShape(b.shape)}`);
      if (a.shape.length < 2 || !same(a.shape.at(-1), b.shape[0]))
        fail(`A must be [..., ${String(b.shape[0])}], got ${formatShape(a.shape)}`);
      if (scale.shape.length !== 1 || !same(scale.shape[0], b.shape[1]))
        fail(`b_scale must be [${String(b.shape[1])}] (N), got ${formatShape(scale.shape)}`);
      return [{ dtype: a.dtype, shape: [...a.shape.slice(0, -1), b.shape[1] as Dim] }];
    },
  }),
  /**
   * Y [B, S, H*D] = softmax(Q K^T / sqrt(D) + mask) V per head, query head h reading kv head floor(h / (H / Hkv))
   * (transformers' repeat_kv order), keys = past followed by the new ones. With a past, ORT's CPU kernel insists on
   * present_key and present_value [B, Hkv, P+S, D] outputs too (GraphBuilder.outputsOf gets them).
   */
  Attention: defineOp({
    since: 23,
    inputNames: ['Q', 'K', 'V', 'attn_mask', 'past_key', 'past_value'],
    apply: (_ctx, a: AttentionArgs) => ({
      inputs: [a.q, a.k, a.v, a.mask, a.past?.key ?? null, a.past?.value ?? null],
      attrs: { q_num_heads: attr.int(a.heads), kv_num_heads: attr.int(a.kvHeads) },
    }),
    infer: (inputs, attrs) => {
      const q = input(inputs, 0, 'Q');
      const k = input(inputs, 1, 'K');
      const v = input(inputs, 2, 'V');
      const mask = input(inputs, 3, 'attn_mask');
      const pastKey = inputs[4] ?? null;
      const pastValue = inputs[5] ?? null;
      requireDType('Q', q, ['float32']);
      for (const other of [k, v, mask, pastKey, pastValue]) if (other) sameDType(q, other);
      if ((pastKey === null) !== (pastValue === null))
        fail('past_key and past_value must both be given or both omitted');
      const Hkv = intAttr(attrs, 'kv_num_heads', 0);
      const past = pastKey && pastValue ? ([pastKey, pastValue] as const) : null;
      const D = checkHeads(['Q', 'K', 'V', 'q_num_heads'], [q, k, v], intAttr(attrs, 'q_num_heads', 0), Hkv, past);
      if (mask.shape.length < 2 || mask.shape.length > 4)
        fail(`attn_mask must have rank 2 to 4, got ${formatShape(mask.shape)}`);
      if (!same(mask.shape.at(-2), q.shape[1]) && mask.shape.at(-2) !== 1)
        fail(`attn_mask ${formatShape(mask.shape)} does not cover the ${String(q.shape[1])} queries`);
      const y = { dtype: q.dtype, shape: q.shape };
      if (!pastKey || !pastValue) return [y];
      const present = [
        q.shape[0] as Dim,
        Hkv,
        addDims(pastKey.shape[2] as Dim, k.shape[1] as Dim) ?? UNKNOWN_DIM,
        D ?? (pastKey.shape[3] as Dim),
      ];
      return [y, { dtype: q.dtype, shape: present }, { dtype: q.dtype, shape: present }];
    },
  }),
  /**
   * com.microsoft GroupQueryAttention (ORT's CPU kernel): Y [B, S, H*D] = softmax(Q K^T / sqrt(D) + bias, causal) V,
   * query head h reading kv head floor(h / (H / Hkv)). Keys are the cache's first (total - S) positions then the new
   * ones; present_key / present_value [B, Hkv, max(total, P), D] (GraphBuilder.outputsOf). Bound to the past's own
   * memory (a preallocated output) the kernel would write only the new positions, but onnxruntime-node 1.30 copies
   * every fetched output back to JavaScript, the whole cache each step (measured slower; decision 0007).
   */
  GroupQueryAttention: defineOp({
    since: 1,
    domain: 'com.microsoft',
    inputNames: [
      'query',
      'key',
      'value',
      'past_key',
      'past_value',
      'seqlens_k',
      'total_sequence_length',
      'cos_cache',
      'sin_cache',
      'position_ids',
      'attention_bias',
    ],
    apply: (_ctx, a: GroupQueryAttentionArgs) => ({
      inputs: [a.q, a.k, a.v, a.past.key, a.past.value, a.seqlensK, a.totalSequenceLength, null, null, null, a.bias],
      attrs: { num_heads: attr.int(a.heads), kv_num_heads: attr.int(a.kvHeads) },
    }),
    infer: (inputs, attrs) => {
      const q = input(inputs, 0, 'query');
      const k = input(inputs, 1, 'key');
      const v = input(inputs, 2, 'value');
      const pastKey = input(inputs, 3, 'past_key');
      const pastValue = input(inputs, 4, 'past_value');
      const seqlens = input(inputs, 5, 'seqlens_k');
      const total = input(inputs, 6, 'total_sequence_length');
      const bias = inputs[10] ?? null;
      requireDType('query', q, ['float32']);
      for (const other of [k, v, pastKey, pastValue, bias]) if (other) sameDType(q, other);
      requireDType('seqlens_k', seqlens, ['int32']);
      requireDType('total_sequence_length', total, ['int32']);
      if (seqlens.shape.length !== 1) fail(`seqlens_k must be [B], got ${formatShape(seqlens.shape)}`);
      if (total.shape.length > 1 || (total.shape.length === 1 && !same(total.shape[0], 1)))
        fail(`total_sequence_length must be a scalar, got ${formatShape(total.shape)}`);
      const Hkv = intAttr(attrs, 'kv_num_heads', 0);
      const D = checkHeads(['query', 'key', 'value', 'num_heads'], [q, k, v], intAttr(attrs, 'num_heads', 0), Hkv, [
        pastKey,
        pastValue,
      ]);
      if (bias && bias.shape.length !== 4)
        fail(`attention_bias must be [B, 1, S, total], got ${formatShape(bias.shape)}`);
      // present [B, Hkv, max(total, P), D]: the third dim is data-dependent
      const present = [q.shape[0] as Dim, Hkv, UNKNOWN_DIM, D ?? (pastKey.shape[3] as Dim)];
      return [
        { dtype: q.dtype, shape: q.shape },
        { dtype: q.dtype, shape: present },
        { dtype: q.dtype, shape: present },
      ];
    },
  }),
  /**
   * com.microsoft SkipSimplifiedLayerNormalization: sum = input + skip; output = gamma * sum / sqrt(mean(sum^2) + eps)
   * (transformers' LlamaRMSNorm on the residual sum, in fp32). Outputs output, mean, inv_std_var and sum
   * [..., C]; the op returns `output`, and GraphBuilder.outputsOf(output)[3] is the sum (the next residual).
   */
  SkipSimplifiedLayerNormalization: defineOp({
    since: 1,
    domain: 'com.microsoft',
    inputNames: ['input', 'skip', 'gamma'],
    apply: (_ctx, x: Value, skip: Value, gamma: Value, epsilon: number) => ({
      inputs: [x, skip, gamma],
      attrs: { epsilon: attr.float(epsilon) },
    }),
    infer: (inputs) => {
      const x = input(inputs, 0, 'input');
      const skip = input(inputs, 1, 'skip');
      const gamma = input(inputs, 2, 'gamma');
      requireDType('input', x, ['float32']);
      sameDType(x, skip);
      sameDType(x, gamma);
      if (x.shape.length !== 3) fail(`input must be [B, S, C], got ${formatShape(x.shape)}`);
      if (typeof broadcast(x.shape, skip.shape) === 'string' || skip.shape.length !== 3)
        fail(`skip ${formatShape(skip.shape)} must have input's shape ${formatShape(x.shape)}`);
      if (gamma.shape.length !== 1 || !same(gamma.shape[0], x.shape[2]))
        fail(`gamma must be [C] = [${String(x.shape[2])}], got ${formatShape(gamma.shape)}`);
      const stats = { dtype: x.dtype, shape: [...x.shape.slice(0, 2), 1] as Dim[] };
      return [{ dtype: x.dtype, shape: x.shape }, stats, stats, { dtype: x.dtype, shape: x.shape }];
    },
  }),
};
