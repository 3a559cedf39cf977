// Test helper: the committed PyTorch reference fixtures (tools/reference/make_reference.py, make_arch_reference.py) as
// engine values:
// checkpoints, their PEFT LoRA adapter and soft prompt, and the expected logits and greedy tokens per case.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensor, type Tensor } from '../../graph';
import type { DecoderConfig } from '../config';
import { LORA_MLP_MODULES } from '../../../../shared/lora';
import { loraModules, type LoraAdapter, type LoraModule, type LoraWeights } from '../lora';
import { readSafetensorsHeader, type TensorInfo } from '../safetensors';
import { readTensorF32 } from '../tensor-data';

export const REFERENCE_ROOT = join(import.meta.dirname, '..', '__fixtures__', 'reference');
/** The Llama family (make_reference.py). */
export const LLAMA_FAMILY_REFERENCES = ['llama', 'qwen2', 'mistral', 'qwen2-bf16'] as const;
/** The architectures added beside it (make_arch_reference.py). */
export const ARCH_REFERENCES = ['qwen3', 'phi3', 'gemma2', 'gemma3'] as const;
export const REFERENCE_MODELS = [...LLAMA_FAMILY_REFERENCES, ...ARCH_REFERENCES] as const;

/** The case names of a reference folder, read at collection time so each case is its own test. */
export function referenceCaseNames(folder: string): string[] {
  const json = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as { cases: { name: string }[] };
  return json.cases.map((c) => c.name);
}

export interface ReferenceCase {
  name: string; // "b3-lora-soft"
  prompts: number[][]; // [B][T_b]
  lora: boolean;
  soft_prompt: boolean;
  /** Per row, the positions (in the padded sequence, virtual tokens first) whose logits are kept. */
  positions: number[][];
  greedy: number[][]; // [B][new_tokens]
}

export interface Reference {
  pad_token_id: number;
  lora_scaling: number;
  new_tokens: number;
  cases: ReferenceCase[];
  /** Case name -> logits [rows, KEEP, V]. */
  logits: Map<string, Tensor<'float32'>>;
}

async function tensorsOf(path: string): Promise<Map<string, TensorInfo>> {
  const file = await readSafetensorsHeader(path);
  return new Map(file.tensors.map((t) => [t.name, t]));
}

async function readF32(info: TensorInfo): Promise<Tensor<'float32'>> {
  return tensor('float32', info.shape, await readTensorF32(info));
}

export async function readReference(folder: string): Promise<Reference> {
  const json = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as Omit<Reference, 'logits'>;
  const logits = new Map<string, Tensor<'float32'>>();
  for (const [name, info] of await tensorsOf(join(folder, 'expected.safetensors')))
    logits.set(name, await readF32(info));
  return { ...json, logits };
}

/**
 * The PEFT LoRA adapter in <folder>/lora (keys
 * base_model.model.model.layers.{i}.{self_attn|mlp}.{module}.lora_A.weight).
 */
export async function readLoraAdapter(folder: string, config: DecoderConfig, scaling: number): Promise<LoraAdapter> {
  const tensors = await tensorsOf(join(folder, 'lora', 'adapter_model.safetensors'));
  const layers: LoraAdapter['layers'] = [];
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const layer: Partial<Record<LoraModule, LoraWeights>> = {};
    for (const module of loraModules(config)) {
      const block = LORA_MLP_MODULES.includes(module) ? 'mlp' : 'self_attn';
      const prefix = `base_model.model.model.layers.${i}.${block}.${module}`;
      const a = tensors.get(`${prefix}.lora_A.weight`);
      const b = tensors.get(`${prefix}.lora_B.weight`);
      if (a && b) layer[module] = { A: await readF32(a), B: await readF32(b) };
    }
    layers.push(layer);
  }
  return { layers, scaling };
}

/** PEFT prompt tuning's prompt_embeddings [n, C] in <folder>/soft-prompt. */
export async function readSoftPrompt(folder: string): Promise<Tensor<'float32'>> {
  const tensors = await tensorsOf(join(folder, 'soft-prompt', 'adapter_model.safetensors'));
  return readF32(tensors.get('prompt_embeddings') as TensorInfo);
}
