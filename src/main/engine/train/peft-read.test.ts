// readPeftAdapter on corrupt and unusual folders: each error names the file and the field or tensor key; PEFT's
// target_modules forms (list, regex, all-linear), exclude_modules, layers_to_transform and rank/alpha patterns.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { SEPARATE_PROJECTIONS, loraFeatures, type DecoderConfig, type LoraModule } from '../models';
import { readPeftAdapter, type PeftLora } from './peft-read';
import { loraKey } from './peft-names';
import { encodeSafetensors, type TensorToWrite } from './safetensors-write';
import { TINY_LORA, TINY_SOFT_PROMPT, tinyLlamaModel } from './testing/tiny-llama';

let root: string;
let config: DecoderConfig;
let count = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dovetail-peft-read-'));
  config = (await tinyLlamaModel()).config;
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A copy of a fixture adapter with adapter_config.json edited. */
async function variant(source: string, edit: (json: Record<string, unknown>) => void = () => {}): Promise<string> {
  const folder = join(root, `v${count++}`);
  await cp(source, folder, { recursive: true });
  const json = JSON.parse(await readFile(join(folder, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(join(folder, 'adapter_config.json'), JSON.stringify(json));
  return folder;
}

/** LoRA tensors for the given layers and modules, rank per module, filled with a simple ramp. */
function loraTensors(
  layers: number[],
  modules: readonly LoraModule[],
  rank: (m: LoraModule) => number = () => 4,
): TensorToWrite[] {
  return layers.flatMap((i) =>
    modules.flatMap((m) => {
      const f = loraFeatures(config, m);
      const r = rank(m);
      const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, k) => ((k % 7) - 3) / 10);
      return [
        { name: loraKey(i, m, 'A'), shape: [r, f.in], data: ramp(r * f.in) },
        { name: loraKey(i, m, 'B'), shape: [f.out, r], data: ramp(f.out * r) },
      ];
    }),
  );
}

async function withWeights(edit: (json: Record<string, unknown>) => void, tensors: TensorToWrite[]): Promise<string> {
  const folder = await variant(TINY_LORA, edit);
  await writeFile(join(folder, 'adapter_model.safetensors'), encodeSafetensors(tensors, 'F32'));
  return folder;
}

async function failure(folder: string): Promise<UserError> {
  const error = await readPeftAdapter(folder, config).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('readPeftAdapter: errors name the file and the field or key', () => {
  it('missing folder, missing adapter_config.json, bad JSON', async () => {
    expect((await failure(join(root, 'nope'))).code).toBe('adapter-file');
    const noConfig = await variant(TINY_LORA);
    await rm(join(noConfig, 'adapter_config.json'));
    const e1 = await failure(noConfig);
    expect([e1.code, e1.message, e1.where]).toEqual([
      'adapter-file',
      'adapter_config.json is missing from the adapter folder.',
      join(noConfig, 'adapter_config.json'),
    ]);
    const bad = await variant(TINY_LORA);
    await writeFile(join(bad, 'adapter_config.json'), '{"peft_type": "LORA",');
    const e2 = await failure(bad);
    expect(e2.code).toBe('adapter-config');
    expect(e2.message).toMatch(/^adapter_config\.json is not valid JSON/);
  });

  it('peft_type: missing, unsupported', async () => {
    const e1 = await failure(await variant(TINY_LORA, (j) => delete j.peft_type));
    expect(e1.message).toBe('adapter_config.json: peft_type is missing');
    const e2 = await failure(await variant(TINY_LORA, (j) => (j.peft_type = 'PREFIX_TUNING')));
    expect(e2.code).toBe('adapter-unsupported');
    expect(e2.message).toBe(
      'adapter_config.json: peft_type: "PREFIX_TUNING" is not supported; Dovetail runs LORA and PROMPT_TUNING adapters',
    );
    expect(e2.where).toMatch(/adapter_config\.json: peft_type$/);
  });

  it('bad field types and unsupported LoRA options', async () => {
    const e0 = await failure(await variant(TINY_LORA, (j) => (j.r = 'four')));
    expect([e0.code, e0.where?.endsWith('adapter_config.json: r')]).toEqual(['adapter-config', true]);
    const cases: [string, (j: Record<string, unknown>) => void][] = [
      ['bias', (j) => (j.bias = 'all')],
      ['modules_to_save', (j) => (j.modules_to_save = ['lm_head'])],
      ['use_dora', (j) => (j.use_dora = true)],
      ['lora_bias', (j) => (j.lora_bias = true)],
      ['init_lora_weights', (j) => (j.init_lora_weights = 'pissa')],
      ['layer_replication', (j) => (j.layer_replication = [[0, 2]])],
      ['task_type', (j) => (j.task_type = 'SEQ_CLS')],
    ];
    for (const [field, edit] of cases) {
      const e = await failure(await variant(TINY_LORA, edit));
      expect(e.code, field).toBe('adapter-unsupported');
      expect(e.message.startsWith(`adapter_config.json: ${field}: `), e.message).toBe(true);
      expect(e.hint).toBeTruthy();
    }
  });

  it('adapter_model.bin only: says only safetensors is read and how to convert', async () => {
    const folder = await variant(TINY_LORA);
    await rm(join(folder, 'adapter_model.safetensors'));
    await writeFile(join(folder, 'adapter_model.bin'), 'pickle');
    const e = await failure(folder);
    expect(e.code).toBe('adapter-bin');
    expect(e.message).toMatch(/adapter_model\.bin .*reads only adapter_model\.safetensors/);
    expect(e.hint).toMatch(/save_pretrained/);
    await rm(join(folder, 'adapter_model.bin'));
    expect((await failure(folder)).message).toBe('adapter_model.safetensors is missing from the adapter folder.');
  });

  it('a wrong shape names the key and the expected shape', async () => {
    const tensors = loraTensors([0, 1], SEPARATE_PROJECTIONS);
    const q = tensors.findIndex((t) => t.name === loraKey(1, 'q_proj', 'A'));
    tensors[q] = { name: loraKey(1, 'q_proj', 'A'), shape: [4, 32], data: new Float32Array(128) };
    const folder = await withWeights(() => {}, tensors);
    const e = await failure(folder);
    expect(e.code).toBe('adapter-weights');
    expect(e.message).toBe(
      'adapter_model.safetensors: base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight: shape [4, 32], expected [4, 64] (A is [r, in_features] with r = 4)',
    );
    expect(e.where).toBe(
      `${join(folder, 'adapter_model.safetensors')}: base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight`,
    );
  });

  it('keys the config does not target, missing keys, unknown and unsupported keys, layers beyond the model', async () => {
    const onlyQ = await failure(await variant(TINY_LORA, (j) => (j.target_modules = ['q_proj'])));
    expect(onlyQ.message).toMatch(
      /^adapter_model\.safetensors: base_model\.model\.(model\.layers\.\d\.\w+\.\w+)\.lora_[AB]\.weight: adapter_config\.json does not target \1$/,
    );
    const missing = await failure(await withWeights(() => {}, loraTensors([0], SEPARATE_PROJECTIONS)));
    expect(missing.message).toMatch(
      /model\.layers\.1\.self_attn\.q_proj\.lora_A\.weight: is missing, but adapter_config\.json targets this module/,
    );
    const extra = {
      name: 'base_model.model.model.layers.0.mlp.c_fc.lora_A.weight',
      shape: [1],
      data: new Float32Array(1),
    };
    expect(
      (await failure(await withWeights(() => {}, [...loraTensors([0, 1], SEPARATE_PROJECTIONS), extra]))).message,
    ).toMatch(/c_fc\.lora_A\.weight: is not a LoRA key/);
    const dora = {
      name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector',
      shape: [64],
      data: new Float32Array(64),
    };
    expect(
      (await failure(await withWeights(() => {}, [...loraTensors([0, 1], SEPARATE_PROJECTIONS), dora]))).code,
    ).toBe('adapter-unsupported');
    const deep = await failure(await withWeights(() => {}, loraTensors([0, 1, 2], SEPARATE_PROJECTIONS)));
    expect(deep.message).toMatch(/layers\.2\..*layer 2 does not exist; the model has 2 layers/);
  });

  it('target_modules that match nothing, or match modules Dovetail cannot adapt', async () => {
    const e1 = await failure(await variant(TINY_LORA, (j) => (j.target_modules = ['q_proj', 'c_attn'])));
    expect(e1.message).toBe(
      'adapter_config.json: target_modules: "c_attn" matches no module of this LlamaForCausalLM (its projections are q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)',
    );
    const e2 = await failure(await variant(TINY_LORA, (j) => (j.target_modules = ['q_proj', 'lm_head'])));
    expect([e2.code, e2.message]).toEqual(['adapter-unsupported', expect.stringContaining('selects "lm_head"')]);
    const e3 = await failure(await variant(TINY_LORA, (j) => (j.target_modules = '(')));
    expect(e3.message).toMatch(/"\(" is not a valid regular expression/);
  });

  it('prompt tuning: token_dim and prompt_embeddings shape, stray keys', async () => {
    const e1 = await failure(await variant(TINY_SOFT_PROMPT, (j) => (j.token_dim = 32)));
    expect(e1.message).toBe("adapter_config.json: token_dim: 32, but the base model's hidden_size is 64");
    const e2 = await failure(await variant(TINY_SOFT_PROMPT, (j) => (j.num_virtual_tokens = 5)));
    expect(e2.message).toBe(
      'adapter_model.safetensors: prompt_embeddings: shape [4, 64], expected [5, 64] (num_virtual_tokens x token_dim)',
    );
    const stray = await variant(TINY_SOFT_PROMPT);
    await writeFile(
      join(stray, 'adapter_model.safetensors'),
      encodeSafetensors(
        [{ name: 'prompt_encoder.default.embedding.weight', shape: [4, 64], data: new Float32Array(256) }],
        'F32',
      ),
    );
    expect((await failure(stray)).message).toMatch(/prompt_encoder\.default\.embedding\.weight: unexpected tensor/);
  });
});

describe('readPeftAdapter: PEFT target and pattern rules', () => {
  const lora = async (folder: string): Promise<PeftLora> => (await readPeftAdapter(folder, config)) as PeftLora;

  it('regex target_modules, all-linear, default targets, exclude_modules', async () => {
    const regex = await lora(
      await withWeights((j) => (j.target_modules = '.*\\.(q_proj|v_proj)'), loraTensors([0, 1], ['q_proj', 'v_proj'])),
    );
    expect(regex.plan.targets).toEqual(['q_proj', 'v_proj']);
    const all = await lora(await variant(TINY_LORA, (j) => (j.target_modules = 'all-linear')));
    expect(all.plan.targets).toEqual([...SEPARATE_PROJECTIONS]);
    const byDefault = await lora(
      await withWeights((j) => (j.target_modules = null), loraTensors([0, 1], ['q_proj', 'v_proj'])),
    );
    expect(byDefault.plan.targets).toEqual(['q_proj', 'v_proj']);
    const excluded = await lora(
      await withWeights(
        (j) => (j.exclude_modules = ['model.layers.0.self_attn.q_proj']),
        loraTensors([0, 1], SEPARATE_PROJECTIONS).filter((t) => !t.name.includes('layers.0.self_attn.q_proj')),
      ),
    );
    expect(excluded.plan.layers[0]?.q_proj).toBeUndefined();
    expect(excluded.adapter.layers[1]?.q_proj).toBeDefined();
  });

  it('layers_to_transform and layers_pattern', async () => {
    const one = await lora(
      await withWeights(
        (j) => ((j.layers_to_transform = [1]), (j.layers_pattern = 'layers')),
        loraTensors([1], SEPARATE_PROJECTIONS),
      ),
    );
    expect(Object.keys(one.adapter.layers[0] ?? {})).toEqual([]);
    expect(Object.keys(one.adapter.layers[1] ?? {})).toHaveLength(7);
    const wrong = await failure(
      await withWeights((j) => (j.layers_to_transform = 1), loraTensors([0, 1], SEPARATE_PROJECTIONS)),
    );
    expect(wrong.message).toMatch(/layers\.0\..*does not target/);
    const none = await failure(
      await withWeights(
        (j) => ((j.layers_to_transform = [0]), (j.layers_pattern = 'h')),
        loraTensors([0], SEPARATE_PROJECTIONS),
      ),
    );
    expect(none.message).toMatch(/target_modules: selects no module of this model/);
    const beyond = await failure(
      await withWeights((j) => (j.layers_to_transform = [1, 2, 9]), loraTensors([1], SEPARATE_PROJECTIONS)),
    );
    expect(beyond.message).toBe(
      `adapter_config.json: layers_to_transform: names layers 2, 9, but this LlamaForCausalLM has ${config.num_hidden_layers} layers (0 to 1)`,
    );
    expect(beyond.where).toMatch(/adapter_config\.json: layers_to_transform$/);
  });

  it('rank_pattern and alpha_pattern: per-module ranks, scalings folded into B for the runner', async () => {
    const rank = (m: LoraModule): number => (m === 'v_proj' ? 2 : 4);
    const folder = await withWeights(
      (j) => ((j.rank_pattern = { v_proj: 2 }), (j.alpha_pattern = { 'layers\\.1\\.self_attn\\.q_proj': 16 })),
      loraTensors([0, 1], SEPARATE_PROJECTIONS, rank),
    );
    const a = await lora(folder);
    expect(a.plan.layers[0]?.v_proj).toEqual({ r: 2, lora_alpha: 8, scaling: 4 });
    expect(a.plan.layers[1]?.q_proj).toEqual({ r: 4, lora_alpha: 16, scaling: 4 });
    expect(a.plan.layers[0]?.q_proj).toEqual({ r: 4, lora_alpha: 8, scaling: 2 });
    expect(a.adapter.scaling).toBe(2);
    expect(a.adapter.layers[0]?.q_proj?.B).toBe(a.weights[0]?.q_proj?.B); // same scaling: no copy
    const stored = a.weights[1]?.q_proj?.B.data as Float32Array;
    expect(a.adapter.layers[1]?.q_proj?.B.data).toEqual(stored.map((x) => x * 2));
    expect(a.adapter.layers[0]?.v_proj?.A.dims).toEqual([2, 64]);
  });

  it('fan_in_fan_out is ignored for nn.Linear, as PEFT does', async () => {
    const a = await lora(await variant(TINY_LORA, (j) => (j.fan_in_fan_out = true)));
    expect(a.plan.targets).toHaveLength(7);
  });
});
