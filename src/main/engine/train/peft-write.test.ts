// Writing adapter folders: the files match what PEFT saved for the same adapter (keys, dtypes, bytes, config fields),
// write -> read round-trips exactly, the lineage sidecar is checked, and a failed write leaves nothing behind.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserError } from '../../../shared/errors';
import { tensor } from '../graph';
import { f16BitsToNumber, SEPARATE_PROJECTIONS, readSafetensorsHeader, type DecoderConfig } from '../models';
import { readAdapterFolder } from './adapter-folder';
import { writeFolderAtomically } from './atomic-folder';
import type { LineageInput } from './lineage';
import { readPeftAdapter, type PeftLora, type PeftPromptTuning } from './peft-read';
import {
  encodePeftLora,
  encodePeftPromptTuning,
  writeAdapterFolder,
  type TrainedLora,
  type TrainedSoftPrompt,
} from './peft-write';
import { TINY_LORA, TINY_SOFT_PROMPT, tinyLlamaModel } from './testing/tiny-llama';

const HASH = 'a'.repeat(64);
const lineage: LineageInput = {
  source: 'trained',
  base_model: { content_hash: HASH, name: 'tiny-llama' },
  dataset: { id: 'ds-1', version: 3 },
  template: { id: 'prompt-7', version: 2 },
  hyper_parameters: {
    r: 4,
    lora_alpha: 8,
    learning_rate: 2e-4,
    epochs: 3,
    target_modules: ['q_proj', 'v_proj'],
    seed: 1,
  },
  final_losses: { step: 120, train: 0.41, validation: 0.52 },
  created_at: '2026-11-29T01:50:00.000Z',
  app_version: '0.1.0',
};

let root: string;
let config: DecoderConfig;
let peftLora: PeftLora;
let peftSoft: PeftPromptTuning;
let lora: TrainedLora;
let soft: TrainedSoftPrompt;
let n = 0;
const next = (): string => join(root, `adapter-${n++}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dovetail-peft-write-'));
  config = (await tinyLlamaModel()).config;
  peftLora = (await readPeftAdapter(TINY_LORA, config)) as PeftLora;
  peftSoft = (await readPeftAdapter(TINY_SOFT_PROMPT, config)) as PeftPromptTuning;
  lora = { r: 4, lora_alpha: 8, target_modules: SEPARATE_PROJECTIONS, layers: peftLora.weights };
  soft = { embeddings: peftSoft.softPrompt };
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the files match what PEFT writes', () => {
  it('LoRA: adapter_model.safetensors is byte-identical to PEFT save_pretrained; config fields agree', async () => {
    const { config: json, weights } = encodePeftLora(lora, { model: config });
    expect(Buffer.from(weights).equals(await readFile(join(TINY_LORA, 'adapter_model.safetensors')))).toBe(true);
    const ours = JSON.parse(new TextDecoder().decode(json)) as Record<string, unknown>;
    const peft = JSON.parse(await readFile(join(TINY_LORA, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(ours)) {
      expect(key in peft, `PEFT 0.21 writes ${key}`).toBe(true);
      if (key === 'target_modules')
        expect([...(value as string[])].sort()).toEqual([...(peft[key] as string[])].sort());
      else expect(value, key).toEqual(peft[key]);
    }
    expect(Object.keys(ours)).toEqual(Object.keys(ours).sort()); // sorted, as PEFT's to_json_string
  });

  it('prompt tuning: byte-identical weights; config fields agree', async () => {
    const { config: json, weights } = encodePeftPromptTuning(soft, { model: config });
    expect(Buffer.from(weights).equals(await readFile(join(TINY_SOFT_PROMPT, 'adapter_model.safetensors')))).toBe(true);
    const ours = JSON.parse(new TextDecoder().decode(json)) as Record<string, unknown>;
    const peft = JSON.parse(await readFile(join(TINY_SOFT_PROMPT, 'adapter_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    for (const [key, value] of Object.entries(ours)) expect(value, key).toEqual(peft[key]);
  });

  it('F16: PEFT keys, F16 dtype, values rounded to nearest half', async () => {
    const folder = next();
    await writeAdapterFolder(folder, { lora, lineage }, { model: config, dtype: 'F16' });
    const header = await readSafetensorsHeader(join(folder, 'adapter_model.safetensors'));
    expect(new Set(header.tensors.map((t) => t.dtype))).toEqual(new Set(['F16']));
    expect(header.metadata).toEqual({ format: 'pt' });
    const back = (await readPeftAdapter(folder, config)) as PeftLora;
    const a = peftLora.weights[1]?.down_proj?.A.data as Float32Array;
    const b = back.weights[1]?.down_proj?.A.data as Float32Array;
    let max = 0;
    a.forEach((x, i) => (max = Math.max(max, Math.abs(x - (b[i] as number)) / Math.max(Math.abs(x), 6e-5))));
    expect(max).toBeLessThan(2 ** -11 + 1e-9);
    expect(f16BitsToNumber(0x3c00)).toBe(1);
  });
});

describe('write -> read round trip', () => {
  it('LoRA + soft prompt: identical tensors, lineage with file hashes', async () => {
    const folder = next();
    const written = await writeAdapterFolder(
      folder,
      { lora, softPrompt: { ...soft, prompt_tuning_init: 'TEXT', prompt_tuning_init_text: 'Classify:' }, lineage },
      { model: config, baseModelNameOrPath: 'org/tiny' },
    );
    expect(written.method).toBe('lora+soft_prompt');
    expect(Object.keys(written.files).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
      'prompt_tuning/adapter_config.json',
      'prompt_tuning/adapter_model.safetensors',
    ]);
    const back = await readAdapterFolder(folder, config, { baseContentHash: HASH });
    expect(back.lineage).toEqual(written);
    expect(back.loraTargets).toEqual([...SEPARATE_PROJECTIONS]);
    for (let i = 0; i < config.num_hidden_layers; i++) {
      for (const m of SEPARATE_PROJECTIONS) {
        expect(back.lora?.weights[i]?.[m]?.A).toEqual(lora.layers[i]?.[m]?.A);
        expect(back.lora?.weights[i]?.[m]?.B).toEqual(lora.layers[i]?.[m]?.B);
      }
    }
    expect(back.softPrompt?.softPrompt).toEqual(soft.embeddings);
    expect(back.softPrompt?.config.prompt_tuning_init_text).toBe('Classify:');
    expect(back.softPrompt?.config.tokenizer_name_or_path).toBe('org/tiny');
    expect(back.specialization.adapter?.scaling).toBe(2);
  });

  it('a soft prompt alone is a PEFT folder at the root', async () => {
    const folder = next();
    await writeAdapterFolder(folder, { softPrompt: soft, lineage }, { model: config });
    expect((await readdir(folder)).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
      'dovetail_adapter.json',
    ]);
    const back = await readAdapterFolder(folder, config);
    expect([back.lineage?.method, back.lora, back.softPrompt?.softPrompt]).toEqual([
      'soft_prompt',
      null,
      soft.embeddings,
    ]);
  });

  it('lineage: another base model and modified files are refused', async () => {
    const folder = next();
    await writeAdapterFolder(folder, { lora, lineage }, { model: config });
    const other = await readAdapterFolder(folder, config, { baseContentHash: 'b'.repeat(64) }).catch((e: unknown) => e);
    expect((other as UserError).code).toBe('adapter-base-mismatch');
    const bytes = await readFile(join(folder, 'adapter_config.json'), 'utf8');
    await writeFile(join(folder, 'adapter_config.json'), bytes.replace('"lora_dropout": 0', '"lora_dropout": 0.1'));
    const modified = await readAdapterFolder(folder, config).catch((e: unknown) => e);
    expect([(modified as UserError).code, (modified as UserError).message]).toEqual([
      'adapter-modified',
      'adapter_config.json changed since dovetail_adapter.json recorded it.',
    ]);
    await writeFile(join(folder, 'dovetail_adapter.json'), '{"format": "dovetail-adapter"}');
    const bad = await readAdapterFolder(folder, config).catch((e: unknown) => e);
    expect((bad as UserError).code).toBe('adapter-lineage');
  });
});

describe('atomic writes', () => {
  it('an existing folder is never overwritten', async () => {
    const folder = next();
    await writeAdapterFolder(folder, { lora, lineage }, { model: config });
    const before = await readFile(join(folder, 'adapter_model.safetensors'));
    const e = await writeAdapterFolder(folder, { softPrompt: soft, lineage }, { model: config }).catch(
      (x: unknown) => x,
    );
    expect((e as UserError).code).toBe('adapter-exists');
    expect((await readFile(join(folder, 'adapter_model.safetensors'))).equals(before)).toBe(true);
  });

  it('a failure part-way leaves neither the folder nor a temp folder', async () => {
    const parent = await mkdtemp(join(root, 'atomic-'));
    const target = join(parent, 'adapter');
    const bytes = new Uint8Array(1024);
    // The second file cannot be created (its parent is a file): the first was already written in the temp folder.
    const e = await writeFolderAtomically(target, [
      { path: 'a', bytes },
      { path: 'a/b', bytes },
    ]).catch((x: unknown) => x);
    expect((e as UserError).code).toBe('adapter-write');
    expect(await readdir(parent)).toEqual([]);
  });

  it('non-finite trained values are refused before anything is written', async () => {
    const folder = next();
    const B = lora.layers[0]?.q_proj?.B;
    const broken = {
      ...lora,
      layers: [
        {
          ...lora.layers[0],
          q_proj: {
            A: lora.layers[0]?.q_proj?.A as never,
            B: tensor(
              'float32',
              B?.dims ?? [],
              (B?.data as Float32Array).map((x, i) => (i === 3 ? NaN : x)),
            ),
          },
        },
        lora.layers[1] ?? {},
      ],
    };
    const e = await writeAdapterFolder(folder, { lora: broken, lineage }, { model: config }).catch((x: unknown) => x);
    expect([(e as UserError).code, (e as UserError).where]).toEqual([
      'adapter-nonfinite',
      'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
    ]);
    await expect(readdir(folder)).rejects.toThrow(/ENOENT/);
  });
});
