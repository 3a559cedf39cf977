// The GGUF writer against the format: f16 rounding, q8_0 / q4_0 block layout as ggml decodes it, and written files
// read back (header, metadata with the BPE vocabulary padded to the embedding rows, tensor table, data size; Qwen2's
// q/k/v biases as f32 vectors and its q/k rows unpermuted).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_ROOT } from '../../src/main/engine/models/testing/reference-fixtures';
import { loadCheckpoint, readTensorF32, type TensorInfo } from '../../src/main/engine/models';
import { f16Bits, quantizeQ4_0, quantizeQ8_0, writeGguf } from './gguf';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dovetail-gguf-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const half = (bits: number): number => {
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  return (bits & 0x8000 ? -1 : 1) * (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
};

/** A minimal GGUF v3 reader: metadata (scalars, strings, arrays) and the tensor table. */
function readGguf(bytes: Buffer) {
  let at = 0;
  const u32 = () => ((at += 4), bytes.readUInt32LE(at - 4));
  const u64 = () => ((at += 8), Number(bytes.readBigUInt64LE(at - 8)));
  const str = () => {
    const n = u64();
    at += n;
    return bytes.toString('utf8', at - n, at);
  };
  const value = (type: number): unknown => {
    if (type === 4) return u32();
    if (type === 5) return ((at += 4), bytes.readInt32LE(at - 4));
    if (type === 6) return ((at += 4), bytes.readFloatLE(at - 4));
    if (type === 8) return str();
    if (type === 9) {
      const inner = u32();
      return Array.from({ length: u64() }, () => value(inner));
    }
    throw new Error(`type ${type}`);
  };
  const magic = bytes.toString('ascii', 0, 4);
  at = 4;
  const version = u32();
  const tensors = u64();
  const kvs = u64();
  const meta = new Map<string, unknown>();
  for (let i = 0; i < kvs; i++) {
    const key = str();
    meta.set(key, value(u32()));
  }
  const table = Array.from({ length: tensors }, () => {
    const name = str();
    const ne = Array.from({ length: u32() }, u64);
    return { name, ne, type: u32(), offset: u64() };
  });
  return { magic, version, meta, table, dataStart: Math.ceil(at / 32) * 32 };
}

describe('GGUF blocks', () => {
  it('f16: round to nearest even, subnormals, overflow to infinity', () => {
    expect(f16Bits(1)).toBe(0x3c00);
    expect(f16Bits(-2)).toBe(0xc000);
    expect(f16Bits(0.1)).toBe(0x2e66);
    expect(f16Bits(65504)).toBe(0x7bff);
    expect(f16Bits(1e6)).toBe(0x7c00);
    expect(f16Bits(2 ** -24)).toBe(0x0001);
    expect(f16Bits(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to the even mantissa
  });

  it('q8_0 and q4_0 decode (as ggml does) to within half a step of the values', () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i) * 0.3);
    const q8 = quantizeQ8_0(x);
    expect(q8.length).toBe(34);
    const d8 = half(q8.readUInt16LE(0));
    // Half a step, plus the f16 rounding of d (relative 2^-11) over up to 127 steps.
    x.forEach((v, i) => expect(Math.abs(q8.readInt8(2 + i) * d8 - v)).toBeLessThanOrEqual(d8 * (0.5 + 127 * 2 ** -11)));
    const q4 = quantizeQ4_0(x);
    expect(q4.length).toBe(18);
    const d4 = half(q4.readUInt16LE(0));
    x.forEach((v, i) => {
      const byte = q4[2 + (i % 16)] as number;
      const code = i < 16 ? byte & 0x0f : byte >> 4; // value j in the low nibble, j + 16 in the high one
      // Half a step, except that codes stop at 15: a value near -max (the extreme's opposite side) is one step off.
      expect(Math.abs((code - 8) * d4 - v)).toBeLessThanOrEqual(
        Math.abs(d4) * (Math.abs(v) > 7.5 * Math.abs(d4) ? 1 : 0.5) * (1 + 2 ** -10),
      );
    });
  });
});

describe('writeGguf', () => {
  it('writes a q8_0 file with llama metadata, the BPE vocabulary padded to the embedding rows and every tensor', async () => {
    const path = join(dir, 'llama-q8_0.gguf');
    await writeGguf(join(REFERENCE_ROOT, 'llama'), 'q8_0', path);
    const bytes = await readFile(path);
    const g = readGguf(bytes);
    expect([g.magic, g.version]).toEqual(['GGUF', 3]);
    expect(g.meta.get('general.architecture')).toBe('llama');
    expect(g.meta.get('general.file_type')).toBe(7);
    expect(g.meta.get('tokenizer.ggml.model')).toBe('gpt2');
    const config = JSON.parse(await readFile(join(REFERENCE_ROOT, 'llama', 'config.json'), 'utf8')) as {
      vocab_size: number;
      num_hidden_layers: number;
      hidden_size: number;
    };
    const tokens = g.meta.get('tokenizer.ggml.tokens') as string[];
    const types = g.meta.get('tokenizer.ggml.token_type') as number[];
    expect(tokens).toHaveLength(config.vocab_size);
    expect(types).toHaveLength(config.vocab_size);
    expect(types.filter((t) => t === 3).length).toBeGreaterThan(0); // specials are control tokens
    expect((g.meta.get('tokenizer.ggml.merges') as string[])[0]).toBe('h e');
    expect(g.meta.get('llama.block_count')).toBe(config.num_hidden_layers);
    expect(g.table).toHaveLength(
      1 + 9 * config.num_hidden_layers + 1 + (g.table.some((t) => t.name === 'output.weight') ? 1 : 0),
    );
    const embed = g.table.find((t) => t.name === 'token_embd.weight');
    expect(embed).toMatchObject({ ne: [config.hidden_size, config.vocab_size], type: 8 });
    expect(g.table.find((t) => t.name === 'blk.0.attn_norm.weight')?.type).toBe(0); // norms stay f32
    const last = g.table.at(-1) as (typeof g.table)[number];
    const n = last.ne.reduce((a, b) => a * b, 1);
    const size = last.type === 0 ? n * 4 : (n / 32) * 34;
    expect(bytes.length).toBe(g.dataStart + last.offset + Math.ceil(size / 32) * 32);
  });

  it('writes a Qwen2 checkpoint as the qwen2 arch: q/k/v biases as f32 vectors, q/k rows as stored', async () => {
    const folder = join(REFERENCE_ROOT, 'qwen2');
    const path = join(dir, 'qwen2-f32.gguf');
    await writeGguf(folder, 'f32', path);
    const bytes = await readFile(path);
    const g = readGguf(bytes);
    expect(g.meta.get('general.architecture')).toBe('qwen2');
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as {
      num_hidden_layers: number;
      hidden_size: number;
      num_attention_heads: number;
    };
    expect(g.meta.get('qwen2.block_count')).toBe(config.num_hidden_layers);
    expect(g.meta.get('qwen2.attention.head_count')).toBe(config.num_attention_heads);
    expect([...g.meta.keys()].some((k) => k.startsWith('llama.'))).toBe(false);
    const q = g.table.find((t) => t.name === 'blk.1.attn_q.bias');
    expect(q).toMatchObject({ ne: [config.hidden_size], type: 0 });
    for (const x of ['k', 'v']) expect(g.table.find((t) => t.name === `blk.0.attn_${x}.bias`)?.type).toBe(0);
    expect(g.table.some((t) => t.name.endsWith('attn_output.bias'))).toBe(false);
    // 12 tensors a layer (9 weights and norms, 3 biases), the embedding and the final norm (tied head).
    expect(g.table).toHaveLength(2 + 12 * config.num_hidden_layers);
    // Rows as stored: the q projection's first row is the checkpoint's first row.
    const checkpoint = await loadCheckpoint(folder);
    const stored = await readTensorF32(checkpoint.weights.layers[0]?.self_attn.q_proj?.weight as TensorInfo);
    const at = g.dataStart + (g.table.find((t) => t.name === 'blk.0.attn_q.weight')?.offset as number);
    const first = Array.from({ length: config.hidden_size }, (_, i) => bytes.readFloatLE(at + 4 * i));
    expect(first).toEqual(Array.from(stored.subarray(0, config.hidden_size)));
  });
});
