// Block and per-column quantization against their definitions (codes, scales, error bounds); com.microsoft.MatMulNBits
// against the dequantize-then-f32 reference (the same products up to float rounding at accuracy level 0), and
// com.microsoft.DynamicQuantizeMatMul within the derived bound of its per-call activation quantization.
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, tensor, type Tensor } from '../graph';
import { disposeGraphSessions, runGraph } from '../graph/testing/run-graph';
import { dequantizeColumns, dequantizeMatrix, quantizeColumns, quantizeMatrix, type QuantBits } from './quantize';

afterAll(disposeGraphSessions);

function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale;
  });
}

/** Y = A W^T two ways: MatMulNBits on the codes, and FusedMatMul on the dequantized weights. */
async function both(
  a: Tensor<'float32'>,
  w: Float32Array,
  N: number,
  K: number,
  bits: QuantBits,
  accuracyLevel: 0 | 4,
): Promise<{ quantized: Float32Array; reference: Float32Array }> {
  const q = quantizeMatrix(w, N, K, bits);
  const blocks = Math.ceil(K / q.blockSize);
  const g = new GraphBuilder('matmul-nbits');
  const x = g.input('a', 'float32', a.dims);
  const codes = g.initializer('w.codes', tensor('uint8', [N, blocks, (q.blockSize * bits) / 8], q.data));
  const scales = g.initializer('w.scales', tensor('float32', [N * blocks], q.scales));
  const dequantized = g.initializer('w.dequantized', tensor('float32', [N, K], dequantizeMatrix(q)));
  g.output('quantized', g.op.MatMulNBits(x, codes, scales, { N, K, bits, blockSize: q.blockSize, accuracyLevel }));
  g.output('reference', g.op.FusedMatMul(x, dequantized));
  const out = await runGraph(g, { a });
  return { quantized: out.quantized?.data as Float32Array, reference: out.reference?.data as Float32Array };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (b[i] as number)))));
  return worst;
}

describe('quantizeMatrix', () => {
  it('8-bit: scale = max|w| / 127 per block of 32, codes around 128, error at most half a step', () => {
    const w = seeded(2 * 64, 1);
    const q = quantizeMatrix(w, 2, 64, 8);
    expect(q.data.length).toBe(2 * 2 * 32);
    const firstBlock = w.subarray(0, 32);
    expect(q.scales[0]).toBeCloseTo(Math.max(...Array.from(firstBlock, Math.abs)) / 127, 7);
    const back = dequantizeMatrix(q);
    w.forEach((v, i) =>
      expect(Math.abs(v - (back[i] as number))).toBeLessThanOrEqual(
        (q.scales[Math.floor(i / 32)] as number) / 2 + 1e-7,
      ),
    );
  });

  it('4-bit: the largest-magnitude value maps to code 0 exactly, two codes per byte (low nibble first)', () => {
    const w = new Float32Array(32).fill(0.1);
    w[5] = -0.8; // extreme, negative: scale = -0.8 / -8 = 0.1
    w[6] = 0.35; // 3.5 steps: rounds away from zero (Math.round(3.5) = 4)
    const q = quantizeMatrix(w, 1, 32, 4);
    expect(q.scales[0]).toBeCloseTo(0.1, 7);
    expect(q.data.length).toBe(16);
    expect(q.data[2] as number & 0x0f).toBe(9); // w[4] = 0.1 -> 1 + 8
    expect((q.data[2] as number) >> 4).toBe(0); // w[5] = -0.8 -> -8 + 8
    const back = dequantizeMatrix(q);
    expect(back[5]).toBeCloseTo(-0.8, 6);
    expect(back[0]).toBeCloseTo(0.1, 6);
  });

  it('pads a short last block with zeros and keeps an all-zero block at scale 0', () => {
    const w = new Float32Array(40);
    w[33] = 2;
    const q = quantizeMatrix(w, 1, 40, 8);
    expect(q.scales[0]).toBe(0);
    const back = dequantizeMatrix(q);
    expect(back[33]).toBeCloseTo(2, 6);
    expect(Array.from(back).filter((v) => v !== 0)).toHaveLength(1);
  });
});

describe('MatMulNBits (com.microsoft, CPU kernel)', () => {
  for (const bits of [8, 4] as const) {
    it(`${bits}-bit, accuracy level 0: equals the dequantize-then-f32 product up to float rounding`, async () => {
      const [N, K] = [48, 96]; // K = 3 blocks
      const w = seeded(N * K, 7, 0.2);
      const a = tensor('float32', [2, 3, K], seeded(2 * 3 * K, 8));
      const { quantized, reference } = await both(a, w, N, K, bits, 0);
      expect(quantized).toHaveLength(2 * 3 * N);
      // Sums of 96 products of magnitude <= 0.1: float32 rounding in a different summation order stays far below 1e-5.
      expect(maxAbsDiff(quantized, reference)).toBeLessThan(1e-5);
    });
  }

  it('accuracy level 4 (activations quantized to int8 per block) stays within the int8 rounding of A', async () => {
    const [N, K] = [32, 128];
    const w = seeded(N * K, 3, 0.2);
    const a = tensor('float32', [1, 1, K], seeded(K, 4));
    const { quantized, reference } = await both(a, w, N, K, 4, 4);
    // Each of A's blocks rounds to 1/127 of its max (0.5): at most K * 0.5/127/2 * max|w| (0.1) per output.
    expect(maxAbsDiff(quantized, reference)).toBeLessThan(((K * 0.5) / 127 / 2) * 0.1);
    expect(maxAbsDiff(quantized, reference)).toBeGreaterThan(0);
  });

  it('infers [..., N] and names a wrong code layout', () => {
    const g = new GraphBuilder('bad');
    const x = g.input('a', 'float32', ['B', 'T', 64]);
    const scales = g.input('s', 'float32', [32 * 2]);
    const y = g.op.MatMulNBits(x, g.input('w', 'uint8', [32, 2, 16]), scales, {
      N: 32,
      K: 64,
      bits: 4,
      blockSize: 32,
      accuracyLevel: 0,
    });
    expect(y.shape).toEqual(['B', 'T', 32]);
    expect(() =>
      g.op.MatMulNBits(x, g.input('w8', 'uint8', [32, 2, 16]), scales, {
        N: 32,
        K: 64,
        bits: 8,
        blockSize: 32,
        accuracyLevel: 0,
      }),
    ).toThrow(/B must be \[32, 2, 32\]/);
    expect(() =>
      g.op.MatMulNBits(x, g.input('w3', 'uint8', [32, 4, 8]), scales, {
        N: 32,
        K: 64,
        bits: 4,
        blockSize: 16,
        accuracyLevel: 0,
      }),
    ).toThrow(/scales must be \[128\]/);
  });
});

describe('quantizeColumns and DynamicQuantizeMatMul (com.microsoft, CPU kernel)', () => {
  it('stores W^T [K, N] as int8 with scale max|w| / 127 per output feature, error at most half a step', () => {
    const [N, K] = [3, 40];
    const w = seeded(N * K, 11, 0.4);
    w[K + 7] = 0; // a row's values ...
    const q = quantizeColumns(w, N, K);
    expect(q.codes).toHaveLength(K * N);
    const rowMax = (n: number): number => Math.max(...Array.from(w.subarray(n * K, (n + 1) * K), Math.abs));
    for (let n = 0; n < N; n++) expect(q.scales[n]).toBeCloseTo(rowMax(n) / 127, 7);
    expect(Math.max(...Array.from(q.codes, Math.abs))).toBe(127);
    const back = dequantizeColumns(q);
    w.forEach((v, i) =>
      expect(Math.abs(v - (back[i] as number))).toBeLessThanOrEqual((q.scales[Math.floor(i / K)] as number) / 2 + 1e-7),
    );
    // ... sit in column n of the transposed codes: w[1, 7] = 0 -> codes[7, 1].
    expect(q.codes[7 * N + 1]).toBe(0);
    expect(dequantizeColumns(quantizeColumns(new Float32Array(K), 1, K)).every((v) => v === 0)).toBe(true);
  });

  it('equals the dequantize-then-f32 product within the rounding of A to uint8 per tensor', async () => {
    // A is quantized per call as ONNX DynamicQuantizeLinear does: scale s = (max(0, max A) - min(0, min A)) / 255,
    // each value rounded to the nearest step (at most s / 2 off; a value at either end of the range may saturate,
    // at most s off). So |Y - A W^T|[n] <= s / 2 * (sum_k |w[n, k]| + 2 max_k |w[n, k]|), plus float rounding.
    const [N, K] = [40, 96];
    const q = quantizeColumns(seeded(N * K, 5, 0.2), N, K);
    const w = dequantizeColumns(q);
    const a = tensor('float32', [2, 3, K], seeded(2 * 3 * K, 6, 2));
    const g = new GraphBuilder('dqmm');
    const x = g.input('a', 'float32', a.dims);
    g.output(
      'int8',
      g.op.DynamicQuantizeMatMul(
        x,
        g.initializer('b', tensor('int8', [K, N], q.codes)),
        g.initializer('s', tensor('float32', [N], q.scales)),
      ),
    );
    g.output('reference', g.op.FusedMatMul(x, g.initializer('w', tensor('float32', [N, K], w))));
    const out = await runGraph(g, { a });
    const [y, r] = [out.int8?.data as Float32Array, out.reference?.data as Float32Array];
    expect(y).toHaveLength(2 * 3 * N);
    const s = (Math.max(0, ...a.data) - Math.min(0, ...a.data)) / 255;
    for (let row = 0; row < 6; row++)
      for (let n = 0; n < N; n++) {
        const abs = Array.from(w.subarray(n * K, (n + 1) * K), Math.abs);
        const bound = (s / 2) * (abs.reduce((t, v) => t + v, 0) + 2 * Math.max(...abs)) + 1e-5;
        const diff = Math.abs((y[row * N + n] as number) - (r[row * N + n] as number));
        expect(diff).toBeLessThanOrEqual(bound);
      }
    expect(maxAbsDiff(y, r)).toBeGreaterThan(0); // activations really are quantized
  });
});
