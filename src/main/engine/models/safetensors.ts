// safetensors headers (single model.safetensors or model.safetensors.index.json + shards) -> a tensor index:
// dtype, shape, file and absolute byte range of every tensor, for ONNX external data. Reads headers only, never
// tensor bytes (tensor-data.ts reads those). Format: huggingface/safetensors README "Format"; checks follow tensor.rs.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { openRegular } from './bounded-read';
import { describe, describeIssues, isNotFound, parseJsonBytes, readOptionalFile } from './files';

export type TensorDtype = 'F32' | 'F16' | 'BF16';
export const DTYPE_BYTES: Record<TensorDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** Every dtype safetensors defines (bits per element), so we can name the unsupported one. */
const ALL_DTYPE_BITS: Record<string, number> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/** The reference reader's limit on the JSON header. */
const MAX_HEADER_BYTES = 100_000_000;

export interface TensorInfo {
  name: string; // HF weight key, e.g. "model.layers.0.self_attn.q_proj.weight"
  dtype: TensorDtype;
  shape: number[];
  /** File name inside the model folder (the ONNX external-data `location`). */
  file: string;
  /** Absolute path of that file. */
  path: string;
  /** Absolute byte offset in the file: 8 + header length + data_offsets[0]. */
  offset: number;
  /** Byte length: data_offsets[1] - data_offsets[0]. */
  length: number;
}

export interface SafetensorsFile {
  file: string;
  path: string;
  /** File size in bytes. */
  size: number;
  /** The raw JSON header bytes (hashed into the model's content hash). */
  header: Uint8Array;
  metadata: Record<string, string> | null;
  tensors: TensorInfo[];
}

export interface TensorIndex {
  folder: string;
  sharded: boolean;
  files: SafetensorsFile[];
  tensors: Map<string, TensorInfo>;
}

export const SAFETENSORS_FILE = 'model.safetensors';
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';

const HeaderEntry = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
const Metadata = z.record(z.string(), z.string()).nullable();

const IndexJson = z.looseObject({
  metadata: z.record(z.string(), z.unknown()).nullish(),
  weight_map: z.record(z.string(), z.string()),
});

function corrupt(path: string, message: string, hint?: string): UserError {
  return new UserError(`${basename(path)}: ${message}`, {
    where: path,
    hint: hint ?? 'The file is damaged or incomplete; copy it again from the original checkpoint.',
    code: 'model-safetensors',
  });
}

/** Reads and validates one safetensors file's header (8-byte length, JSON, bounds, no overlaps, sizes, file length). */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsFile> {
  const opened = await openRegular(path, 'model-safetensors');
  if (!opened) throw corrupt(path, 'file not found', 'Copy the missing weight file into the model folder.');
  const { handle } = opened;
  try {
    const size = opened.stats.size;
    if (size < 8) throw corrupt(path, `file is ${size} bytes, too short for a safetensors header`);
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const headerLength = prefix.readBigUInt64LE(0);
    if (headerLength > BigInt(MAX_HEADER_BYTES))
      throw corrupt(
        path,
        `header length ${headerLength} is implausible (limit ${MAX_HEADER_BYTES}); this is not a safetensors file`,
      );
    if (8n + headerLength > BigInt(size))
      throw corrupt(path, `header length ${headerLength} runs past the end of the ${size}-byte file (truncated?)`);
    const header = Buffer.alloc(Number(headerLength));
    const { bytesRead } = await handle.read(header, 0, header.length, 8);
    if (bytesRead !== header.length) throw corrupt(path, 'file ended while reading the header (truncated?)');
    return parseSafetensorsHeader(path, header, size);
  } finally {
    await handle.close();
  }
}

/** Validates header bytes of a file of `fileSize` bytes. Pure, so corrupt variants are easy to test. */
export function parseSafetensorsHeader(path: string, header: Uint8Array, fileSize: number): SafetensorsFile {
  const file = basename(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(header);
  } catch {
    throw corrupt(path, 'header is not UTF-8 text; this is not a safetensors file');
  }
  if (!text.trimStart().startsWith('{'))
    throw corrupt(path, 'header is not a JSON object; this is not a safetensors file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `header is not valid JSON: ${describe(error)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw corrupt(path, 'header is not a JSON object');

  const dataStart = 8 + header.length;
  const dataSize = fileSize - dataStart;
  let metadata: Record<string, string> | null = null;
  const tensors: TensorInfo[] = [];
  const ranges: { name: string; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      const parsed = Metadata.safeParse(value);
      if (!parsed.success)
        throw corrupt(path, `__metadata__ must map strings to strings (${describeIssues(parsed.error)})`);
      metadata = parsed.data;
      continue;
    }
    const parsed = HeaderEntry.safeParse(value);
    if (!parsed.success) throw corrupt(path, `tensor "${name}": ${describeIssues(parsed.error)}`);
    const { dtype, shape, data_offsets } = parsed.data;
    const [begin, end] = data_offsets;
    const bits = ALL_DTYPE_BITS[dtype];
    if (bits === undefined) throw corrupt(path, `tensor "${name}" has unknown dtype "${dtype}"`);
    if (!(dtype in DTYPE_BYTES)) {
      throw corrupt(
        path,
        `tensor "${name}" has dtype ${dtype}; Dovetail reads F32, F16 and BF16 weights`,
        'Use an unquantized F32, F16 or BF16 checkpoint.',
      );
    }
    if (end < begin)
      throw corrupt(path, `tensor "${name}" has data_offsets [${begin}, ${end}] that end before they begin`);
    const elements = shape.reduce((a, b) => a * b, 1);
    const expected = (elements * bits) / 8;
    if (!Number.isSafeInteger(expected) || expected !== end - begin) {
      throw corrupt(
        path,
        `tensor "${name}" ${dtype} [${shape.join(', ')}] needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    }
    if (end > dataSize) {
      throw corrupt(
        path,
        `tensor "${name}" ends at byte ${dataStart + end} but the file has ${fileSize} bytes (truncated?)`,
      );
    }
    ranges.push({ name, begin, end });
    tensors.push({
      name,
      dtype: dtype as TensorDtype,
      shape,
      file,
      path,
      offset: dataStart + begin,
      length: end - begin,
    });
  }
  checkCoverage(path, ranges, dataSize);
  return { file, path, size: fileSize, header, metadata, tensors };
}

/** The data buffer must be covered exactly: no overlaps, no holes, nothing after the last tensor. */
function checkCoverage(path: string, ranges: { name: string; begin: number; end: number }[], dataSize: number): void {
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous = '';
  for (const r of ranges) {
    if (r.begin < cursor)
      throw corrupt(path, `tensor "${r.name}" overlaps tensor "${previous}" (bytes ${r.begin} < ${cursor})`);
    if (r.begin > cursor)
      throw corrupt(path, `unused bytes ${cursor}..${r.begin} before tensor "${r.name}" (the format allows no holes)`);
    cursor = r.end;
    previous = r.name;
  }
  if (cursor !== dataSize) {
    throw corrupt(path, `the tensors cover ${cursor} data bytes but the file holds ${dataSize} after the header`);
  }
}

/**
 * Indexes the weights of a checkpoint folder: model.safetensors when present (as transformers prefers), else
 * model.safetensors.index.json and the shards it names.
 */
export async function readTensorIndex(modelFolder: string): Promise<TensorIndex> {
  const folder = resolve(modelFolder);
  const single = join(folder, SAFETENSORS_FILE);
  const indexPath = join(folder, SAFETENSORS_INDEX_FILE);
  let files: SafetensorsFile[];
  let sharded = false;
  if (await fileExists(single)) {
    files = [await readSafetensorsHeader(single)];
  } else {
    const indexBytes = await readOptionalFile(indexPath);
    if (indexBytes === null) {
      throw new UserError(
        `No weights: neither ${SAFETENSORS_FILE} nor ${SAFETENSORS_INDEX_FILE} is in the model folder.`,
        {
          where: folder,
          hint:
            'Dovetail reads safetensors weights. Convert PyTorch .bin checkpoints with transformers ' +
            '(save_pretrained(safe_serialization=True)).',
          code: 'model-safetensors',
        },
      );
    }
    files = await readShards(folder, indexPath, indexBytes);
    sharded = true;
  }
  const tensors = new Map<string, TensorInfo>();
  for (const f of files) {
    for (const t of f.tensors) {
      const other = tensors.get(t.name);
      if (other)
        throw corrupt(
          t.path,
          `tensor "${t.name}" is also in ${other.file}`,
          'The shards overlap; copy the checkpoint again.',
        );
      tensors.set(t.name, t);
    }
  }
  return { folder, sharded, files, tensors };
}

async function readShards(folder: string, indexPath: string, indexBytes: Uint8Array): Promise<SafetensorsFile[]> {
  const parsed = IndexJson.safeParse(parseJsonBytes(indexBytes, indexPath));
  if (!parsed.success) throw corrupt(indexPath, describeIssues(parsed.error));
  const weightMap = parsed.data.weight_map;
  const shardNames = [...new Set(Object.values(weightMap))].sort();
  if (shardNames.length === 0) throw corrupt(indexPath, 'weight_map is empty');
  for (const name of shardNames) {
    if (isAbsolute(name) || name.includes('/') || name.includes('\\') || name === '..' || name === '.') {
      throw corrupt(
        indexPath,
        `shard "${name}" is not a plain file name in the model folder`,
        'Shards must sit beside the index file.',
      );
    }
  }
  const files = await Promise.all(shardNames.map((name) => readSafetensorsHeader(join(folder, name))));
  const byFile = new Map(files.map((f) => [f.file, new Set(f.tensors.map((t) => t.name))]));
  for (const [tensor, shard] of Object.entries(weightMap)) {
    if (!byFile.get(shard)?.has(tensor)) {
      throw corrupt(indexPath, `weight_map puts "${tensor}" in ${shard}, but that shard has no such tensor`);
    }
  }
  return files;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw corrupt(path, `cannot read: ${describe(error)}`, 'Check that the file is readable by your user account.');
  }
}
