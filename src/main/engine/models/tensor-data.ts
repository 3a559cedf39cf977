// Reads one tensor's bytes (or some of its rows) from a safetensors file with positional reads and converts them to
// float32 (F16 and BF16 exactly). For tests and small tensors such as a few embedding rows; the engine itself never
// copies base weights into JS (ONNX external data points into the files).
import { openRegular } from './bounded-read';
import { endianness } from 'node:os';
import { basename } from 'node:path';
import { BugError, UserError } from '../../../shared/errors';
import { describe } from './files';
import { DTYPE_BYTES, type TensorDtype, type TensorInfo } from './safetensors';

/** Larger tensors must be read by rows (readTensorRowsF32). */
const MAX_READ_BYTES = 1 << 30;

/** Float value of one IEEE binary16 bit pattern (exact: every half is a float32). */
export function f16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let f16Table: Float32Array | undefined;

/** All 65,536 halves as float32 bit patterns, built once (NaN payloads kept, as torch's .float() does). */
function halfTable(): Float32Array {
  if (f16Table) return f16Table;
  const table = new Float32Array(65536);
  const bits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const exponent = (h >> 10) & 0x1f;
    if (exponent === 0x1f) {
      bits[h] = ((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13);
    } else {
      table[h] = f16BitsToNumber(h);
    }
  }
  f16Table = table;
  return table;
}

/** Converts little-endian tensor bytes to float32 (a view when F32 and aligned, else a new array). */
export function toFloat32(dtype: TensorDtype, source: Uint8Array): Float32Array {
  if (endianness() !== 'LE') throw new BugError('Dovetail reads safetensors on little-endian machines only');
  const width = DTYPE_BYTES[dtype];
  if (source.byteLength % width !== 0)
    throw new BugError(`toFloat32: ${source.byteLength} bytes is not a whole number of ${dtype}`);
  // Typed-array views need element alignment; our own read buffers are aligned, anything else is copied once.
  const bytes = source.byteOffset % width === 0 ? source : source.slice();
  const count = bytes.byteLength / width;
  switch (dtype) {
    case 'F32':
      return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    case 'F16': {
      const input = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const table = halfTable();
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[input[i] ?? 0] ?? 0;
      return out;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const input = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const out = new Uint32Array(count);
      for (let i = 0; i < count; i++) out[i] = (input[i] ?? 0) << 16;
      return new Float32Array(out.buffer);
    }
  }
}

/** The whole tensor as float32, in its shape's C order. */
export async function readTensorF32(info: TensorInfo): Promise<Float32Array> {
  if (info.length > MAX_READ_BYTES) {
    throw new BugError(`readTensorF32: ${info.name} is ${info.length} bytes; read it by rows (readTensorRowsF32)`);
  }
  const bytes = new Uint8Array(info.length);
  await readRanges(info, [{ target: 0, offset: info.offset, length: info.length }], bytes);
  return toFloat32(info.dtype, bytes);
}

/**
 * Selected rows of a tensor of rank >= 1 as float32 [rows.length, ...shape.slice(1)], e.g. the embeddings
 * model.embed_tokens.weight [V, C] of a few token ids.
 */
export async function readTensorRowsF32(info: TensorInfo, rows: readonly number[]): Promise<Float32Array> {
  const [count, ...rest] = info.shape;
  if (count === undefined) throw new BugError(`readTensorRowsF32: ${info.name} is a scalar`);
  const rowBytes = rest.reduce((a, b) => a * b, 1) * DTYPE_BYTES[info.dtype];
  const ranges = rows.map((row, i) => {
    if (!Number.isInteger(row) || row < 0 || row >= count) {
      throw new BugError(`readTensorRowsF32: row ${row} is outside ${info.name} [${info.shape.join(', ')}]`);
    }
    return { target: i * rowBytes, offset: info.offset + row * rowBytes, length: rowBytes };
  });
  const bytes = new Uint8Array(rows.length * rowBytes);
  await readRanges(info, ranges, bytes);
  return toFloat32(info.dtype, bytes);
}

async function readRanges(
  info: TensorInfo,
  ranges: { target: number; offset: number; length: number }[],
  into: Uint8Array,
): Promise<void> {
  const fail = (message: string, cause?: unknown): UserError =>
    new UserError(`${basename(info.path)}: cannot read tensor "${info.name}": ${message}`, {
      where: info.path,
      hint: 'The weight file changed or was truncated after the model was added; add the model again.',
      code: 'model-safetensors',
      cause,
    });
  let handle;
  try {
    const opened = await openRegular(info.path, 'model-safetensors');
    if (!opened) throw fail('the file is missing');
    handle = opened.handle;
  } catch (error) {
    throw error instanceof UserError ? error : fail(describe(error), error);
  }
  try {
    for (const range of ranges) {
      let done = 0;
      while (done < range.length) {
        const { bytesRead } = await handle.read(into, range.target + done, range.length - done, range.offset + done);
        if (bytesRead === 0) throw fail(`the file ends at byte ${range.offset + done}`);
        done += bytesRead;
      }
    }
  } finally {
    await handle.close();
  }
}
