// Test helper: the tiny Llama of __fixtures__/tiny-llama (tools/reference/make_peft_fixture.py) with its real
// PEFT-saved LoRA and prompt-tuning adapters, and transformers/PEFT's logits (expected.safetensors) as float32.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensor, type Tensor } from '../../graph';
import { mapDecoderWeights, parseDecoderConfig, readTensorIndex, type RunnerModel } from '../../models';

export const TINY_LLAMA = join(import.meta.dirname, '..', '__fixtures__', 'tiny-llama');
export const TINY_LORA = join(TINY_LLAMA, 'lora');
export const TINY_SOFT_PROMPT = join(TINY_LLAMA, 'soft-prompt');

/** The model folder as ModelRunner takes it (it has no tokenizer, so not through loadCheckpoint). */
export async function tinyLlamaModel(): Promise<RunnerModel> {
  const folder = join(TINY_LLAMA, 'model');
  const config = parseDecoderConfig(
    JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')),
    join(folder, 'config.json'),
  );
  const index = await readTensorIndex(folder);
  return { config, weights: mapDecoderWeights(config, index.tensors), contentHash: 'tiny-llama-reference', folder };
}

export interface TinyLlamaExpected {
  inputIds: number[][]; // [2, 12]
  logits: Tensor<'float32'>; // [2, 12, 128]
  lora_logits: Tensor<'float32'>; // [2, 12, 128]
  soft_prompt_logits: Tensor<'float32'>; // [2, 16, 128], the 4 virtual positions first
}

/**
 * expected.safetensors' F32 tensors (its I64 ones are read from expected.json; the models reader takes floats only).
 */
export async function tinyLlamaExpected(): Promise<TinyLlamaExpected> {
  const json = JSON.parse(await readFile(join(TINY_LLAMA, 'expected.json'), 'utf8')) as { input_ids: number[][] };
  const bytes = await readFile(join(TINY_LLAMA, 'expected.safetensors'));
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const f32 = (name: string): Tensor<'float32'> => {
    const h = header[name];
    if (!h || h.dtype !== 'F32') throw new Error(`expected.safetensors: no F32 tensor ${name}`);
    const data = bytes.subarray(8 + n + h.data_offsets[0], 8 + n + h.data_offsets[1]);
    return tensor(
      'float32',
      h.shape,
      new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    );
  };
  return {
    inputIds: json.input_ids,
    logits: f32('logits'),
    lora_logits: f32('lora_logits'),
    soft_prompt_logits: f32('soft_prompt_logits'),
  };
}
