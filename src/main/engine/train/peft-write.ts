// Writes Dovetail's trained LoRA and/or soft prompt as PEFT adapter folders (adapter_config.json with sorted keys as
// PEFT's save_pretrained writes it, adapter_model.safetensors with PEFT's keys) plus dovetail_adapter.json, atomically.
import { BugError, UserError } from '../../../shared/errors';
import type { Tensor } from '../graph';
import { loraFeatures, loraModules, type DecoderConfig, type LoraModule, type LoraWeights } from '../models';
import { writeFolderAtomically, type FileToWrite } from './atomic-folder';
import { lineageJson, type Lineage, type LineageInput } from './lineage';
import {
  loraConfigJson,
  promptTuningConfigJson,
  type LoraHyperParameters,
  type PromptTuningOptions,
} from './peft-config';
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  LINEAGE_FILE,
  loraKey,
  PROMPT_EMBEDDINGS,
  SOFT_PROMPT_SUBFOLDER,
} from './peft-names';
import { encodeSafetensors, type TensorToWrite, type WriteDtype } from './safetensors-write';

/** A LoRA as the trainer holds it: hyper-parameters and, per layer [L], A [r, in] and B [out, r] of every target. */
export interface TrainedLora extends LoraHyperParameters {
  target_modules: readonly LoraModule[];
  layers: Partial<Record<LoraModule, LoraWeights>>[];
}

/** A soft prompt as the trainer holds it: embeddings [n, C] and how they were initialised. */
export interface TrainedSoftPrompt extends PromptTuningOptions {
  embeddings: Tensor<'float32'>;
}

export interface AdapterToWrite {
  lora?: TrainedLora | null;
  softPrompt?: TrainedSoftPrompt | null;
  lineage: LineageInput;
}

export interface PeftWriteOptions {
  model: DecoderConfig;
  /** Tensor dtype on disk; F32 (default) round-trips exactly. */
  dtype?: WriteDtype;
  /** adapter_config.json base_model_name_or_path (a hub id or path PEFT can load), or null. */
  baseModelNameOrPath?: string | null;
}

/** JSON with keys sorted at every level and 2-space indent, as PEFT's to_json_string writes adapter_config.json. */
export function peftJson(value: unknown): Uint8Array {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return new TextEncoder().encode(`${JSON.stringify(sort(value), null, 2)}\n`);
}

function checkFinite(name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new UserError(`The trained ${name} holds a non-finite value (NaN or infinity); it is not saved.`, {
        where: name,
        hint: 'Training diverged: lower the learning rate or enable gradient clipping, then train again.',
        code: 'adapter-nonfinite',
      });
    }
  }
}

function sameShape(name: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new BugError(`${name} is [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

/** adapter_config.json + adapter_model.safetensors of a LoRA (every layer adapts every target module). */
export function encodePeftLora(
  lora: TrainedLora,
  options: PeftWriteOptions,
): { config: Uint8Array; weights: Uint8Array } {
  const { model } = options;
  const modules = loraModules(model);
  const targets = modules.filter((m) => lora.target_modules.includes(m));
  if (targets.length === 0 || targets.length !== new Set(lora.target_modules).size)
    throw new BugError(
      `LoRA target_modules [${lora.target_modules.join(', ')}] must be a non-empty subset of ${modules.join(', ')}`,
    );
  if (lora.layers.length !== model.num_hidden_layers)
    throw new BugError(`LoRA has ${lora.layers.length} layers, the model ${model.num_hidden_layers}`);
  const tensors: TensorToWrite[] = [];
  lora.layers.forEach((layer, i) => {
    const extra = Object.keys(layer).filter((m) => !targets.includes(m as LoraModule));
    if (extra.length > 0) throw new BugError(`LoRA layer ${i} has ${extra.join(', ')}, which target_modules lacks`);
    for (const module of targets) {
      const w = layer[module];
      if (!w) throw new BugError(`LoRA layer ${i} lacks ${module}`);
      const f = loraFeatures(model, module);
      for (const [part, t, shape] of [
        ['A', w.A, [lora.r, f.in]],
        ['B', w.B, [f.out, lora.r]],
      ] as const) {
        const name = loraKey(i, module, part);
        sameShape(name, t.dims, shape);
        checkFinite(name, t.data);
        tensors.push({ name, shape: t.dims, data: t.data });
      }
    }
  });
  const config = loraConfigJson({ ...lora, target_modules: targets }, options.baseModelNameOrPath ?? null);
  return { config: peftJson(config), weights: encodeSafetensors(tensors, options.dtype ?? 'F32') };
}

/** adapter_config.json + adapter_model.safetensors of a prompt-tuning soft prompt [n, C]. */
export function encodePeftPromptTuning(
  soft: TrainedSoftPrompt,
  options: PeftWriteOptions,
): { config: Uint8Array; weights: Uint8Array } {
  const { model } = options;
  const [n = 0, C = 0] = soft.embeddings.dims;
  sameShape(PROMPT_EMBEDDINGS, soft.embeddings.dims, [n, model.hidden_size]);
  if (n === 0) throw new BugError('a soft prompt needs at least one virtual token');
  checkFinite(PROMPT_EMBEDDINGS, soft.embeddings.data);
  const shape = { n, C, numAttentionHeads: model.num_attention_heads, numLayers: model.num_hidden_layers };
  const config = promptTuningConfigJson(shape, soft, options.baseModelNameOrPath ?? null);
  const weights = encodeSafetensors(
    [{ name: PROMPT_EMBEDDINGS, shape: [n, C], data: soft.embeddings.data }],
    options.dtype ?? 'F32',
  );
  return { config: peftJson(config), weights };
}

/**
 * Writes the adapter folder (which must not exist): a LoRA or a soft prompt alone as a PEFT folder at the root; both
 * with the LoRA at the root and the soft prompt in prompt_tuning/. Returns the lineage written beside them.
 */
export async function writeAdapterFolder(
  folder: string,
  adapter: AdapterToWrite,
  options: PeftWriteOptions,
): Promise<Lineage> {
  const files: Record<string, Uint8Array> = {};
  if (adapter.lora) {
    const { config, weights } = encodePeftLora(adapter.lora, options);
    files[ADAPTER_CONFIG_FILE] = config;
    files[ADAPTER_WEIGHTS_FILE] = weights;
  }
  if (adapter.softPrompt) {
    const { config, weights } = encodePeftPromptTuning(adapter.softPrompt, options);
    const prefix = adapter.lora ? `${SOFT_PROMPT_SUBFOLDER}/` : '';
    files[`${prefix}${ADAPTER_CONFIG_FILE}`] = config;
    files[`${prefix}${ADAPTER_WEIGHTS_FILE}`] = weights;
  }
  if (!adapter.lora && !adapter.softPrompt)
    throw new BugError('writeAdapterFolder: nothing to write (no LoRA, no soft prompt)');
  const method = adapter.lora && adapter.softPrompt ? 'lora+soft_prompt' : adapter.lora ? 'lora' : 'soft_prompt';
  const lineage = lineageJson(adapter.lineage, method, files);
  const all: FileToWrite[] = Object.entries(files).map(([path, bytes]) => ({ path, bytes }));
  all.push({ path: LINEAGE_FILE, bytes: new TextEncoder().encode(`${JSON.stringify(lineage, null, 2)}\n`) });
  await writeFolderAtomically(folder, all);
  return lineage;
}
