// safetensors headers (single, sharded, corrupt variants) and tensor reads with exact F16/BF16 conversion.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { parseSafetensorsHeader, readSafetensorsHeader, readTensorIndex, type TensorInfo } from './safetensors';
import { f16BitsToNumber, readTensorF32, readTensorRowsF32, toFloat32 } from './tensor-data';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'dovetail-safetensors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Bytes of a safetensors file from a header object and a data length; `headerText` overrides the JSON. */
function build(header: Record<string, unknown>, dataBytes: number, headerText?: string): Buffer {
  const text = headerText ?? JSON.stringify(header);
  const json = Buffer.from(text.padEnd(Math.ceil(text.length / 8) * 8, ' '));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json, Buffer.alloc(dataBytes, 1)]);
}

function writeTmp(name: string, bytes: Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

async function expectCorrupt(bytes: Buffer, message: RegExp): Promise<void> {
  const path = writeTmp('bad.safetensors', bytes);
  const error = await readSafetensorsHeader(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).message).toMatch(/^bad\.safetensors: /);
  expect((error as UserError).message).toMatch(message);
  expect((error as UserError).where).toBe(path);
}

const a = { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] };
const b = { dtype: 'BF16', shape: [4], data_offsets: [24, 32] };

describe('safetensors headers', () => {
  it('reads offsets, shapes and dtypes (offset = 8 + N + data_offsets[0])', async () => {
    const path = writeTmp('ok.safetensors', build({ __metadata__: { format: 'pt' }, a, b }, 32));
    const f = await readSafetensorsHeader(path);
    const headerLength = f.header.length;
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(f.tensors).toEqual([
      { name: 'a', dtype: 'F32', shape: [2, 3], file: 'ok.safetensors', path, offset: 8 + headerLength, length: 24 },
      { name: 'b', dtype: 'BF16', shape: [4], file: 'ok.safetensors', path, offset: 8 + headerLength + 24, length: 8 },
    ]);
    expect(f.size).toBe(8 + headerLength + 32);
  });

  it('accepts empty and scalar tensors', () => {
    const header = Buffer.from(
      JSON.stringify({
        e: { dtype: 'F16', shape: [0, 4], data_offsets: [0, 0] },
        s: { dtype: 'F32', shape: [], data_offsets: [0, 4] },
      }),
    );
    const f = parseSafetensorsHeader('/x/s.safetensors', header, 8 + header.length + 4);
    expect(f.tensors.map((t) => [t.name, t.length])).toEqual([
      ['e', 0],
      ['s', 4],
    ]);
  });

  it('rejects truncated files', async () => {
    await expectCorrupt(
      build({ a, b }, 32).subarray(0, -1),
      /tensor "b" ends at byte \d+ but the file has \d+ bytes \(truncated\?\)/,
    );
    await expectCorrupt(build({ a }, 24).subarray(0, 20), /header length \d+ runs past the end/);
    await expectCorrupt(Buffer.alloc(5), /too short for a safetensors header/);
  });

  it('rejects a bad header', async () => {
    await expectCorrupt(build({}, 0, '{"a": {"dtype": "F32", '), /header is not valid JSON/);
    await expectCorrupt(build({}, 0, '[1, 2]'), /not a JSON object/);
    await expectCorrupt(
      Buffer.from('PK\u0003\u0004 this is a zip file of some length'),
      /implausible|runs past the end/,
    );
    await expectCorrupt(build({ a: { dtype: 'F32', shape: [2, 3] } }, 24), /tensor "a": data_offsets/);
    await expectCorrupt(build({ __metadata__: { format: 1 } }, 0), /__metadata__ must map strings to strings/);
  });

  it('rejects overlapping offsets, holes and extra bytes', async () => {
    await expectCorrupt(build({ a, b: { ...b, data_offsets: [20, 28] } }, 28), /tensor "b" overlaps tensor "a"/);
    await expectCorrupt(
      build({ a, b: { ...b, data_offsets: [28, 36] } }, 36),
      /unused bytes 24\.\.28 before tensor "b"/,
    );
    await expectCorrupt(build({ a }, 30), /the tensors cover 24 data bytes but the file holds 30/);
    await expectCorrupt(build({ a: { ...a, data_offsets: [24, 0] } }, 24), /end before they begin/);
  });

  it('rejects sizes that do not match dtype x shape', async () => {
    await expectCorrupt(
      build({ a: { ...a, shape: [2, 4] } }, 24),
      /tensor "a" F32 \[2, 4\] needs 32 bytes but data_offsets \[0, 24\] hold 24/,
    );
  });

  it('names tensors with unsupported or unknown dtypes', async () => {
    await expectCorrupt(
      build({ q: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, 8),
      /tensor "q" has dtype I8; Dovetail reads F32, F16 and BF16/,
    );
    await expectCorrupt(
      build({ q: { dtype: 'Q4_K', shape: [8], data_offsets: [0, 8] } }, 8),
      /tensor "q" has unknown dtype "Q4_K"/,
    );
  });
});

describe('tensor index', () => {
  it('indexes a single-file checkpoint', async () => {
    const index = await readTensorIndex(join(FIXTURES, 'tiny-llama-f32'));
    expect(index.sharded).toBe(false);
    expect(index.files.map((f) => f.file)).toEqual(['model.safetensors']);
    const q = index.tensors.get('model.layers.0.self_attn.q_proj.weight');
    expect(q).toMatchObject({ dtype: 'F32', shape: [32, 16], file: 'model.safetensors', length: 32 * 16 * 4 });
    expect(q?.path).toBe(join(FIXTURES, 'tiny-llama-f32', 'model.safetensors'));
  });

  it('indexes a sharded checkpoint through model.safetensors.index.json, with the same tensors as the single file', async () => {
    const single = await readTensorIndex(join(FIXTURES, 'tiny-llama-f32'));
    const sharded = await readTensorIndex(join(FIXTURES, 'tiny-llama-sharded'));
    expect(sharded.sharded).toBe(true);
    expect(sharded.files.map((f) => f.file)).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
    expect([...sharded.tensors.keys()].sort()).toEqual([...single.tensors.keys()].sort());
    expect(sharded.tensors.get('lm_head.weight')?.file).toBe('model-00002-of-00002.safetensors');
    const fromShard = await readTensorF32(sharded.tensors.get('lm_head.weight') as TensorInfo);
    const fromSingle = await readTensorF32(single.tensors.get('lm_head.weight') as TensorInfo);
    expect(fromShard).toEqual(fromSingle);
  });

  it('reports a shard that the index names but that is missing, or lacks a tensor', async () => {
    const folder = mkdtempSync(join(tmp, 'shards-'));
    const shard = build({ a }, 24);
    writeFileSync(join(folder, 'model-00001-of-00002.safetensors'), shard);
    const index = {
      metadata: { total_size: 48 },
      weight_map: { a: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' },
    };
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify(index));
    await expect(readTensorIndex(folder)).rejects.toThrow(/model-00002-of-00002\.safetensors: file not found/);
    writeFileSync(
      join(folder, 'model-00002-of-00002.safetensors'),
      build({ b }, 8, JSON.stringify({ b: { ...b, data_offsets: [0, 8] } })),
    );
    await expect(readTensorIndex(folder)).rejects.toThrow(
      /weight_map puts "c" in model-00002-of-00002\.safetensors, but that shard has no such tensor/,
    );
    writeFileSync(
      join(folder, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: { a: '../elsewhere.safetensors' } }),
    );
    await expect(readTensorIndex(folder)).rejects.toThrow(/not a plain file name/);
    writeFileSync(join(folder, 'model.safetensors.index.json'), '{"weight_map": ');
    await expect(readTensorIndex(folder)).rejects.toThrow(/model\.safetensors\.index\.json is not valid JSON/);
  });

  it('says when there are no safetensors weights at all', async () => {
    const folder = mkdtempSync(join(tmp, 'empty-'));
    writeFileSync(join(folder, 'pytorch_model.bin'), 'x');
    await expect(readTensorIndex(folder)).rejects.toThrow(
      /No weights: neither model\.safetensors nor model\.safetensors\.index\.json/,
    );
  });
});

describe('tensor data', () => {
  it('converts every F16 and BF16 probe value exactly as torch .float() does', async () => {
    const probe = await readSafetensorsHeader(join(FIXTURES, 'dtype-probe.safetensors'));
    const get = (name: string): TensorInfo => probe.tensors.find((t) => t.name === name) as TensorInfo;
    for (const dtype of ['f16', 'bf16']) {
      const converted = await readTensorF32(get(dtype));
      const expected = await readTensorF32(get(`${dtype}_as_f32`));
      expect(get(dtype).dtype).toBe(dtype.toUpperCase());
      expect(converted.length).toBeGreaterThan(2000);
      // Bit-for-bit, so -0, subnormals and infinities count.
      expect(new Uint32Array(converted.buffer)).toEqual(new Uint32Array(expected.buffer));
    }
  });

  it('maps half NaNs to NaN and decodes single halves', () => {
    expect(f16BitsToNumber(0x7e00)).toBeNaN();
    expect(f16BitsToNumber(0x3c00)).toBe(1);
    expect(f16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(Object.is(f16BitsToNumber(0x8000), -0)).toBe(true);
    expect(toFloat32('F16', new Uint8Array([0x00, 0x7e]))[0]).toBeNaN();
    expect(toFloat32('BF16', new Uint8Array([0xc0, 0x7f]))[0]).toBeNaN();
  });

  it('reads F16 and BF16 checkpoint tensors as the float32 values torch sees', async () => {
    const reference = JSON.parse(readFileSync(join(FIXTURES, 'checkpoint-reference.json'), 'utf-8')) as {
      checkpoints: Record<string, Record<string, { dtype: string; shape: number[]; sum: number; first: number[] }>>;
    };
    for (const [folder, tensors] of Object.entries(reference.checkpoints)) {
      const index = await readTensorIndex(join(FIXTURES, folder));
      expect([...index.tensors.keys()].sort()).toEqual(Object.keys(tensors).sort());
      for (const [name, ref] of Object.entries(tensors)) {
        const info = index.tensors.get(name) as TensorInfo;
        expect(info.dtype).toBe(ref.dtype);
        expect(info.shape).toEqual(ref.shape);
        const values = await readTensorF32(info);
        expect([...values.subarray(0, ref.first.length)]).toEqual(ref.first);
        const sum = values.reduce((s, v) => s + v, 0);
        expect(Math.abs(sum - ref.sum)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.sum)));
      }
    }
  });

  it('reads selected rows with positional reads', async () => {
    const index = await readTensorIndex(join(FIXTURES, 'tiny-qwen2-bf16'));
    const embed = index.tensors.get('model.embed_tokens.weight') as TensorInfo; // [V, C]
    const all = await readTensorF32(embed);
    const C = embed.shape[1] ?? 0;
    const rows = await readTensorRowsF32(embed, [5, 0, 300]);
    expect(rows.length).toBe(3 * C);
    expect([...rows.subarray(0, C)]).toEqual([...all.subarray(5 * C, 6 * C)]);
    expect([...rows.subarray(2 * C)]).toEqual([...all.subarray(300 * C, 301 * C)]);
    await expect(readTensorRowsF32(embed, [384])).rejects.toThrow(/outside/);
  });

  it('says when the file was truncated after indexing', async () => {
    const path = writeTmp('later.safetensors', build({ a, b }, 32));
    const f = await readSafetensorsHeader(path);
    writeFileSync(path, readFileSync(path).subarray(0, f.size - 4));
    await expect(readTensorF32(f.tensors[1] as TensorInfo)).rejects.toThrow(
      /cannot read tensor "b": the file ends at byte/,
    );
  });
});
