// A LoRA trained in Dovetail on the tiny model loads in the PyTorch reference and gives the same logits, checked
// through a fixture so CI needs no torch: __fixtures__/dovetail-lora/adapter/ is the PEFT folder Dovetail's
// trainer wrote (tools/reference/train_dovetail_lora.ts), expected.safetensors is PyTorch's logits with it loaded
// (tools/reference/check_dovetail_lora.py). Here: Dovetail's logits with that folder match them; re-training gives it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Int64Tensor } from '../generate';
import { loadCheckpoint, ModelRunner, readSafetensorsHeader, readTensorF32, type Checkpoint } from '../models';
import { SessionCache } from '../runtime';
import { ADAPTER_WEIGHTS_FILE, loraKey } from './peft-names';
import { readPeftAdapter, type PeftLora } from './peft-read';
import {
  DOVETAIL_LORA,
  DOVETAIL_LORA_ADAPTER,
  DOVETAIL_LORA_HYPER,
  REFERENCE_LLAMA,
  trainDovetailLora,
} from './testing/dovetail-lora';

const sessions = new SessionCache({ threads: 1 });
afterAll(() => sessions.dispose());

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(max) ? Infinity : max;
}

async function torchLogits(name: 'logits' | 'base_logits'): Promise<Float32Array> {
  const header = await readSafetensorsHeader(join(DOVETAIL_LORA, 'expected.safetensors'));
  const info = header.tensors.find((t) => t.name === name);
  if (!info) throw new Error(`expected.safetensors has no ${name}`);
  return readTensorF32(info);
}

describe('a LoRA trained by Dovetail, loaded in PyTorch (fixture)', () => {
  let checkpoint: Checkpoint;
  let lora: PeftLora;
  let runner: ModelRunner;
  let inputIds: Int64Tensor;

  beforeAll(async () => {
    checkpoint = await loadCheckpoint(REFERENCE_LLAMA);
    lora = (await readPeftAdapter(DOVETAIL_LORA_ADAPTER, checkpoint.config)) as PeftLora;
    runner = await ModelRunner.open(checkpoint, sessions, lora.plan.targets);
    const json = JSON.parse(await readFile(join(DOVETAIL_LORA, 'expected.json'), 'utf8')) as { input_ids: number[][] };
    inputIds = {
      data: BigInt64Array.from(json.input_ids.flat(), BigInt),
      dims: [json.input_ids.length, json.input_ids[0]!.length] as [number, number],
    };
  });

  it("Dovetail's logits with the adapter equal PyTorch's within 1e-4", async () => {
    expect(lora.kind).toBe('lora');
    expect(lora.plan.targets).toEqual(DOVETAIL_LORA_HYPER.target_modules);
    const withLora = await runner.forward({ inputIds }, { adapter: lora.adapter });
    const base = await runner.forward({ inputIds });
    const error = maxAbsDiff(withLora.data, await torchLogits('logits'));
    console.log(`Dovetail-trained LoRA: max |logit - PyTorch| = ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-4);
    expect(maxAbsDiff(base.data, await torchLogits('base_logits'))).toBeLessThan(1e-4);
    expect(maxAbsDiff(withLora.data, base.data)).toBeGreaterThan(0.5); // the trained adapter changes the logits
  });

  it("the committed adapter is what Dovetail's trainer produces (re-trained here, same seed)", async () => {
    const trained = await trainDovetailLora();
    const header = await readSafetensorsHeader(join(DOVETAIL_LORA_ADAPTER, ADAPTER_WEIGHTS_FILE));
    let worst = 0;
    for (const [i, layer] of trained.lora.layers.entries()) {
      for (const m of DOVETAIL_LORA_HYPER.target_modules) {
        for (const part of ['A', 'B'] as const) {
          const info = header.tensors.find((t) => t.name === loraKey(i, m, part));
          expect(info, loraKey(i, m, part)).toBeDefined();
          worst = Math.max(worst, maxAbsDiff(layer[m]![part].data as Float32Array, await readTensorF32(info!)));
        }
      }
    }
    expect(worst).toBeLessThan(1e-4); // float differences across CPUs' kernels only
  });
});
