// vLLM compatibility: what Dovetail writes and what PEFT wrote are compatible; each vLLM rule names its reason.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEPARATE_PROJECTIONS, readSafetensorsHeader } from '../models';
import { readPeftAdapter, type PeftLora } from './peft-read';
import { writeAdapterFolder } from './peft-write';
import { TINY_LORA, TINY_SOFT_PROMPT, tinyLlamaModel } from './testing/tiny-llama';
import { checkVllmCompatibility, checkVllmFolder, type TensorHeader } from './vllm-check';

let root: string;
let tensors: TensorHeader[];
const base = {
  peft_type: 'LORA',
  r: 8,
  lora_alpha: 16,
  target_modules: ['q_proj', 'v_proj'],
  bias: 'none',
  modules_to_save: null,
  use_dora: false,
};
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dovetail-vllm-'));
  tensors = (await readSafetensorsHeader(join(TINY_LORA, 'adapter_model.safetensors'))).tensors;
});
afterAll(() => rm(root, { recursive: true, force: true }));

const rules = (config: Record<string, unknown>, t: TensorHeader[] = []): string[] =>
  checkVllmCompatibility(config, t).problems.map((p) => p.rule);

describe('checkVllmCompatibility', () => {
  it('PEFT-saved and Dovetail-written LoRAs are compatible', async () => {
    expect(await checkVllmFolder(TINY_LORA)).toEqual({ compatible: true, problems: [] });
    const config = (await tinyLlamaModel()).config;
    const peft = (await readPeftAdapter(TINY_LORA, config)) as PeftLora;
    const folder = join(root, 'ours');
    const lineage = {
      source: 'trained',
      base_model: { content_hash: 'c'.repeat(64), name: null },
      dataset: null,
      template: null,
      hyper_parameters: {},
      final_losses: null,
      created_at: '2026-11-29T00:00:00Z',
      app_version: '0.1.0',
    } as const;
    await writeAdapterFolder(
      folder,
      { lora: { r: 4, lora_alpha: 8, target_modules: SEPARATE_PROJECTIONS, layers: peft.weights }, lineage },
      { model: config, dtype: 'F16' },
    );
    expect(await checkVllmFolder(folder)).toEqual({ compatible: true, problems: [] });
  });

  it('prompt tuning: vLLM removed prompt adapters, points to prompt_embeds', async () => {
    const report = await checkVllmFolder(TINY_SOFT_PROMPT);
    expect(report.compatible).toBe(false);
    expect(report.problems[0]?.message).toMatch(/prompt_embeds/);
  });

  it('config rules: required fields, bias, DoRA, modules_to_save, init, unsupported features', () => {
    expect(rules(base)).toEqual([]);
    expect(rules({ peft_type: 'LORA' })).toEqual(['required-field', 'required-field', 'required-field']);
    expect(rules({ ...base, bias: 'all' })).toEqual(['bias']);
    expect(rules({ ...base, lora_bias: true })).toEqual(['bias']);
    expect(rules({ ...base, use_dora: true })).toEqual(['dora']);
    expect(rules({ ...base, modules_to_save: ['lm_head'] })).toEqual(['modules-to-save']);
    expect(rules({ ...base, modules_to_save: ['score'] })).toEqual([]);
    expect(rules({ ...base, init_lora_weights: 'pissa' })).toEqual(['init']);
    expect(rules({ ...base, init_lora_weights: 'gaussian' })).toEqual([]);
    expect(rules({ ...base, use_qalora: true, layer_replication: [[0, 1]] })).toEqual(['feature', 'feature']);
  });

  it('rank limits: r, rank_pattern and the tensors against --max-lora-rank', () => {
    const r32 = checkVllmCompatibility({ ...base, r: 32 }, []);
    expect(r32.problems).toEqual([
      {
        rule: 'rank',
        where: 'r',
        message: "rank 32 exceeds the server's --max-lora-rank 16; start vLLM with --max-lora-rank 32",
      },
    ]);
    expect(checkVllmCompatibility({ ...base, r: 32 }, [], 64).compatible).toBe(true);
    expect(rules({ ...base, rank_pattern: { q_proj: 24 } })).toEqual(['rank']);
    expect(
      rules(base, [
        { name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight', dtype: 'F32', shape: [20, 64] },
      ]),
    ).toEqual(['rank']);
    expect(checkVllmCompatibility({ ...base, r: 1024 }, [], 16).problems[0]?.message).toMatch(/vLLM's largest \(512\)/);
  });

  it('tensor rules: embedding layers, unknown modules, DoRA vectors, biases, dtypes', () => {
    const key = (s: string): TensorHeader => ({ name: s, dtype: 'F32', shape: [4, 64] });
    expect(rules(base, tensors)).toEqual([]);
    expect(rules(base, [key('base_model.model.model.embed_tokens.lora_embedding_A')])).toEqual(['embedding']);
    expect(rules(base, [key('base_model.model.lm_head.weight')])).toEqual(['embedding']);
    expect(rules(base, [key('base_model.model.model.layers.0.mlp.c_fc.lora_A.weight')])).toEqual(['module']);
    expect(rules(base, [key('base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector')])).toEqual([
      'dora',
    ]);
    expect(rules(base, [key('base_model.model.model.layers.0.self_attn.q_proj.lora_B.bias')])).toEqual(['bias']);
    expect(
      rules(base, [{ ...key('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight'), dtype: 'I8' }]),
    ).toEqual(['dtype']);
  });

  it('folders without weights', async () => {
    const folder = join(root, 'no-weights');
    await cp(TINY_LORA, folder, { recursive: true });
    await rm(join(folder, 'adapter_model.safetensors'));
    expect((await checkVllmFolder(folder)).problems.map((p) => p.rule)).toEqual(['weights-file']);
  });
});
