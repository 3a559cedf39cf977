// The fused inference ops: shape inference (with the present outputs GraphBuilder.outputsOf exposes), shape-rich
// errors, and onnxruntime agreeing with the decomposed forms they replace (grouped-query attention with a past and a
// padding mask, as Attention-23 and as com.microsoft.GroupQueryAttention; Add + RMSNorm).
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder';
import type { Value } from './ir';
import { f32, tensor, type Tensor } from './tensor';
import { disposeGraphSessions, runGraph as run } from './testing/run-graph';

afterAll(disposeGraphSessions);

function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** Reference attention for one batch row: query head h reads kv head floor(h / G), keys = past then new. */
function reference(
  q: Float32Array,
  keys: Float32Array[][],
  values: Float32Array[][],
  bias: number[],
  H: number,
  Hkv: number,
  D: number,
): number[] {
  const out: number[] = [];
  for (let h = 0; h < H; h++) {
    const kv = Math.floor(h / (H / Hkv));
    const scores = (keys[kv] as Float32Array[]).map((k, j) => {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += (q[h * D + d] as number) * (k[d] as number);
      return dot / Math.sqrt(D) + (bias[j] as number);
    });
    const max = Math.max(...scores);
    const e = scores.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let d = 0; d < D; d++)
      out.push(e.reduce((acc, w, j) => acc + (w / sum) * ((values[kv] as Float32Array[])[j]?.[d] as number), 0));
  }
  return out;
}

interface AttentionData {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  pk: Float32Array;
  pv: Float32Array;
}

/** Random q/k/v for one new position and [1, Hkv, stride, D] past buffers. */
function attentionData(H: number, Hkv: number, D: number, stride: number): AttentionData {
  return {
    q: seeded(H * D, 1),
    k: seeded(Hkv * D, 2),
    v: seeded(Hkv * D, 3),
    pk: seeded(Hkv * stride * D, 4),
    pv: seeded(Hkv * stride * D, 5),
  };
}

/** Feeds for one new position: q, k, v, the past buffers and the [1, 1, 1, P+1] bias under `biasName`. */
function attentionFeeds(
  data: AttentionData,
  bias: number[],
  biasName: string,
  H: number,
  Hkv: number,
  D: number,
  stride: number,
): Record<string, Tensor> {
  return {
    q: tensor('float32', [1, 1, H * D], data.q),
    k: tensor('float32', [1, 1, Hkv * D], data.k),
    v: tensor('float32', [1, 1, Hkv * D], data.v),
    [biasName]: tensor('float32', [1, 1, 1, bias.length], Float32Array.from(bias)),
    past_key: tensor('float32', [1, Hkv, stride, D], data.pk),
    past_value: tensor('float32', [1, Hkv, stride, D], data.pv),
  };
}

/** The reference output for one new position over the first P positions of the [1, Hkv, stride, D] past buffers. */
function expectedAttention(
  data: AttentionData,
  bias: number[],
  H: number,
  Hkv: number,
  D: number,
  P: number,
  stride: number,
): number[] {
  const rows = (buffer: Float32Array, now: Float32Array, kv: number): Float32Array[] => [
    ...Array.from({ length: P }, (_, j) => buffer.subarray((kv * stride + j) * D, (kv * stride + j + 1) * D)),
    now.subarray(kv * D, (kv + 1) * D),
  ];
  const heads = Array.from({ length: Hkv }, (_, kv) => kv);
  return reference(
    data.q,
    heads.map((kv) => rows(data.pk, data.k, kv)),
    heads.map((kv) => rows(data.pv, data.v, kv)),
    bias,
    H,
    Hkv,
    D,
  );
}

describe('Attention-23 (3-D, with a past)', () => {
  it('infers Y and the present outputs, and matches grouped-query attention with a masked past position', async () => {
    const [H, Hkv, D, P] = [4, 2, 8, 3];
    const g = new GraphBuilder('attention');
    const q = g.input('q', 'float32', ['B', 1, H * D]);
    const k = g.input('k', 'float32', ['B', 1, Hkv * D]);
    const v = g.input('v', 'float32', ['B', 1, Hkv * D]);
    const mask = g.input('mask', 'float32', ['B', 1, 1, 'P+1']);
    const past = {
      key: g.input('past_key', 'float32', ['B', Hkv, 'P', D]),
      value: g.input('past_value', 'float32', ['B', Hkv, 'P', D]),
    };
    const y = g.op.Attention({ q, k, v, mask, past, heads: H, kvHeads: Hkv });
    const [, presentKey] = g.outputsOf(y);
    expect(y.shape).toEqual(['B', 1, H * D]);
    expect(presentKey?.shape).toEqual(['B', Hkv, 'P+1', D]);
    g.output('y', y);

    const data = attentionData(H, Hkv, D, P);
    const bias = [-3.4028234663852886e38, 0, 0, 0]; // the first past position is padding
    const out = await run(g, attentionFeeds(data, bias, 'mask', H, Hkv, D, P));
    const expected = expectedAttention(data, bias, H, Hkv, D, P, P);
    Array.from(out['y']?.data as Float32Array).forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, 5));
  });

  it('names the mismatch: heads that do not divide, and a past with the wrong head size', () => {
    const g = new GraphBuilder('bad');
    const q = g.input('q', 'float32', ['B', 1, 32]);
    const k = g.input('k', 'float32', ['B', 1, 16]);
    const mask = g.input('mask', 'float32', ['B', 1, 1, 'K']);
    expect(() => g.op.Attention({ q, k, v: k, mask, past: null, heads: 4, kvHeads: 3 })).toThrow(
      /q_num_heads 4 must be a positive multiple of kv_num_heads 3/,
    );
    const past = { key: g.input('pk', 'float32', ['B', 2, 'P', 4]), value: g.input('pv', 'float32', ['B', 2, 'P', 4]) };
    expect(() => g.op.Attention({ q, k, v: k, mask, past, heads: 4, kvHeads: 2 })).toThrow(
      /past_key must be \[B, 2, P, 8\], got \[B, 2, P, 4\]/,
    );
  });
});

describe('GroupQueryAttention (com.microsoft, CPU kernel)', () => {
  it('reads the used prefix of a larger cache buffer, masks by the bias, and matches grouped-query attention', async () => {
    const [H, Hkv, D, P, CAPACITY] = [4, 2, 8, 3, 6]; // P past positions used of a 6-position buffer
    const g = new GraphBuilder('gqa');
    const q = g.input('q', 'float32', ['B', 1, H * D]);
    const k = g.input('k', 'float32', ['B', 1, Hkv * D]);
    const v = g.input('v', 'float32', ['B', 1, Hkv * D]);
    const bias = g.input('bias', 'float32', ['B', 1, 1, 'K']);
    const past = {
      key: g.input('past_key', 'float32', ['B', Hkv, 'capacity', D]),
      value: g.input('past_value', 'float32', ['B', Hkv, 'capacity', D]),
    };
    const seqlensK = g.input('seqlens_k', 'int32', ['B']);
    const totalSequenceLength = g.input('total', 'int32', []);
    const y = g.op.GroupQueryAttention({ q, k, v, past, seqlensK, totalSequenceLength, bias, heads: H, kvHeads: Hkv });
    const [, presentKey] = g.outputsOf(y);
    expect(y.shape).toEqual(['B', 1, H * D]);
    expect(presentKey?.shape.length).toBe(4);
    g.output('y', y);

    const data = attentionData(H, Hkv, D, CAPACITY);
    const mask = [-3.4028234663852886e38, 0, 0, 0]; // the first past position is padding
    const out = await run(g, {
      ...attentionFeeds(data, mask, 'bias', H, Hkv, D, CAPACITY),
      seqlens_k: tensor('int32', [1], Int32Array.of(P)),
      total: tensor('int32', [], Int32Array.of(P + 1)),
    });
    const expected = expectedAttention(data, mask, H, Hkv, D, P, CAPACITY);
    Array.from(out['y']?.data as Float32Array).forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, 5));
  });

  it('names the mismatch: int64 lengths, heads that do not divide', () => {
    const g = new GraphBuilder('bad');
    const q = g.input('q', 'float32', ['B', 1, 32]);
    const k = g.input('k', 'float32', ['B', 1, 16]);
    const past = { key: g.input('pk', 'float32', ['B', 2, 'P', 8]), value: g.input('pv', 'float32', ['B', 2, 'P', 8]) };
    const total = g.input('total', 'int32', []);
    const args = { q, k, v: k, past, totalSequenceLength: total, bias: null, heads: 4, kvHeads: 2 };
    expect(() => g.op.GroupQueryAttention({ ...args, seqlensK: g.input('s64', 'int64', ['B']) })).toThrow(
      /seqlens_k has dtype int64; allowed: int32/,
    );
    expect(() => g.op.GroupQueryAttention({ ...args, seqlensK: g.input('s', 'int32', ['B']), kvHeads: 3 })).toThrow(
      /num_heads 4 must be a positive multiple of kv_num_heads 3/,
    );
  });
});

describe('SkipSimplifiedLayerNormalization', () => {
  it('returns RMSNorm(input + skip) and the sum, as the decomposed Add + RMSNorm', async () => {
    const C = 6;
    const g = new GraphBuilder('skip-norm');
    const x = g.input('x', 'float32', ['B', 'S', C]);
    const skip = g.input('skip', 'float32', ['B', 'S', C]);
    const gamma = g.initializer('gamma', f32([C], Array.from(seeded(C, 9))));
    const normed = g.op.SkipSimplifiedLayerNormalization(x, skip, gamma, 1e-6);
    g.output('normed', normed);
    g.output('sum', g.outputsOf(normed)[3] as Value);
    const xs = seeded(2 * C, 7);
    const ss = seeded(2 * C, 8);
    const out = await run(g, { x: tensor('float32', [1, 2, C], xs), skip: tensor('float32', [1, 2, C], ss) });
    const w = seeded(C, 9);
    for (let row = 0; row < 2; row++) {
      const sum = Array.from({ length: C }, (_, c) => (xs[row * C + c] as number) + (ss[row * C + c] as number));
      const r = 1 / Math.sqrt(sum.reduce((a, b) => a + b * b, 0) / C + 1e-6);
      sum.forEach((s, c) => {
        expect(out['sum']?.data[row * C + c]).toBeCloseTo(s, 6);
        expect(out['normed']?.data[row * C + c]).toBeCloseTo(s * r * (w[c] as number), 5);
      });
    }
  });

  it('refuses a gamma of the wrong width', () => {
    const g = new GraphBuilder('bad-norm');
    const x = g.input('x', 'float32', ['B', 'S', 6]);
    expect(() => g.op.SkipSimplifiedLayerNormalization(x, x, g.input('gamma', 'float32', [5]), 1e-6)).toThrow(
      /gamma must be \[C\] = \[6\], got \[5\]/,
    );
  });
});
