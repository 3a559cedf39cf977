// Quantization of nn.Linear weights [N, K]: block-wise symmetric into com.microsoft.MatMulNBits' layout (llama.cpp's
// q8_0 / q4_0: per block of 32 values one float scale; 8-bit: max|w| / 127; 4-bit: the largest-magnitude value / -8,
// so it maps exactly to code 0; the implied zero point 2^(bits-1)), per-column int8 for DynamicQuantizeMatMul (the
// int8 prefill path), and the exact inverses for reference graphs.
import { BugError } from '../../../shared/errors';

export type QuantBits = 4 | 8;

/** Values per scale: llama.cpp's QK8_0 / QK4_0, so both engines quantize the same blocks. */
export const QUANT_BLOCK_SIZE = 32;

export interface QuantizedMatrix {
  N: number;
  K: number;
  bits: QuantBits;
  blockSize: number;
  /** [N, k_blocks, blockSize * bits / 8] uint8 codes (4-bit: element 2i in the low nibble, 2i+1 in the high one). */
  data: Uint8Array;
  /** [N * k_blocks] float32: w = (code - 2^(bits-1)) * scale. */
  scales: Float32Array;
}

export function blocksPerRow(K: number, blockSize = QUANT_BLOCK_SIZE): number {
  return Math.ceil(K / blockSize);
}

/** Quantizes rows [N, K] (row-major float32) block by block along K; a short last block is zero-padded. */
export function quantizeMatrix(
  w: Float32Array,
  N: number,
  K: number,
  bits: QuantBits,
  blockSize = QUANT_BLOCK_SIZE,
): QuantizedMatrix {
  if (w.length !== N * K) throw new BugError(`quantizeMatrix: ${w.length} values is not [${N}, ${K}]`);
  const blocks = blocksPerRow(K, blockSize);
  const blob = (blockSize * bits) / 8;
  const data = new Uint8Array(N * blocks * blob);
  const scales = new Float32Array(N * blocks);
  const zero = 1 << (bits - 1);
  const maxCode = (1 << bits) - 1;
  const codes = new Uint8Array(blockSize);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < blocks; b++) {
      const start = n * K + b * blockSize;
      const end = n * K + Math.min(K, (b + 1) * blockSize);
      // The value of largest magnitude, with its sign (4-bit maps it to code 0: one more level on that side).
      let extreme = 0;
      for (let i = start; i < end; i++) {
        const v = w[i] as number;
        if (Math.abs(v) > Math.abs(extreme)) extreme = v;
      }
      const scale = bits === 8 ? Math.fround(Math.abs(extreme) / 127) : Math.fround(extreme / -8);
      const inverse = scale === 0 ? 0 : 1 / scale;
      codes.fill(zero);
      for (let i = start; i < end; i++) {
        const code = Math.round((w[i] as number) * inverse) + zero;
        codes[i - start] = Math.min(maxCode, Math.max(0, code));
      }
      scales[n * blocks + b] = scale;
      const out = (n * blocks + b) * blob;
      if (bits === 8) data.set(codes, out);
      else
        for (let i = 0; i < blob; i++) data[out + i] = (codes[2 * i] as number) | ((codes[2 * i + 1] as number) << 4);
    }
  }
  return { N, K, bits, blockSize, data, scales };
}

/** The float32 weights [N, K] that a quantized matrix stands for (what MatMulNBits multiplies by). */
export function dequantizeMatrix(q: QuantizedMatrix): Float32Array {
  const { N, K, bits, blockSize } = q;
  const blocks = blocksPerRow(K, blockSize);
  const blob = (blockSize * bits) / 8;
  const zero = 1 << (bits - 1);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const i = k % blockSize;
      const byte = q.data[(n * blocks + b) * blob + (bits === 8 ? i : i >> 1)] as number;
      const code = bits === 8 ? byte : i % 2 === 0 ? byte & 0x0f : byte >> 4;
      out[n * K + k] = Math.fround((code - zero) * (q.scales[n * blocks + b] as number));
    }
  }
  return out;
}

/**
 * W^T [K, N] as symmetric int8 with one scale per column (per output feature, max|w| / 127): the B of
 * com.microsoft.DynamicQuantizeMatMul, whose spec allows one b_scale per column of B, not per block.
 */
export interface ColumnInt8Matrix {
  N: number;
  K: number;
  /** [K, N] int8 codes (row-major: k-th input feature, n-th output). */
  codes: Int8Array;
  /** [N] float32: w[n, k] = codes[k, n] * scales[n]. */
  scales: Float32Array;
}

/** Quantizes rows [N, K] (row-major float32) per row into the transposed int8 layout [K, N]. */
export function quantizeColumns(w: Float32Array, N: number, K: number): ColumnInt8Matrix {
  if (w.length !== N * K) throw new BugError(`quantizeColumns: ${w.length} values is not [${N}, ${K}]`);
  const codes = new Int8Array(K * N);
  const scales = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(w[n * K + k] as number));
    const scale = Math.fround(max / 127);
    const inverse = scale === 0 ? 0 : 1 / scale;
    scales[n] = scale;
    for (let k = 0; k < K; k++)
      codes[k * N + n] = Math.max(-127, Math.min(127, Math.round((w[n * K + k] as number) * inverse)));
  }
  return { N, K, codes, scales };
}

/** The float32 weights [N, K] a column-int8 matrix stands for. */
export function dequantizeColumns(q: ColumnInt8Matrix): Float32Array {
  const { N, K } = q;
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) out[n * K + k] = Math.fround((q.codes[k * N + n] as number) * (q.scales[n] as number));
  return out;
}
