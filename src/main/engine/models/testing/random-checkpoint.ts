// Test helper: writes a checkpoint folder (config.json + model.safetensors with small random weights in F32, F16 or
// BF16) for any config, so real Hugging Face configs shrunk to tiny dims can be built into graphs and run.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDecoderConfig } from '../config';
import { expectedWeights } from '../weights';

export type StoredDtype = 'F32' | 'F16' | 'BF16';

/** Writes <folder>/config.json and <folder>/model.safetensors; weights ~ U(-0.1, 0.1), norms ~ 1. */
export async function writeRandomCheckpoint(
  folder: string,
  configJson: object,
  dtype: StoredDtype = 'F32',
  seed = 1,
): Promise<void> {
  const config = parseDecoderConfig(configJson);
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const tensors = expectedWeights(config).map(({ name, shape }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return {
      name,
      shape,
      values: Float32Array.from(
        { length: count },
        () => (name.endsWith('norm.weight') ? 1 : 0) + (random() - 0.5) * 0.2,
      ),
    };
  });
  await writeCheckpoint(folder, configJson, tensors, dtype);
}

/** Writes <folder>/config.json and <folder>/model.safetensors holding the given tensors (in order) as `dtype`. */
export async function writeCheckpoint(
  folder: string,
  configJson: object,
  tensors: readonly { name: string; shape: readonly number[]; values: Float32Array }[],
  dtype: StoredDtype = 'F32',
): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const { name, shape, values } of tensors) {
    const bytes = encode(values, dtype);
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(json.length), true);
  await writeFile(join(folder, 'config.json'), JSON.stringify(configJson));
  await writeFile(join(folder, 'model.safetensors'), Buffer.concat([length, new TextEncoder().encode(json), ...blobs]));
}

function encode(values: Float32Array, dtype: StoredDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bits = new Uint32Array(values.buffer);
  // BF16: the top half of the float32 (truncating is fine for random test weights); F16: packed without Math.f16round.
  const out = Uint16Array.from(bits, (b) => (dtype === 'BF16' ? b >>> 16 : toHalf(b)));
  return new Uint8Array(out.buffer);
}

/** float32 bits -> float16 bits for small normal values (|x| < 2, as the random weights are); rounds toward zero. */
function toHalf(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}
