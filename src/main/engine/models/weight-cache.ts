// Reduced-precision copies of a checkpoint's weights, made once and kept on disk: <root>/<content hash>/<format>/
// holds weights.bin (quantized linears' codes and scales, their per-column int8 copy for prefill graphs, every other
// tensor copied as stored) and manifest.json
// (written last, so a half-written cache is never used). The manifest records the sha256 of the source weight bytes;
// a cache is reused while the source files keep their sizes and times, or, when those moved, their bytes hash the same.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import type { QuantizedWeightFormat } from '../../../shared/weight-format';
import type { Checkpoint } from './checkpoint';
import type { QuantizedLinearRef, QuantizedLinears } from './graph-weights';
import type { RunnerModel } from './model-runner';
import { dequantizeMatrix, QUANT_BLOCK_SIZE, quantizeColumns, quantizeMatrix, type QuantBits } from './quantize';
import type { TensorInfo } from './safetensors';
import { readTensorF32 } from './tensor-data';
import { decoderTensors, layerLinears, type DecoderWeights } from './weights';

/** Bumped when the file layout or the quantization scheme changes: older caches are rebuilt. */
const CACHE_VERSION = 2;
export const WEIGHTS_FILE = 'weights.bin';
const MANIFEST_FILE = 'manifest.json';

const BITS: Record<QuantizedWeightFormat, QuantBits> = { q8: 8, q4: 4 };

/**
 * MatMulNBits' accuracy level per format: 4 = activations quantized to int8 per block, llama.cpp's q8_0 / q4_0 dot
 * products (decision 0014 has the measurements that chose it).
 */
export const ACCURACY_LEVEL: Record<QuantizedWeightFormat, 0 | 4> = { q8: 4, q4: 4 };

/**
 * Formats whose prefill graphs read an int8 copy of each linear (DynamicQuantizeMatMul: MLAS's int8 GEMM runs prompt
 * sizes at about twice the f32 kernel, where MatMulNBits runs at 0.7-1.3x); decode keeps MatMulNBits on the blocks.
 */
export const INT8_PREFILL: Record<QuantizedWeightFormat, boolean> = { q8: true, q4: true };

const Range = z.object({ offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() });
const Manifest = z.object({
  version: z.literal(CACHE_VERSION),
  format: z.enum(['q8', 'q4']),
  contentHash: z.string(),
  /** sha256 over the source tensors' bytes in decoderTensors order. */
  sourceSha256: z.string(),
  sourceFiles: z.array(z.object({ file: z.string(), size: z.number(), mtimeMs: z.number() })),
  /** Tensors copied as stored (embeddings, norms, biases): name -> range in weights.bin. */
  copied: z.record(z.string(), Range),
  quantized: z.record(
    z.string(),
    z.object({
      N: z.number().int(),
      K: z.number().int(),
      bits: z.union([z.literal(4), z.literal(8)]),
      blockSize: z.number().int(),
      codes: Range,
      scales: Range,
      /** The dequantized blocks re-rounded per column: [K, N] int8 codes and [N] float32 scales. */
      int8: z.object({ codes: Range, scales: Range }).optional(),
    }),
  ),
});
type Manifest = z.infer<typeof Manifest>;

export interface WeightCacheProgress {
  /** Source bytes read so far and in all. */
  done: number;
  total: number;
}

/** What a cache is made from: a checkpoint's config, weight map and files (Checkpoint has them all). */
export type CacheSource = Pick<Checkpoint, 'contentHash' | 'config' | 'weights'> & {
  tensors: Pick<Checkpoint['tensors'], 'files'>;
};

/** The folder of one checkpoint's cache in one format. */
export function weightCacheFolder(root: string, contentHash: string, format: QuantizedWeightFormat): string {
  return join(root, contentHash, format);
}

/**
 * The checkpoint as a RunnerModel whose linear weights (and lm_head) are `format`'s codes, building the cache first
 * when it is missing or stale. `onProgress` sees the source bytes read while building.
 */
export async function openWeightCache(
  checkpoint: CacheSource,
  format: QuantizedWeightFormat,
  root: string,
  options: {
    onProgress?: (p: WeightCacheProgress) => void;
    accuracyLevel?: 0 | 4;
    /** Whether prefill graphs read the int8 copies (default INT8_PREFILL[format]; false: MatMulNBits throughout). */
    int8Prefill?: boolean;
    /**
     * The int8 prefill's activation scale: one per position (default; a row's result does not depend on its batch)
     * or one per call (DynamicQuantizeMatMul as is; the benchmarks' comparison).
     */
    int8Scale?: 'position' | 'call';
  } = {},
): Promise<RunnerModel & { quantized: QuantizedLinears }> {
  const folder = weightCacheFolder(root, checkpoint.contentHash, format);
  let manifest = await readManifest(folder);
  if (
    manifest &&
    manifest.contentHash === checkpoint.contentHash &&
    manifest.format === format &&
    !(await sourceStillMatches(checkpoint, manifest, folder))
  )
    manifest = null;
  if (!manifest || manifest.contentHash !== checkpoint.contentHash || manifest.format !== format)
    manifest = await buildCache(checkpoint, format, folder, options.onProgress);
  const accuracyLevel = options.accuracyLevel ?? ACCURACY_LEVEL[format];
  const model = cachedModel(
    checkpoint,
    manifest,
    folder,
    format,
    accuracyLevel,
    options.int8Prefill ?? INT8_PREFILL[format],
  );
  return options.int8Scale === 'call' ? { ...model, quantized: { ...model.quantized, perCallScale: true } } : model;
}

async function readManifest(folder: string): Promise<Manifest | null> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')));
    return parsed.success ? parsed.data : null; // an older or damaged cache is rebuilt
  } catch {
    return null;
  }
}

async function sourceStats(checkpoint: CacheSource): Promise<Manifest['sourceFiles']> {
  return Promise.all(
    checkpoint.tensors.files.map(async (f) => {
      const s = await stat(f.path);
      return { file: f.file, size: s.size, mtimeMs: s.mtimeMs };
    }),
  );
}

/** Cheap check on file sizes and times; when they moved (a copy, a touch), the bytes decide. */
async function sourceStillMatches(checkpoint: CacheSource, manifest: Manifest, folder: string): Promise<boolean> {
  const now = await sourceStats(checkpoint);
  const same =
    now.length === manifest.sourceFiles.length &&
    now.every(
      (f, i) =>
        f.file === manifest.sourceFiles[i]?.file &&
        f.size === manifest.sourceFiles[i]?.size &&
        f.mtimeMs === manifest.sourceFiles[i]?.mtimeMs,
    );
  if (same) return true;
  const hash = createHash('sha256');
  for (const t of decoderTensors(checkpoint.weights)) hash.update(await readSourceBytes(t));
  if (hash.digest('hex') !== manifest.sourceSha256) return false;
  await writeFile(join(folder, MANIFEST_FILE), JSON.stringify({ ...manifest, sourceFiles: now }));
  return true;
}

/** Linear weights the format quantizes: the projections of every layer and the head. */
function linearKeys(weights: DecoderWeights): Map<string, TensorInfo> {
  const keys = new Map<string, TensorInfo>();
  for (const layer of weights.layers) for (const l of layerLinears(layer)) keys.set(l.weight.name, l.weight);
  keys.set('lm_head.weight', weights.lm_head);
  return keys;
}

async function buildCache(
  checkpoint: CacheSource,
  format: QuantizedWeightFormat,
  folder: string,
  onProgress?: (p: WeightCacheProgress) => void,
): Promise<Manifest> {
  const bits = BITS[format];
  const linears = linearKeys(checkpoint.weights);
  const quantizedNames = new Set(
    [...linears.entries()]
      .filter(([key]) => key !== 'lm_head.weight' || !checkpoint.weights.tied)
      .map(([, t]) => t.name),
  );
  const sources = decoderTensors(checkpoint.weights);
  const total = sources.reduce((a, t) => a + t.length, 0);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const partial = join(folder, `${WEIGHTS_FILE}.partial`);
  const out = await open(partial, 'w');
  const hash = createHash('sha256');
  const manifest: Manifest = {
    version: CACHE_VERSION,
    format,
    contentHash: checkpoint.contentHash,
    sourceSha256: '',
    sourceFiles: await sourceStats(checkpoint),
    copied: {},
    quantized: {},
  };
  let position = 0;
  const append = async (bytes: Uint8Array): Promise<z.infer<typeof Range>> => {
    const padding = (64 - (position % 64)) % 64; // aligned starts: ORT maps external data in place
    if (padding) await out.write(new Uint8Array(padding), 0, padding, position);
    position += padding;
    await out.write(bytes, 0, bytes.length, position);
    const range = { offset: position, length: bytes.length };
    position += bytes.length;
    return range;
  };
  const quantize = async (key: string, info: TensorInfo, values: Float32Array): Promise<void> => {
    const [N, K] = info.shape as [number, number];
    const q = quantizeMatrix(values, N, K, bits, QUANT_BLOCK_SIZE);
    const codes = await append(q.data);
    const scales = await append(bytesOf(q.scales));
    manifest.quantized[key] = { N, K, bits, blockSize: q.blockSize, codes, scales };
    if (INT8_PREFILL[format]) {
      // From the blocks, not the source: prefill and decode read the same weights, up to the int8 re-rounding.
      const c = quantizeColumns(dequantizeMatrix(q), N, K);
      const int8 = { codes: await append(bytesOf(c.codes)), scales: await append(bytesOf(c.scales)) };
      manifest.quantized[key] = { ...manifest.quantized[key], int8 };
    }
  };
  try {
    let done = 0;
    for (const info of sources) {
      const bytes = await readSourceBytes(info);
      hash.update(bytes);
      if (quantizedNames.has(info.name)) {
        await quantize(info.name, info, await readTensorF32(info)); // an untied head is filed as lm_head.weight already
      } else {
        manifest.copied[info.name] = await append(bytes);
        // A tied head reads the embeddings: its quantized copy sits beside the table the Gather keeps reading.
        if (checkpoint.weights.tied && info === checkpoint.weights.lm_head)
          await quantize('lm_head.weight', info, await readTensorF32(info));
      }
      done += info.length;
      onProgress?.({ done, total });
    }
  } finally {
    await out.close();
  }
  manifest.sourceSha256 = hash.digest('hex');
  await rename(partial, join(folder, WEIGHTS_FILE));
  await writeFile(join(folder, MANIFEST_FILE), JSON.stringify(manifest));
  return manifest;
}

function bytesOf(a: Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

async function readSourceBytes(info: TensorInfo): Promise<Uint8Array> {
  const bytes = new Uint8Array(info.length);
  const handle = await open(info.path, 'r').catch((error: unknown) => {
    throw new UserError(`Cannot read ${info.file} to make a reduced-precision copy.`, {
      where: info.path,
      hint: 'The model folder moved or its files changed; add the model again.',
      code: 'model-safetensors',
      cause: error,
    });
  });
  try {
    let done = 0;
    while (done < info.length) {
      const { bytesRead } = await handle.read(bytes, done, info.length - done, info.offset + done);
      if (bytesRead === 0)
        throw new UserError(`${info.file} ends before tensor "${info.name}".`, {
          where: info.path,
          hint: 'The weight file was truncated; copy the checkpoint again.',
          code: 'model-safetensors',
        });
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}

/** The checkpoint's model with every tensor read from the cache folder (copied ones as stored, linears as codes). */
function cachedModel(
  checkpoint: CacheSource,
  manifest: Manifest,
  folder: string,
  format: QuantizedWeightFormat,
  accuracyLevel: 0 | 4,
  int8Prefill: boolean,
): RunnerModel & { quantized: QuantizedLinears } {
  const moved = (t: TensorInfo): TensorInfo => {
    const range = manifest.copied[t.name];
    // Quantized-only tensors are never read as floats (GraphWeights.linear takes the codes): keep the source entry.
    return range
      ? { ...t, file: WEIGHTS_FILE, path: join(folder, WEIGHTS_FILE), offset: range.offset, length: range.length }
      : t;
  };
  const w = checkpoint.weights;
  const linear = <L extends { weight: TensorInfo; bias: TensorInfo | null }>(l: L): L => ({
    ...l,
    weight: moved(l.weight),
    bias: l.bias ? moved(l.bias) : null,
  });
  const weights: DecoderWeights = {
    ...w,
    embed_tokens: moved(w.embed_tokens),
    norm: moved(w.norm),
    lm_head: moved(w.lm_head),
    layers: w.layers.map((layer) => ({
      input_layernorm: moved(layer.input_layernorm),
      post_attention_layernorm: moved(layer.post_attention_layernorm),
      q_norm: layer.q_norm && moved(layer.q_norm),
      k_norm: layer.k_norm && moved(layer.k_norm),
      pre_feedforward_layernorm: layer.pre_feedforward_layernorm && moved(layer.pre_feedforward_layernorm),
      post_feedforward_layernorm: layer.post_feedforward_layernorm && moved(layer.post_feedforward_layernorm),
      self_attn: mapValues(layer.self_attn, linear),
      mlp: mapValues(layer.mlp, linear),
    })),
  };
  const linears = new Map<string, QuantizedLinearRef>(
    Object.entries(manifest.quantized).map(([key, q]) => [
      key,
      {
        N: q.N,
        K: q.K,
        bits: q.bits,
        blockSize: q.blockSize,
        codes: { file: WEIGHTS_FILE, ...q.codes },
        scales: { file: WEIGHTS_FILE, ...q.scales },
        ...(q.int8 && int8Prefill
          ? {
              int8: {
                codes: { file: WEIGHTS_FILE, ...q.int8.codes },
                scales: { file: WEIGHTS_FILE, ...q.int8.scales },
              },
            }
          : {}),
      },
    ]),
  );
  return {
    config: checkpoint.config,
    weights,
    contentHash: checkpoint.contentHash,
    folder,
    quantized: { linears, accuracyLevel },
    weightFormat: format,
  };
}

function mapValues<K extends string, V>(record: Partial<Record<K, V>>, f: (v: V) => V): Partial<Record<K, V>> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as V)])) as Partial<Record<K, V>>;
}
