// The adapter export writer on committed PEFT folders: the folder and the .zip hold the config with
// base_model_name_or_path, the weights byte for byte under PEFT's tensor names, the soft prompt in prompt_tuning/, a
// model card and a lineage that still verifies; an existing target or a broken source leaves nothing behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import { UserError } from '../../../shared/errors';
import { parseDecoderConfig } from '../../engine/models/config';
import { readSafetensorsHeader } from '../../engine/models/safetensors';
import { readAdapterFolder } from '../../engine/train/adapter-folder';
import { exportAdapter, type ExportRequest } from './adapter-export';

const TRAIN = fileURLToPath(new URL('../../engine/train/__fixtures__/', import.meta.url));
const DOVETAIL_LORA = path.join(TRAIN, 'dovetail-lora/adapter');
const REFERENCE = fileURLToPath(new URL('../../engine/models/__fixtures__/reference/llama', import.meta.url));
const TINY = path.join(TRAIN, 'tiny-llama');

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-export-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function adapter(folder: string, method: AdapterRecord['method'] = 'lora'): AdapterRecord {
  return {
    id: 'a1',
    name: 'Triage LoRA',
    modelId: 'm1',
    baseContentHash: 'df400fbe963bdecd75b983d0affba8ea221e4083e62d4c431ffc321e52169853',
    method,
    source: 'trained',
    folder,
    jobId: 'j1',
    finalLoss: 4.64,
    finalValLoss: null,
    check: { active: true, maxAbsDelta: 0.5, argmaxChanged: 3, positions: 16, threshold: 1e-4 },
    vllm: { compatible: true, problems: [] },
    createdAt: '2026-12-07T10:00:00.000Z',
  };
}

function request(a: AdapterRecord, to: string): ExportRequest {
  return {
    adapter: a,
    to,
    baseModelPath: REFERENCE,
    baseModelName: 'reference/llama',
    template: { name: 'Triage as JSON', version: 2, contentHash: 'ab'.repeat(32) },
    appVersion: 'test',
  };
}

const json = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('exportAdapter', () => {
  it('writes a PEFT folder that names the base model, keeps the weights and their PEFT names, and carries a model card', async () => {
    const to = path.join(dir, 'out', 'triage-lora');
    const result = await exportAdapter(request(adapter(DOVETAIL_LORA), to));

    expect(result).toEqual({
      path: to,
      format: 'folder',
      files: ['adapter_config.json', 'adapter_model.safetensors', 'README.md', 'dovetail_adapter.json'],
    });
    expect(json(path.join(to, 'adapter_config.json'))).toMatchObject({
      peft_type: 'LORA',
      base_model_name_or_path: REFERENCE,
      r: 4,
      lora_alpha: 8,
    });
    expect(
      fs
        .readFileSync(path.join(to, 'adapter_model.safetensors'))
        .equals(fs.readFileSync(path.join(DOVETAIL_LORA, 'adapter_model.safetensors'))),
    ).toBe(true);
    const names = (await readSafetensorsHeader(path.join(to, 'adapter_model.safetensors'))).tensors.map((t) => t.name);
    expect(names).toContain('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight');
    expect(
      names.every((n) => /^base_model\.model\.model\.layers\.\d+\.self_attn\.[qv]_proj\.lora_[AB]\.weight$/.test(n)),
    ).toBe(true);

    const card = fs.readFileSync(path.join(to, 'README.md'), 'utf8');
    expect(card).toMatch(/^---\nbase_model: ".*reference\/llama"\nlibrary_name: peft\n/);
    expect(card).toContain('- Name: reference/llama');
    expect(card).toContain('- Template: Triage as JSON v2');
    expect(card).toContain('- r: 4');
    expect(card).toContain('- learning_rate: 0.03');
    expect(card).toContain('Final losses after step 10: train 4.6396');

    // The sidecar's hashes describe the exported files, so Dovetail reads (and could import) the export as it is.
    const config = parseDecoderConfig(json(path.join(REFERENCE, 'config.json')), path.join(REFERENCE, 'config.json'));
    const read = await readAdapterFolder(to, config, { baseContentHash: adapter(DOVETAIL_LORA).baseContentHash });
    expect(read.lora?.plan.targets).toEqual(['q_proj', 'v_proj']);
    expect(read.lineage?.hyper_parameters.steps).toBe(10);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['triage-lora']);
  });

  it('writes the same files into a .zip', async () => {
    const to = path.join(dir, 'triage-lora.zip');
    const result = await exportAdapter(request(adapter(DOVETAIL_LORA), to));
    expect(result.format).toBe('zip');
    const entries = unzipSync(fs.readFileSync(to));
    expect(Object.keys(entries).sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
      'dovetail_adapter.json',
    ]);
    expect(
      Buffer.from(entries['adapter_model.safetensors']!).equals(
        fs.readFileSync(path.join(DOVETAIL_LORA, 'adapter_model.safetensors')),
      ),
    ).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(entries['adapter_config.json']))).toMatchObject({
      base_model_name_or_path: REFERENCE,
    });
    expect(fs.readdirSync(dir)).toEqual(['triage-lora.zip']);
  });

  it('keeps a soft prompt trained with the LoRA in prompt_tuning/, naming the base model there too', async () => {
    const source = path.join(dir, 'both');
    fs.mkdirSync(path.join(source, 'prompt_tuning'), { recursive: true });
    for (const f of ['adapter_config.json', 'adapter_model.safetensors']) {
      fs.copyFileSync(path.join(TINY, 'lora', f), path.join(source, f));
      fs.copyFileSync(path.join(TINY, 'soft-prompt', f), path.join(source, 'prompt_tuning', f));
    }
    const to = path.join(dir, 'export');
    const result = await exportAdapter(request(adapter(source, 'both'), to));
    expect(result.files).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
      'prompt_tuning/adapter_config.json',
      'prompt_tuning/adapter_model.safetensors',
      'README.md',
    ]);
    expect(json(path.join(to, 'prompt_tuning', 'adapter_config.json'))).toMatchObject({
      peft_type: 'PROMPT_TUNING',
      base_model_name_or_path: REFERENCE,
    });
    expect(fs.readFileSync(path.join(to, 'README.md'), 'utf8')).toContain(
      'Not recorded (an adapter imported from a PEFT folder)',
    );
  });

  it('never overwrites, and leaves nothing behind when the source is broken', async () => {
    const existing = path.join(dir, 'taken');
    fs.mkdirSync(existing);
    await expect(exportAdapter(request(adapter(DOVETAIL_LORA), existing))).rejects.toThrow(UserError);
    fs.writeFileSync(path.join(dir, 'taken.zip'), 'old');
    await expect(exportAdapter(request(adapter(DOVETAIL_LORA), path.join(dir, 'taken.zip')))).rejects.toThrow(
      /already exists/,
    );
    expect(fs.readFileSync(path.join(dir, 'taken.zip'), 'utf8')).toBe('old');

    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    fs.copyFileSync(path.join(DOVETAIL_LORA, 'adapter_config.json'), path.join(broken, 'adapter_config.json'));
    const error = await exportAdapter(request(adapter(broken), path.join(dir, 'never'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('adapter_model.safetensors is missing');
    expect(fs.readdirSync(dir).sort()).toEqual(['broken', 'taken', 'taken.zip']);
  });
});
