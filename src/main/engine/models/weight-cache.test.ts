// The weight cache end to end: a quantized checkpoint's logits (MatMulNBits at accuracy level 0) against the same
// model with its linears dequantized to f32 and run as stored (equal up to float rounding), with a LoRA adapter and a
// soft prompt (adapters stay f32) too; int8 compute close to it; reuse, change detection and progress.
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCache } from '../runtime';
import { tensor } from '../graph';
import { loraModules } from './lora';
import { ModelRunner } from './model-runner';
import { CONFIG_ZOO } from './testing/config-zoo';
import { maxAbsDiff } from './testing/compare';
import { dequantizedReference, randomAdapter, source } from './testing/quantized-reference';
import { writeRandomCheckpoint } from './testing/random-checkpoint';
import { openWeightCache, weightCacheFolder, WEIGHTS_FILE } from './weight-cache';

const sessions = new SessionCache({ threads: 1 });
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dovetail-weight-cache-'));
});
afterAll(async () => {
  await sessions.dispose();
  await rm(root, { recursive: true, force: true });
});

const inputIds = { data: BigInt64Array.from([5, 17, 42, 7, 99, 3, 250, 11], BigInt), dims: [1, 8] as [number, number] };

describe('openWeightCache', () => {
  // SmolLM2-135M's shape: tied head, hidden 72 (the last block of each row padded); TinyLlama's: untied head;
  // Phi-3.5's fused qkv_proj and gate_up_proj; Gemma 2's tied head under soft-capping.
  for (const [name, bits] of [
    ['SmolLM2-135M', 'q4'],
    ['TinyLlama', 'q8'],
    ['SmolLM2-135M', 'q8'],
    ['TinyLlama', 'q4'],
    ['Phi-3.5-mini', 'q8'],
    ['gemma-2-2b', 'q4'],
  ] as const) {
    it(`${name} at ${bits}, accuracy level 0: logits equal the dequantized f32 model's, with LoRA and soft prompt`, async () => {
      const configJson = CONFIG_ZOO[name] as object;
      const folder = await mkdtemp(join(root, 'model-'));
      await writeRandomCheckpoint(folder, configJson, 'F32', 3);
      const model = await source(folder, configJson, `${name}-${bits}-hash`);
      // MatMulNBits throughout (the int8 prefill path has its own tests, int8-prefill.test.ts).
      const quantized = await openWeightCache(model, bits, join(root, 'cache'), {
        accuracyLevel: 0,
        int8Prefill: false,
      });
      expect(quantized.quantized.linears.size).toBe(
        loraModules(model.config).length * model.config.num_hidden_layers + 1,
      );
      const reference = await dequantizedReference(
        model,
        quantized,
        configJson,
        await mkdtemp(join(root, 'reference-')),
      );
      const [q, r] = await Promise.all([ModelRunner.open(quantized, sessions), ModelRunner.open(reference, sessions)]);
      const plain = await q.forward({ inputIds });
      expect(maxAbsDiff(plain.data, (await r.forward({ inputIds })).data)).toBeLessThan(1e-4);
      // The quantized model differs from the original f32 one (quantization is not a no-op)...
      const original = await ModelRunner.open(model, sessions);
      expect(maxAbsDiff(plain.data, (await original.forward({ inputIds })).data)).toBeGreaterThan(1e-4);
      // ...and adapters on top of it (f32) act as on the dequantized model.
      const spec = {
        adapter: randomAdapter(model, 4),
        softPrompt: tensor(
          'float32',
          [3, model.config.hidden_size],
          Float32Array.from({ length: 3 * model.config.hidden_size }, (_, i) => Math.sin(i) * 0.1),
        ),
      };
      const adapted = await q.forward({ inputIds }, spec);
      expect(adapted.dims).toEqual([1, 3 + 8, model.config.vocab_size]); // virtual positions first
      expect(maxAbsDiff(adapted.data, (await r.forward({ inputIds }, spec)).data)).toBeLessThan(1e-4);
    });
  }

  it('int8 compute (the app default) stays close to the dequantized model; the cache is reused, rebuilt on change, with progress', async () => {
    const configJson = CONFIG_ZOO['SmolLM2-135M'] as object;
    const folder = await mkdtemp(join(root, 'model-'));
    await writeRandomCheckpoint(folder, configJson, 'F32', 5);
    const model = await source(folder, configJson, 'reuse-hash');
    const cacheRoot = join(root, 'reuse');
    const progress: number[] = [];
    const fast = await openWeightCache(model, 'q8', cacheRoot, {
      onProgress: (p) => progress.push(p.done / p.total),
      int8Prefill: false,
    });
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(5);
    expect(fast.quantized.accuracyLevel).toBe(4);
    const exact = await openWeightCache(model, 'q8', cacheRoot, { accuracyLevel: 0, int8Prefill: false });
    const [a, b] = await Promise.all([
      ModelRunner.open(fast, sessions),
      ModelRunner.open({ ...exact, contentHash: 'reuse-hash-exact' }, sessions),
    ]);
    const drift = maxAbsDiff((await a.forward({ inputIds })).data, (await b.forward({ inputIds })).data);
    expect(drift).toBeGreaterThan(0);
    expect(drift).toBeLessThan(0.05);

    const bin = join(weightCacheFolder(cacheRoot, 'reuse-hash', 'q8'), WEIGHTS_FILE);
    const built = (await stat(bin)).mtimeMs;
    const again: number[] = [];
    await openWeightCache(model, 'q8', cacheRoot, { onProgress: (p) => again.push(p.done) });
    expect(again).toEqual([]); // reused: nothing read
    // Touched but the same bytes: kept (the bytes are hashed, not quantized again).
    const later = new Date(Date.now() + 5_000);
    await utimes(join(folder, 'model.safetensors'), later, later);
    await openWeightCache(model, 'q8', cacheRoot, { onProgress: (p) => again.push(p.done) });
    expect(again).toEqual([]);
    expect((await stat(bin)).mtimeMs).toBe(built);
    // Different bytes, same layout: rebuilt.
    await writeRandomCheckpoint(folder, configJson, 'F32', 6);
    await openWeightCache(model, 'q8', cacheRoot, { onProgress: (p) => again.push(p.done) });
    expect(again.length).toBeGreaterThan(0);
  });

  it('ignores a damaged manifest and builds the cache again', async () => {
    const configJson = CONFIG_ZOO.TinyLlama as object;
    const folder = await mkdtemp(join(root, 'model-'));
    await writeRandomCheckpoint(folder, configJson, 'F32', 8);
    const model = await source(folder, configJson, 'damaged-hash');
    const cacheRoot = join(root, 'damaged');
    await openWeightCache(model, 'q4', cacheRoot);
    await writeFile(join(weightCacheFolder(cacheRoot, 'damaged-hash', 'q4'), 'manifest.json'), '{"version": 1');
    const seen: number[] = [];
    const rebuilt = await openWeightCache(model, 'q4', cacheRoot, { onProgress: (p) => seen.push(p.done) });
    expect(seen.length).toBeGreaterThan(0);
    expect((await (await ModelRunner.open(rebuilt, sessions)).forward({ inputIds })).data.every(Number.isFinite)).toBe(
      true,
    );
  });
});
