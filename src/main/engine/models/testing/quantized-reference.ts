// Test helpers for quantized checkpoints: the f32 model a weight cache stands for (its linears dequantized from the
// blocks, or from the int8 prefill copy, written as a plain checkpoint), and a seeded random LoRA adapter.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensor } from '../../graph';
import { parseDecoderConfig } from '../config';
import type { QuantizedLinearRef } from '../graph-weights';
import { loraFeatures, loraModules, type LoraAdapter } from '../lora';
import type { RunnerModel } from '../model-runner';
import { dequantizeColumns, dequantizeMatrix } from '../quantize';
import { readTensorIndex } from '../safetensors';
import { readTensorF32 } from '../tensor-data';
import type { CacheSource, openWeightCache } from '../weight-cache';
import { WEIGHTS_FILE } from '../weight-cache';
import { expectedWeights, mapDecoderWeights } from '../weights';
import { writeCheckpoint } from './random-checkpoint';

export type Cached = Awaited<ReturnType<typeof openWeightCache>>;

/** A checkpoint folder as a cache source and a runnable model. */
export async function source(folder: string, configJson: object, hash: string): Promise<CacheSource & RunnerModel> {
  const config = parseDecoderConfig(configJson);
  const tensors = await readTensorIndex(folder);
  return { contentHash: hash, config, weights: mapDecoderWeights(config, tensors.tensors), tensors, folder };
}

const slice = (bytes: Uint8Array, r: { offset: number; length: number }): Uint8Array =>
  bytes.slice(r.offset, r.offset + r.length);

/** The f32 weights [N, K] a quantized linear stands for, read back from the cache file (blocks or int8 copy). */
export function dequantizedFromCache(bytes: Uint8Array, q: QuantizedLinearRef, from: 'blocks' | 'int8'): Float32Array {
  if (from === 'int8') {
    if (!q.int8) throw new Error('the linear has no int8 copy');
    const codes = new Int8Array(slice(bytes, q.int8.codes).buffer);
    const scales = new Float32Array(slice(bytes, q.int8.scales).buffer);
    return dequantizeColumns({ N: q.N, K: q.K, codes, scales });
  }
  const scales = new Float32Array(slice(bytes, q.scales).buffer);
  return dequantizeMatrix({
    N: q.N,
    K: q.K,
    bits: q.bits,
    blockSize: q.blockSize,
    data: slice(bytes, q.codes),
    scales,
  });
}

/**
 * The same checkpoint with every quantized linear replaced by its dequantized f32 values, run as stored. A tied head is
 * quantized apart from the embedding table (which the Gather reads unquantized), so the reference unties it.
 */
export async function dequantizedReference(
  model: CacheSource & RunnerModel,
  quantized: Cached,
  configJson: object,
  folder: string,
  from: 'blocks' | 'int8' = 'blocks',
): Promise<CacheSource & RunnerModel> {
  const bytes = new Uint8Array(await readFile(join(quantized.folder, WEIGHTS_FILE)));
  const original = (await readTensorIndex(model.folder)).tensors;
  const head = quantized.quantized.linears.get('lm_head.weight');
  const untied = { ...configJson, tie_word_embeddings: false };
  const tensors = [];
  for (const { name, shape } of expectedWeights(parseDecoderConfig(untied))) {
    const q = quantized.quantized.linears.get(name);
    const info = original.get(name);
    const values = q
      ? dequantizedFromCache(bytes, q, from)
      : info
        ? await readTensorF32(info)
        : head && dequantizedFromCache(bytes, head, from);
    if (!values) throw new Error(`no values for ${name}`);
    tensors.push({ name, shape, values });
  }
  await writeCheckpoint(folder, untied, tensors);
  return source(folder, untied, `${model.contentHash}-reference-${from}`);
}

/** A seeded adapter of `rank` on every module of every layer, values in [-0.1, 0.1). */
export function randomAdapter(model: RunnerModel, rank: number): LoraAdapter {
  let s = 99;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  return {
    scaling: 2,
    layers: Array.from({ length: model.config.num_hidden_layers }, () =>
      Object.fromEntries(
        loraModules(model.config).map((m) => {
          const f = loraFeatures(model.config, m);
          return [
            m,
            {
              A: tensor('float32', [rank, f.in], Float32Array.from({ length: rank * f.in }, next)),
              B: tensor('float32', [f.out, rank], Float32Array.from({ length: f.out * rank }, next)),
            },
          ];
        }),
      ),
    ),
  };
}
