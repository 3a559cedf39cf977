// Writes the safetensors format (huggingface/safetensors README "Format"): an 8-byte little-endian header length, a
// JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}} padded with spaces to 8 bytes, then the
// tensors back to back. By hand because the format is ~60 lines and the npm packages read only. F32 or F16 (from f32).
import { endianness } from 'node:os';
import { BugError } from '../../../shared/errors';

export type WriteDtype = 'F32' | 'F16';

export interface TensorToWrite {
  name: string;
  shape: readonly number[];
  data: Float32Array; // C order, shape's element count
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** IEEE binary16 bits of a float32, rounded to nearest even (as torch's .half()); overflow gives ±Inf. */
export function float32ToF16Bits(value: number): number {
  scratch[0] = value;
  const x = scratchBits[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 | (mantissa >>> 13) : 0); // Inf, NaN (quiet)
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: signed zero
    const m = mantissa | 0x800000; // implicit one
    const shift = 14 - e; // 24-bit significand -> subnormal 10-bit field
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let out = m >>> shift;
    if (rest > half || (rest === half && (out & 1) === 1)) out += 1; // a carry into the exponent is still correct
    return sign | out;
  }
  let out = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (out & 1) === 1)) out += 1; // may carry to Inf, as it should
  return sign | out;
}

/** The tensor bytes in the given dtype (little-endian). */
function encodeData(data: Float32Array, dtype: WriteDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = float32ToF16Bits(data[i] as number);
  return new Uint8Array(out.buffer);
}

/** The whole file. Tensors are stored in name order; metadata values must be strings (PEFT writes {"format": "pt"}). */
export function encodeSafetensors(
  tensors: readonly TensorToWrite[],
  dtype: WriteDtype,
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  if (endianness() !== 'LE') throw new BugError('Dovetail writes safetensors on little-endian machines only');
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of sorted) {
    if (t.name === '__metadata__' || t.name in header)
      throw new BugError(`safetensors: duplicate or reserved tensor name "${t.name}"`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new BugError(`safetensors: ${t.name} [${t.shape.join(', ')}] needs ${count} values, got ${t.data.length}`);
    const bytes = encodeData(t.data, dtype);
    header[t.name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8; // 8-byte alignment of the data, as the reference writer pads
  if (padded !== json.length) json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
