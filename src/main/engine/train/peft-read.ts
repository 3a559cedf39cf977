// Reads a PEFT adapter folder (adapter_config.json + adapter_model.safetensors, LORA or PROMPT_TUNING) for a base
// model's DecoderConfig: validates keys and shapes, and returns the tensors in the form ModelRunner takes.
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../../shared/errors';
import { tensor, type Tensor } from '../graph';
import { assertFinite } from '../models/finite-check';
import {
  loraFeatures,
  readSafetensorsHeader,
  readTensorF32,
  type DecoderConfig,
  type LoraAdapter,
  type LoraModule,
  type LoraWeights,
  type TensorDtype,
  type TensorInfo,
} from '../models';
import { describe, fileExists, isNotFound, parseJson, readOptional } from './json-files';
import { resolveLoraPlan, type LoraPlan } from './lora-plan';
import { parsePeftConfig, type LoraConfigJson, type PromptTuningConfigJson } from './peft-config';
import {
  ADAPTER_BIN_FILE,
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  modulePath,
  parseLoraKey,
  PROMPT_EMBEDDINGS,
} from './peft-names';

export const PEFT_FOLDER_HINT =
  'A PEFT adapter folder holds adapter_config.json and adapter_model.safetensors, as written by save_pretrained.';

export interface PeftLora {
  kind: 'lora';
  folder: string;
  config: LoraConfigJson;
  plan: LoraPlan;
  /** [L] as stored: A [r, in] (lora_A.weight), B [out, r] (lora_B.weight), as float32. */
  weights: Partial<Record<LoraModule, LoraWeights>>[];
  /** For ModelRunner: the same tensors and plan.scaling; per-module scalings (rank/alpha_pattern) folded into B. */
  adapter: LoraAdapter;
  /** The stored dtype of the tensors. */
  dtype: TensorDtype | 'mixed';
}

export interface PeftPromptTuning {
  kind: 'prompt_tuning';
  folder: string;
  config: PromptTuningConfigJson;
  /** prompt_embeddings [n, C] as float32: ModelRunner's softPrompt. */
  softPrompt: Tensor<'float32'>;
  dtype: TensorDtype;
}

export type PeftAdapter = PeftLora | PeftPromptTuning;

function weightsError(path: string, key: string, message: string, hint: string, code = 'adapter-weights'): UserError {
  return new UserError(`${basename(path)}: ${key}: ${message}`, { where: `${path}: ${key}`, hint, code });
}

/** Reads one PEFT adapter folder (LORA or PROMPT_TUNING) for the base model `model`. */
export async function readPeftAdapter(adapterFolder: string, model: DecoderConfig): Promise<PeftAdapter> {
  const folder = resolve(adapterFolder);
  await checkFolder(folder);
  const configPath = join(folder, ADAPTER_CONFIG_FILE);
  const configBytes = await readOptional(configPath);
  if (configBytes === null) {
    throw new UserError(`${ADAPTER_CONFIG_FILE} is missing from the adapter folder.`, {
      where: configPath,
      hint: PEFT_FOLDER_HINT,
      code: 'adapter-file',
    });
  }
  const config = parsePeftConfig(parseJson(configBytes, configPath, 'adapter-config'), configPath);
  const tensors = await readWeightsHeader(folder);
  await assertFinite(tensors.tensors, 'adapter');
  return config.peft_type === 'LORA'
    ? readLora(folder, config, configPath, tensors, model)
    : readPromptTuning(folder, config, configPath, tensors, model);
}

async function checkFolder(folder: string): Promise<void> {
  try {
    if ((await stat(folder)).isDirectory()) return;
  } catch (error) {
    const missing = isNotFound(error);
    throw new UserError(
      missing ? 'The adapter folder does not exist.' : `The adapter folder cannot be read: ${describe(error)}`,
      { where: folder, hint: PEFT_FOLDER_HINT, code: 'adapter-file', cause: error },
    );
  }
  throw new UserError('The adapter path is a file, not a folder.', {
    where: folder,
    hint: PEFT_FOLDER_HINT,
    code: 'adapter-file',
  });
}

async function readWeightsHeader(folder: string): Promise<{ path: string; tensors: TensorInfo[] }> {
  const path = join(folder, ADAPTER_WEIGHTS_FILE);
  if (!(await fileExists(path))) {
    if (await fileExists(join(folder, ADAPTER_BIN_FILE))) {
      throw new UserError(
        `The adapter's weights are in ${ADAPTER_BIN_FILE} (a PyTorch pickle); Dovetail reads only ${ADAPTER_WEIGHTS_FILE}.`,
        {
          where: join(folder, ADAPTER_BIN_FILE),
          hint:
            'Convert it once in Python: PeftModel.from_pretrained(base_model, folder).save_pretrained(out_folder) ' +
            'writes safetensors, ' +
            'or: from safetensors.torch import save_file; save_file(torch.load("adapter_model.bin"), ' +
            '"adapter_model.safetensors", metadata={"format": "pt"}).',
          code: 'adapter-bin',
        },
      );
    }
    throw new UserError(`${ADAPTER_WEIGHTS_FILE} is missing from the adapter folder.`, {
      where: path,
      hint: PEFT_FOLDER_HINT,
      code: 'adapter-file',
    });
  }
  return { path, tensors: (await readSafetensorsHeader(path)).tensors };
}

function expectShape(path: string, info: TensorInfo, expected: readonly number[], what: string): void {
  if (info.shape.length !== expected.length || info.shape.some((d, i) => d !== expected[i])) {
    throw weightsError(
      path,
      info.name,
      `shape [${info.shape.join(', ')}], expected [${expected.join(', ')}] (${what})`,
      'The adapter does not fit this base model or its adapter_config.json; use the adapter made for this model.',
    );
  }
}

function dtypeOf(infos: readonly TensorInfo[]): TensorDtype | 'mixed' {
  const set = new Set(infos.map((t) => t.dtype));
  return set.size === 1 ? (infos[0] as TensorInfo).dtype : 'mixed';
}

async function readLora(
  folder: string,
  config: LoraConfigJson,
  configPath: string,
  file: { path: string; tensors: TensorInfo[] },
  model: DecoderConfig,
): Promise<PeftLora> {
  const plan = resolveLoraPlan(config, model, configPath);
  const { path } = file;
  const found = new Map<string, { A?: TensorInfo; B?: TensorInfo }>();
  for (const info of file.tensors) {
    const key = parseLoraKey(info.name);
    if (key.kind === 'unsupported')
      throw weightsError(
        path,
        info.name,
        `holds ${key.reason}, which Dovetail does not load`,
        'Retrain without that option, or merge the adapter into the model with PEFT merge_and_unload().',
        'adapter-unsupported',
      );
    if (key.kind === 'unknown')
      throw weightsError(
        path,
        info.name,
        'is not a LoRA key of a Llama-family model (expected ' +
          'base_model.model.model.layers.{i}.{self_attn|mlp}.{module}.lora_{A|B}.weight)',
        'Use an adapter saved by PEFT for this architecture.',
      );
    if (key.layer >= model.num_hidden_layers)
      throw weightsError(
        path,
        info.name,
        `layer ${key.layer} does not exist; the model has ${model.num_hidden_layers} layers`,
        'The adapter was trained for a larger model; use the adapter made for this base model.',
      );
    const target = plan.layers[key.layer]?.[key.module];
    if (!target)
      throw weightsError(
        path,
        info.name,
        `${ADAPTER_CONFIG_FILE} does not target ${modulePath(key.layer, key.module)}`,
        'The weights and adapter_config.json disagree; export the adapter again.',
      );
    const f = loraFeatures(model, key.module);
    if (key.part === 'A') expectShape(path, info, [target.r, f.in], `A is [r, in_features] with r = ${target.r}`);
    else expectShape(path, info, [f.out, target.r], `B is [out_features, r] with r = ${target.r}`);
    const slot = found.get(`${key.layer}.${key.module}`) ?? {};
    slot[key.part] = info;
    found.set(`${key.layer}.${key.module}`, slot);
  }
  const base = plan.scaling !== 0 ? plan.scaling : 1;
  const weights: Partial<Record<LoraModule, LoraWeights>>[] = [];
  const adapter: LoraAdapter = { layers: [], scaling: base };
  for (let i = 0; i < model.num_hidden_layers; i++) {
    const layer: Partial<Record<LoraModule, LoraWeights>> = {};
    const runnerLayer: Partial<Record<LoraModule, LoraWeights>> = {};
    for (const [module, target] of Object.entries(plan.layers[i] ?? {}) as [
      LoraModule,
      LoraPlan['layers'][number][LoraModule],
    ][]) {
      const slot = found.get(`${i}.${module}`);
      for (const part of ['A', 'B'] as const) {
        if (!slot?.[part])
          throw weightsError(
            path,
            `${modulePath(i, module)}.lora_${part}.weight`,
            `is missing, but ${ADAPTER_CONFIG_FILE} targets this module`,
            'The file is incomplete; export the adapter again.',
          );
      }
      const pair = slot as { A: TensorInfo; B: TensorInfo };
      const w = {
        A: tensor('float32', pair.A.shape, await readTensorF32(pair.A)),
        B: tensor('float32', pair.B.shape, await readTensorF32(pair.B)),
      };
      layer[module] = w;
      const factor = (target?.scaling ?? 0) / base;
      runnerLayer[module] =
        factor === 1
          ? w
          : {
              A: w.A,
              B: tensor(
                'float32',
                w.B.dims,
                w.B.data.map((x) => x * factor),
              ),
            };
    }
    weights.push(layer);
    adapter.layers.push(runnerLayer);
  }
  return { kind: 'lora', folder, config, plan, weights, adapter, dtype: dtypeOf(file.tensors) };
}

async function readPromptTuning(
  folder: string,
  config: PromptTuningConfigJson,
  configPath: string,
  file: { path: string; tensors: TensorInfo[] },
  model: DecoderConfig,
): Promise<PeftPromptTuning> {
  const C = model.hidden_size;
  if (config.token_dim != null && config.token_dim !== C) {
    throw new UserError(
      `${ADAPTER_CONFIG_FILE}: token_dim: ${config.token_dim}, but the base model's hidden_size is ${C}`,
      {
        where: `${configPath}: token_dim`,
        hint: 'The soft prompt was trained for another model; use the one made for this base model.',
        code: 'adapter-config',
      },
    );
  }
  const { path } = file;
  const other = file.tensors.find((t) => t.name !== PROMPT_EMBEDDINGS);
  if (other)
    throw weightsError(
      path,
      other.name,
      `unexpected tensor; a prompt-tuning adapter holds only ${PROMPT_EMBEDDINGS}`,
      'Use an adapter saved by PEFT with PromptTuningConfig.',
    );
  const info = file.tensors[0];
  if (!info)
    throw weightsError(path, PROMPT_EMBEDDINGS, 'is missing', 'The file is incomplete; export the adapter again.');
  expectShape(path, info, [config.num_virtual_tokens, C], 'num_virtual_tokens x token_dim');
  const softPrompt = tensor('float32', info.shape, await readTensorF32(info));
  return { kind: 'prompt_tuning', folder, config, softPrompt, dtype: info.dtype };
}
