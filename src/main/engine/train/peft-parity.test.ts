// The oracle: the real PEFT-saved LoRA and prompt-tuning adapters of the tiny Llama (__fixtures__/tiny-llama),
// read by readPeftAdapter and run by ModelRunner, give transformers/PEFT's logits within 1e-4 (measured 4.7e-6).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Int64Tensor } from '../generate';
import { loadCheckpoint, SEPARATE_PROJECTIONS, ModelRunner, readSafetensorsHeader, readTensorF32 } from '../models';
import { SessionCache } from '../runtime';
import { REFERENCE_MODELS, REFERENCE_ROOT } from '../models/testing/reference-fixtures';
import { readAdapterFolder } from './adapter-folder';
import { readPeftAdapter, type PeftLora, type PeftPromptTuning } from './peft-read';
import {
  TINY_LORA,
  TINY_SOFT_PROMPT,
  tinyLlamaExpected,
  tinyLlamaModel,
  type TinyLlamaExpected,
} from './testing/tiny-llama';

const sessions = new SessionCache({ threads: 1 });
afterAll(() => sessions.dispose());

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return Number.isNaN(max) ? Infinity : max;
}

describe('PEFT parity on the tiny Llama', () => {
  let runner: ModelRunner;
  let expected: TinyLlamaExpected;
  let inputIds: Int64Tensor;

  beforeAll(async () => {
    const model = await tinyLlamaModel();
    runner = await ModelRunner.open(model, sessions, SEPARATE_PROJECTIONS);
    expected = await tinyLlamaExpected();
    inputIds = { data: BigInt64Array.from(expected.inputIds.flat(), BigInt), dims: [2, 12] };
  });

  it('base logits match transformers (sanity of the fixture)', async () => {
    const logits = await runner.forward({ inputIds });
    expect(maxAbsDiff(logits.data, expected.logits.data)).toBeLessThan(1e-4);
  });

  it('the PEFT-saved LoRA gives PEFT logits', async () => {
    const lora = await readPeftAdapter(TINY_LORA, runner.model.config);
    expect(lora.kind).toBe('lora');
    if (lora.kind !== 'lora') return;
    expect(lora.plan.targets).toEqual([...SEPARATE_PROJECTIONS]);
    expect(lora.adapter.scaling).toBe(2); // lora_alpha 8 / r 4
    const logits = await runner.forward({ inputIds }, { adapter: lora.adapter });
    const error = maxAbsDiff(logits.data, expected.lora_logits.data);
    console.log(`LoRA: max |logit - PEFT| = ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-4);
    expect(maxAbsDiff(logits.data, expected.logits.data)).toBeGreaterThan(0.1); // the adapter does something
  });

  it('the PEFT-saved prompt tuning gives PEFT logits (virtual positions first)', async () => {
    const adapter = await readAdapterFolder(TINY_SOFT_PROMPT, runner.model.config);
    expect(adapter.softPrompt?.softPrompt.dims).toEqual([4, 64]);
    expect(adapter.lora).toBeNull();
    const logits = await runner.forward({ inputIds }, adapter.specialization); // [2, 16, 128]
    expect(logits.dims).toEqual([2, 16, 128]);
    const error = maxAbsDiff(logits.data, expected.soft_prompt_logits.data);
    console.log(`prompt tuning: max |logit - PEFT| = ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-4);
  });
});

// The models/ PyTorch reference fixtures (tools/reference/make_reference.py, make_arch_reference.py): Qwen2 (q/k/v
// biases), Mistral, BF16 weights, rsLoRA adapters, Qwen3, Phi-3 (LoRA on the fused qkv_proj and gate_up_proj), Gemma
// 2 and 3, read through the PEFT reader; LoRA + soft prompt together against the reference.

describe.each(REFERENCE_MODELS)('reference fixture %s through readPeftAdapter', (name) => {
  it('b1-lora-soft logits within 1e-4', async () => {
    const folder = join(REFERENCE_ROOT, name);
    const checkpoint = await loadCheckpoint(folder);
    const json = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as {
      lora_scaling: number;
      cases: { name: string; prompts: number[][]; positions: number[][] }[];
    };
    const lora = (await readPeftAdapter(join(folder, 'lora'), checkpoint.config)) as PeftLora;
    const soft = (await readPeftAdapter(join(folder, 'soft-prompt'), checkpoint.config)) as PeftPromptTuning;
    expect(lora.adapter.scaling).toBeCloseTo(json.lora_scaling, 12);
    const runner = await ModelRunner.open(checkpoint, sessions, lora.plan.targets);
    const c = json.cases.find((x) => x.name === 'b1-lora-soft')!;
    const prompt = c.prompts[0]!;
    const logits = await runner.forward(
      { inputIds: { data: BigInt64Array.from(prompt, BigInt), dims: [1, prompt.length] } },
      { adapter: lora.adapter, softPrompt: soft.softPrompt },
    );
    const header = await readSafetensorsHeader(join(folder, 'expected.safetensors'));
    const info = header.tensors.find((t) => t.name === 'b1-lora-soft')!;
    const expected = await readTensorF32(info); // [1, KEEP, V]
    const [, S, V] = logits.dims as [number, number, number];
    const picked = new Float32Array(expected.length);
    c.positions[0]!.forEach((p, j) => picked.set(logits.data.subarray(p * V, (p + 1) * V), j * V));
    expect(S).toBe(soft.softPrompt.dims[0]! + prompt.length);
    expect(maxAbsDiff(picked, expected)).toBeLessThan(1e-4);
  });
});
