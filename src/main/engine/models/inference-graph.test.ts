// The inference graph on real configs and fixtures: it builds, onnxruntime loads it, the KV cache gives what a full
// recomputation gives, and empty hooks (LoRA rank 0, soft prompt n = 0) leave the base model's logits unchanged.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel, tensor } from '../graph';
import { SessionCache } from '../runtime';
import { loadCheckpoint } from './checkpoint';
import { parseDecoderConfig } from './config';
import { addedName, buildInferenceGraph, pastName, presentName } from './inference-graph';
import { SEPARATE_PROJECTIONS, loraFeatures, type LoraAdapter } from './lora';
import { ModelRunner, type RunnerModel } from './model-runner';
import { readTensorIndex } from './safetensors';
import { CONFIG_ZOO } from './testing/config-zoo';
import { leftPadded, maxAbsDiff } from './testing/compare';
import { writeRandomCheckpoint, type StoredDtype } from './testing/random-checkpoint';
import { readLoraAdapter, readReference, readSoftPrompt, REFERENCE_ROOT } from './testing/reference-fixtures';
import { mapDecoderWeights } from './weights';

const FIXTURES = join(import.meta.dirname, '__fixtures__');
const sessions = new SessionCache({ threads: 1 });
const scratch: string[] = [];
afterAll(async () => {
  await sessions.dispose();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

const PROMPTS = [
  [5, 17, 42, 7, 99],
  [3, 8],
];

describe('inference graph inputs and outputs', () => {
  it('uses the Optimum / transformers.js names and symbolic dims', async () => {
    const checkpoint = await loadCheckpoint(join(FIXTURES, 'tiny-llama-f32'));
    const graph = buildInferenceGraph(checkpoint, { loraTargets: ['q_proj', 'v_proj'] });
    const byName = new Map([...graph.inputs, ...graph.outputs].map((v) => [v.name, v.shape]));
    expect(byName.get('input_ids')).toEqual(['batch_size', 'sequence_length']);
    expect(byName.get('attention_mask')).toEqual([
      'batch_size',
      'num_virtual_tokens+past_sequence_length+sequence_length',
    ]);
    expect(byName.get(pastName(1, 'value'))).toEqual(['batch_size', 2, 'past_sequence_length', 8]);
    expect(byName.get(presentName(1, 'key'))).toEqual([
      'batch_size',
      2,
      'num_virtual_tokens+past_sequence_length+sequence_length',
      8,
    ]);
    expect(byName.get('logits')).toEqual(['batch_size', 'logits_length', 384]);
    expect(byName.get('lora.0.q_proj.A')).toEqual(['r.0.q_proj', 16]);
    expect(byName.get('lora.1.v_proj.B')).toEqual([16, 'r.1.v_proj']);
    expect(byName.has('lora.0.k_proj.A')).toBe(false);
    // Weights are external data into the checkpoint's own file, never inline.
    const external = graph.initializers.filter((i) => 'location' in i.data);
    expect(external.length).toBe(checkpoint.tensors.tensors.size);
    expect(external.every((i) => 'location' in i.data && i.data.location === 'model.safetensors')).toBe(true);
  });

  it("has the 'appended' cache kind the runner uses: cache buffers in, this call's keys and values out", async () => {
    const checkpoint = await loadCheckpoint(join(FIXTURES, 'tiny-llama-f32'));
    const graph = buildInferenceGraph(checkpoint, { cacheOutputs: 'appended' });
    const byName = new Map([...graph.inputs, ...graph.outputs].map((v) => [v.name, v.shape]));
    expect(byName.get(pastName(1, 'value'))).toEqual(['batch_size', 2, 'past_capacity', 8]);
    expect(byName.get(addedName(1, 'key'))).toEqual(['batch_size', 'num_virtual_tokens+sequence_length', 16]);
    expect(byName.has(presentName(0, 'key'))).toBe(false);
  });
});

async function runnerFor(folder: string): Promise<ModelRunner> {
  const config = parseDecoderConfig(JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')));
  const index = await readTensorIndex(folder);
  const model: RunnerModel = { config, weights: mapDecoderWeights(config, index.tensors), contentHash: folder, folder };
  return ModelRunner.open(model, sessions);
}

describe('the full-sequence kind (no cache)', () => {
  it('gives the logits of the cached graph at an empty cache, LoRA and soft prompt included', async () => {
    const folder = join(REFERENCE_ROOT, 'llama');
    const checkpoint = await loadCheckpoint(folder);
    const reference = await readReference(folder);
    const spec = {
      adapter: await readLoraAdapter(folder, checkpoint.config, reference.lora_scaling),
      softPrompt: await readSoftPrompt(folder),
    };
    const runner = await ModelRunner.open(checkpoint, sessions);
    const inputs = leftPadded(PROMPTS, 0);
    const expected = await runner.forward(inputs, spec);
    const graph = buildInferenceGraph(checkpoint, { kvCache: false });
    expect(graph.inputs.some((v) => v.name.startsWith('past_key_values'))).toBe(false);
    const session = await sessions.get({ model: checkpoint.contentHash, kind: 'test-full-sequence' }, () => ({
      model: encodeModel(graph),
      externalDataFolder: folder,
    }));
    const feeds = {
      ...runner.specFeeds(spec),
      ...runner.tokenFeeds(inputs.inputIds, inputs.attentionMask, positions([0, 3], 5, 5), 3, true, spec.softPrompt),
    };
    const out = await session.run({ ...feeds, num_logits_to_keep: tensor('int64', [], BigInt64Array.of(0n)) });
    expect(out['logits']?.dims).toEqual(expected.dims);
    expect(maxAbsDiff(out['logits']!.data as Float32Array, expected.data)).toBeLessThan(1e-5);
  });
});

describe('builds and runs for real configs (shrunk) and the tiny fixtures', () => {
  const zoo: [string, StoredDtype][] = Object.keys(CONFIG_ZOO).map((name, i) => [
    name,
    (['F32', 'BF16', 'F16'] as const)[i % 3]!,
  ]);
  it.each(zoo)('%s (%s weights)', async (name, dtype) => {
    const folder = await mkdtemp(join(tmpdir(), 'dovetail-zoo-'));
    scratch.push(folder);
    await writeRandomCheckpoint(folder, CONFIG_ZOO[name]!, dtype);
    const runner = await runnerFor(folder);
    const logits = await runner.forward({ ...leftPadded(PROMPTS, 0), logitsToKeep: 1 });
    expect(logits.dims).toEqual([2, 1, 256]);
    expect(logits.data.every(Number.isFinite)).toBe(true);
  });

  it.each(['tiny-llama-f32', 'tiny-llama-f16', 'tiny-llama-sharded', 'tiny-qwen2-bf16'])('%s', async (name) => {
    const runner = await ModelRunner.open(await loadCheckpoint(join(FIXTURES, name)), sessions);
    const logits = await runner.forward(leftPadded(PROMPTS, 0));
    expect(logits.dims).toEqual([2, 5, 384]);
    expect(logits.data.every(Number.isFinite)).toBe(true);
  });

  it('gives the same logits from one file and from shards, and close ones from F16', async () => {
    const run = async (name: string) =>
      (
        await (
          await ModelRunner.open(await loadCheckpoint(join(FIXTURES, name)), sessions)
        ).forward(leftPadded(PROMPTS, 0))
      ).data;
    const f32 = await run('tiny-llama-f32');
    expect(maxAbsDiff(await run('tiny-llama-sharded'), f32)).toBe(0);
    expect(maxAbsDiff(await run('tiny-llama-f16'), f32)).toBeLessThan(0.05);
  });
});

describe.each(['llama', 'mistral', 'qwen2'])('hooks and KV cache (%s reference checkpoint)', (name) => {
  const folder = join(REFERENCE_ROOT, name);

  it('decodes with the KV cache exactly as a full recomputation does, across the sliding window and a cache growth', async () => {
    const checkpoint = await loadCheckpoint(folder);
    const runner = await ModelRunner.open(checkpoint, sessions);
    const reference = await readReference(folder);
    const spec = {
      adapter: await readLoraAdapter(folder, checkpoint.config, reference.lora_scaling),
      softPrompt: await readSoftPrompt(folder),
    };
    const step = runner.createStep(spec);
    const rows = PROMPTS.map((p) => [...p]);
    let ids = leftPadded(rows, 0).inputIds; // [B, T] at the prefill, then [B, 1]
    const pads = rows.map((r) => ids.dims[1] - r.length);
    let width = ids.dims[1];
    // 40 steps: past the sliding window (4) and KvStep's first buffer capacity (prefill + 32), within 64 positions.
    for (let s = 0; s < 40; s++) {
      const length = ids.dims[1];
      const cached = await step.step({
        step: s,
        inputIds: ids,
        attentionMask: paddedMask(pads, width),
        positionIds: positions(pads, width, length),
        pastLength: width - length,
        finished: rows.map(() => false),
      });
      const full = await runner.forward({ ...leftPadded(rows, 0), logitsToKeep: 1 }, spec);
      expect(maxAbsDiff(cached, full.data)).toBeLessThan(1e-5);
      const next = rows.map((_, b) => (s * 7 + b * 13 + 1) % 300);
      rows.forEach((r, b) => r.push(next[b]!));
      ids = { data: BigInt64Array.from(next, BigInt), dims: [rows.length, 1] };
      width += 1;
    }
  });

  it('gives the base logits with rank-0 LoRA on every module and an empty soft prompt', async () => {
    const runner = await ModelRunner.open(await loadCheckpoint(folder), sessions);
    const { config } = runner.model;
    const empty: LoraAdapter = {
      scaling: 2,
      layers: Array.from({ length: config.num_hidden_layers }, () =>
        Object.fromEntries(
          SEPARATE_PROJECTIONS.map((m) => {
            const f = loraFeatures(config, m);
            return [
              m,
              {
                A: tensor('float32', [0, f.in], new Float32Array(0)),
                B: tensor('float32', [f.out, 0], new Float32Array(0)),
              },
            ];
          }),
        ),
      ),
    };
    const inputs = leftPadded(PROMPTS, 0);
    const base = await runner.forward(inputs);
    const hooked = await runner.forward(inputs, {
      adapter: empty,
      softPrompt: tensor('float32', [0, config.hidden_size], new Float32Array(0)),
    });
    expect(hooked.dims).toEqual(base.dims);
    expect(maxAbsDiff(hooked.data, base.data)).toBe(0);
  });
});

function paddedMask(pads: readonly number[], width: number) {
  const data = new BigInt64Array(pads.length * width);
  pads.forEach((pad, b) => data.fill(1n, b * width + pad, (b + 1) * width));
  return { data, dims: [pads.length, width] as [number, number] };
}

/** cumsum(mask) - 1 for the last `last` columns (padded positions 1). */
function positions(pads: readonly number[], width: number, last: number) {
  const data = new BigInt64Array(pads.length * last);
  pads.forEach((pad, b) => {
    for (let t = 0; t < last; t++) {
      const column = width - last + t;
      data[b * last + t] = column < pad ? 1n : BigInt(column - pad);
    }
  });
  return { data, dims: [pads.length, last] as [number, number] };
}
