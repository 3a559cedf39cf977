// Weight-name mapping: every expected HF key present with the shape the config implies, tied embeddings, biases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { parseDecoderConfig, type DecoderConfig } from './config';
import { readTensorIndex, type TensorInfo } from './safetensors';
import { decoderTensors, expectedWeights, mapDecoderWeights } from './weights';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const configOf = (folder: string): DecoderConfig =>
  parseDecoderConfig(JSON.parse(readFileSync(join(FIXTURES, folder, 'config.json'), 'utf-8')));

function catchUserError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('mapDecoderWeights', () => {
  it('maps the Llama fixture (explicit head_dim 8, untied lm_head)', async () => {
    const config = configOf('tiny-llama-f32');
    const index = await readTensorIndex(join(FIXTURES, 'tiny-llama-f32'));
    const w = mapDecoderWeights(config, index.tensors);
    expect(w.layers).toHaveLength(2);
    expect(w.layers[1]?.self_attn.q_proj?.weight.name).toBe('model.layers.1.self_attn.q_proj.weight');
    expect(w.layers[0]?.self_attn.q_proj?.weight.shape).toEqual([32, 16]); // [H*D, C]
    expect(w.layers[0]?.self_attn.k_proj?.weight.shape).toEqual([16, 16]); // [kvH*D, C]
    expect(w.layers[0]?.self_attn.o_proj?.weight.shape).toEqual([16, 32]); // [C, H*D]
    expect(w.layers[0]?.mlp.down_proj?.weight.shape).toEqual([16, 40]); // [C, I]
    expect(w.layers[0]?.self_attn.q_proj?.bias).toBeNull();
    expect(w.tied).toBe(false);
    expect(w.lm_head.name).toBe('lm_head.weight');
    expect(w.unused).toEqual([]);
    expect(decoderTensors(w)).toHaveLength(index.tensors.size);
  });

  it('maps the Qwen2 fixture: q/k/v biases, lm_head tied to embed_tokens', async () => {
    const config = configOf('tiny-qwen2-bf16');
    const index = await readTensorIndex(join(FIXTURES, 'tiny-qwen2-bf16'));
    const w = mapDecoderWeights(config, index.tensors);
    expect(w.tied).toBe(true);
    expect(w.lm_head).toBe(w.embed_tokens);
    expect(w.layers[0]?.self_attn.k_proj?.bias?.shape).toEqual([8]); // [kvH*D]
    expect(w.layers[0]?.self_attn.o_proj?.bias).toBeNull();
    expect(decoderTensors(w)).toHaveLength(index.tensors.size);
  });

  it('lists every missing and mismatched tensor in one error', async () => {
    const config = configOf('tiny-llama-f32');
    const index = await readTensorIndex(join(FIXTURES, 'tiny-llama-f32'));
    const tensors = new Map(index.tensors);
    tensors.delete('model.layers.1.mlp.up_proj.weight');
    tensors.delete('model.norm.weight');
    const k = tensors.get('model.layers.0.self_attn.k_proj.weight') as TensorInfo;
    tensors.set(k.name, { ...k, shape: [32, 16] });
    const e = catchUserError(() => mapDecoderWeights(config, tensors));
    expect(e.message).toBe(
      'The weights do not match config.json (missing 2: model.layers.1.mlp.up_proj.weight, model.norm.weight; ' +
        'wrong shape 1: model.layers.0.self_attn.k_proj.weight is [32, 16], config.json implies [16, 16]).',
    );
    expect(e.code).toBe('model-weights');
  });

  it('hints at tie_word_embeddings when only lm_head.weight is missing', async () => {
    const config = configOf('tiny-qwen2-bf16');
    const index = await readTensorIndex(join(FIXTURES, 'tiny-qwen2-bf16'));
    const e = catchUserError(() => mapDecoderWeights({ ...config, tie_word_embeddings: false }, index.tensors));
    expect(e.message).toMatch(/missing 1: lm_head\.weight/);
    expect(e.hint).toMatch(/tie_word_embeddings/);
  });

  it('reports biases the config requires (Llama attention_bias) and a wrong vocabulary size', async () => {
    const config = configOf('tiny-llama-f32');
    const index = await readTensorIndex(join(FIXTURES, 'tiny-llama-f32'));
    const biased = catchUserError(() =>
      mapDecoderWeights(
        { ...config, attention_bias: { q_proj: true, k_proj: true, v_proj: true, o_proj: true } },
        index.tensors,
      ),
    );
    expect(biased.message).toMatch(
      /^The weights do not match config\.json \(missing 8: model\.layers\.0\.self_attn\.q_proj\.bias, model\.layers\.0\.self_attn\.k_proj\.bias, /,
    );
    const vocab = catchUserError(() => mapDecoderWeights({ ...config, vocab_size: 512 }, index.tensors));
    expect(vocab.message).toMatch(/model\.embed_tokens\.weight is \[384, 16\], config\.json implies \[512, 16\]/);
  });

  it('ignores rotary inv_freq buffers and refuses other extra tensors, naming them', async () => {
    const config = configOf('tiny-llama-f32');
    const index = await readTensorIndex(join(FIXTURES, 'tiny-llama-f32'));
    const extra = new Map(index.tensors);
    const some = index.tensors.get('model.norm.weight') as TensorInfo;
    extra.set('model.layers.0.self_attn.rotary_emb.inv_freq', {
      ...some,
      name: 'model.layers.0.self_attn.rotary_emb.inv_freq',
    });
    extra.set('score.weight', { ...some, name: 'score.weight' });
    expect(catchUserError(() => mapDecoderWeights(config, extra)).message).toBe(
      "The weights hold 1 tensor that config.json's architecture would ignore: score.weight.",
    );
    extra.delete('score.weight');
    expect(mapDecoderWeights(config, extra).unused).toEqual([]);
  });

  it('refuses a Qwen2 checkpoint under a Llama config, naming the bias tensors and suggesting qwen2', async () => {
    const index = await readTensorIndex(join(FIXTURES, 'tiny-qwen2-bf16'));
    const qwen = configOf('tiny-qwen2-bf16');
    const asLlama: DecoderConfig = {
      ...qwen,
      model_type: 'llama',
      architecture: 'LlamaForCausalLM',
      attention_bias: { q_proj: false, k_proj: false, v_proj: false, o_proj: false },
    };
    const error = catchUserError(() => mapDecoderWeights(asLlama, index.tensors));
    expect(error.message).toMatch(
      /^The weights hold 6 tensors that config\.json's architecture would ignore: model\.layers\.0\.self_attn\.k_proj\.bias, /,
    );
    expect(error.hint).toMatch(/"model_type": "qwen2"/);
  });

  it('expects the HF key set for a real shape (SmolLM2-135M: 30 layers, tied)', () => {
    const config = parseDecoderConfig({
      architectures: ['LlamaForCausalLM'],
      hidden_size: 576,
      intermediate_size: 1536,
      num_attention_heads: 9,
      num_hidden_layers: 30,
      num_key_value_heads: 3,
      vocab_size: 49152,
      tie_word_embeddings: true,
    });
    const expected = expectedWeights(config);
    expect(expected).toHaveLength(1 + 30 * 9 + 1);
    const params = expected.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(params).toBe(134_515_008); // SmolLM2-135M's parameter count
  });
});
