// Block-wise symmetric quantization of nn.Linear weights [N, K] into com.microsoft.MatMulNBits' layout, and its exact
// inverse for reference graphs. The scheme is llama.cpp's q8_0 / q4_0 (per block of 32 values one float scale; 8-bit:
// scale = max|w| / 127; 4-bit: scale = the largest-magnitude value / -8, so it maps exactly to code 0), stored with
// the implied zero point 2^(bits-1) that MatMulNBits assumes when no zero_points input is given.
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
