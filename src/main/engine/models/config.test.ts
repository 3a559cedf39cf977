// config.json parsing for every architecture, with configs shaped like the real Hugging Face ones and the real
// config.json files of Qwen3, Phi-3.5, Gemma 2 and Gemma 3 (__fixtures__/configs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { parseDecoderConfig } from './config';

// meta-llama/Llama-3.2-1B-Instruct
const llama32 = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 128000,
  eos_token_id: [128001, 128008, 128009],
  head_dim: 64,
  hidden_act: 'silu',
  hidden_size: 2048,
  initializer_range: 0.02,
  intermediate_size: 8192,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 32,
  num_hidden_layers: 16,
  num_key_value_heads: 8,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_scaling: {
    factor: 32.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: 'llama3',
  },
  rope_theta: 500000.0,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.45.0.dev0',
  use_cache: true,
  vocab_size: 128256,
};

// Qwen/Qwen2.5-0.5B-Instruct
const qwen25 = {
  architectures: ['Qwen2ForCausalLM'],
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151645,
  hidden_act: 'silu',
  hidden_size: 896,
  initializer_range: 0.02,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 21,
  model_type: 'qwen2',
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.43.1',
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};

// mistralai/Mistral-7B-v0.1
const mistral = {
  architectures: ['MistralForCausalLM'],
  bos_token_id: 1,
  eos_token_id: 2,
  hidden_act: 'silu',
  hidden_size: 4096,
  initializer_range: 0.02,
  intermediate_size: 14336,
  max_position_embeddings: 32768,
  model_type: 'mistral',
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_theta: 10000.0,
  sliding_window: 4096,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  transformers_version: '4.34.0.dev0',
  use_cache: true,
  vocab_size: 32000,
};

// HuggingFaceTB/SmolLM2-135M (Llama architecture, rope_scaling null)
const smollm2 = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: 'silu',
  hidden_size: 576,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  vocab_size: 49152,
};

function expectUserError(fn: () => unknown, message: RegExp): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('parseDecoderConfig', () => {
  it('reads Llama 3.2 with llama3 rope_scaling, GQA, explicit head_dim and an eos list', () => {
    const c = parseDecoderConfig(llama32);
    expect(c.architecture).toBe('LlamaForCausalLM');
    expect(c).toMatchObject({
      vocab_size: 128256,
      hidden_size: 2048,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      head_dim: 64,
      rms_norm_eps: 1e-5,
      rope_theta: 500000,
      max_position_embeddings: 131072,
      tie_word_embeddings: true,
      bos_token_id: 128000,
      eos_token_id: [128001, 128008, 128009],
      sliding_window: null,
      torch_dtype: 'bfloat16',
      mlp_bias: false,
    });
    expect(c.rope_scaling).toEqual({
      rope_type: 'llama3',
      factor: 32,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 8192,
    });
    expect(c.attention_bias).toEqual({ q_proj: false, k_proj: false, v_proj: false, o_proj: false });
    expect(c.layer_types).toEqual(Array(16).fill('full_attention'));
  });

  it('reads Qwen2.5: q/k/v bias always, no o_proj bias, head_dim from hidden/heads, sliding window off', () => {
    const c = parseDecoderConfig(qwen25);
    expect(c.architecture).toBe('Qwen2ForCausalLM');
    expect(c.head_dim).toBe(64);
    expect(c.num_key_value_heads).toBe(2);
    expect(c.attention_bias).toEqual({ q_proj: true, k_proj: true, v_proj: true, o_proj: false });
    expect(c.eos_token_id).toEqual([151645]);
    expect(c.rope_scaling).toBeNull();
    expect(c.sliding_window).toBeNull();
    expect(c.layer_types.every((t) => t === 'full_attention')).toBe(true);
  });

  it('Qwen2 with use_sliding_window uses the window from max_window_layers on', () => {
    const c = parseDecoderConfig({ ...qwen25, use_sliding_window: true, sliding_window: 4096, max_window_layers: 20 });
    expect(c.sliding_window).toBe(4096);
    expect(c.layer_types.slice(18, 22)).toEqual([
      'full_attention',
      'full_attention',
      'sliding_attention',
      'sliding_attention',
    ]);
  });

  it('reads Mistral with its sliding window, and with sliding_window null (v0.2+)', () => {
    const c = parseDecoderConfig(mistral);
    expect(c.architecture).toBe('MistralForCausalLM');
    expect(c.sliding_window).toBe(4096);
    expect(c.layer_types.every((t) => t === 'sliding_attention')).toBe(true);
    expect(c.attention_bias.q_proj).toBe(false);
    const v02 = parseDecoderConfig({ ...mistral, sliding_window: null, rope_theta: 1000000.0 });
    expect(v02.sliding_window).toBeNull();
    expect(v02.rope_theta).toBe(1e6);
  });

  it('reads SmolLM2 (9 heads, 3 kv heads, rope_scaling null)', () => {
    const c = parseDecoderConfig(smollm2);
    expect(c.head_dim).toBe(64);
    expect(c.rope_scaling).toBeNull();
    expect(c.eos_token_id).toEqual([0]);
  });

  it('applies transformers defaults: kv heads = heads, head_dim = hidden/heads, Llama attention_bias and mlp_bias', () => {
    const minimal = {
      model_type: 'llama',
      vocab_size: 32000,
      hidden_size: 2048,
      intermediate_size: 5632,
      num_hidden_layers: 22,
      num_attention_heads: 32,
    };
    const c = parseDecoderConfig(minimal);
    expect(c).toMatchObject({
      architecture: 'LlamaForCausalLM',
      num_key_value_heads: 32,
      head_dim: 64,
      rope_theta: 10000,
      max_position_embeddings: 2048,
      rms_norm_eps: 1e-6,
      tie_word_embeddings: false,
      bos_token_id: null,
      eos_token_id: [],
    });
    const biased = parseDecoderConfig({ ...minimal, attention_bias: true, mlp_bias: true });
    expect(biased.attention_bias).toEqual({ q_proj: true, k_proj: true, v_proj: true, o_proj: true });
    expect(biased.mlp_bias).toBe(true);
  });

  it('reads transformers 5 rope_parameters', () => {
    const { rope_theta: _t, rope_scaling: _s, ...rest } = llama32;
    const c = parseDecoderConfig({ ...rest, rope_parameters: { ...llama32.rope_scaling, rope_theta: 500000.0 } });
    expect(c.rope_theta).toBe(500000);
    expect(c.rope_scaling?.factor).toBe(32);
    const plain = parseDecoderConfig({ ...rest, rope_parameters: { rope_type: 'default', rope_theta: 100000.0 } });
    expect(plain.rope_theta).toBe(100000);
    expect(plain.rope_scaling).toBeNull();
  });

  it('treats rope_scaling of type "default" as none', () => {
    expect(parseDecoderConfig({ ...smollm2, rope_scaling: { rope_type: 'default' } }).rope_scaling).toBeNull();
  });
});

const realConfig = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'configs', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;

describe('real configs of the families added beside the Llama family', () => {
  it('Qwen/Qwen3-0.6B: q/k norms, head_dim 128 given (H*D = 2048 != C = 1024), tied, no bias, no window', () => {
    const c = parseDecoderConfig(realConfig('Qwen3-0.6B'));
    expect(c).toMatchObject({
      architecture: 'Qwen3ForCausalLM',
      head_dim: 128,
      num_attention_heads: 16,
      num_key_value_heads: 8,
      qk_norm: true,
      fused_projections: false,
      norm_weight_offset: 0,
      sandwich_norms: false,
      tie_word_embeddings: true,
      rope_theta: 1000000,
      rope_scaling: null,
      sliding_window: null,
      query_pre_attn_scalar: 128,
      attn_logit_softcapping: null,
      final_logit_softcapping: null,
      hidden_act: 'silu',
      max_position_embeddings: 40960,
    });
    expect(c.attention_bias).toEqual({ q_proj: false, k_proj: false, v_proj: false, o_proj: false });
    expect(c.layer_types.every((t) => t === 'full_attention')).toBe(true);
  });

  it('microsoft/Phi-3.5-mini-instruct: fused projections, longrope from 4,096 to 131,072, window over every layer', () => {
    const c = parseDecoderConfig(realConfig('Phi-3.5-mini-instruct'));
    expect(c).toMatchObject({
      architecture: 'Phi3ForCausalLM',
      head_dim: 96,
      fused_projections: true,
      qk_norm: false,
      rms_norm_eps: 1e-5,
      sliding_window: 262144,
      tie_word_embeddings: false,
      pad_token_id: 32000,
    });
    expect(c.layer_types.every((t) => t === 'sliding_attention')).toBe(true);
    const s = c.rope_scaling;
    if (s?.rope_type !== 'longrope') throw new Error('expected longrope');
    expect(s.short_factor).toHaveLength(48);
    expect(s.long_factor[47]).toBeCloseTo(64.84, 2);
    expect(s.original_max_position_embeddings).toBe(4096);
    expect(s.factor).toBe(32);
    // transformers: sqrt(1 + ln(32) / ln(4096))
    expect(s.attention_factor).toBeCloseTo(Math.sqrt(1 + Math.log(32) / Math.log(4096)), 12);
  });

  it('google/gemma-2-2b-it: GeGLU, sandwich norms, soft-capping 50 / 30, alternating windows of 4,096', () => {
    const c = parseDecoderConfig(realConfig('gemma-2-2b-it'));
    expect(c).toMatchObject({
      architecture: 'Gemma2ForCausalLM',
      hidden_act: 'gelu_pytorch_tanh',
      head_dim: 256,
      norm_weight_offset: 1,
      sandwich_norms: true,
      qk_norm: false,
      embedding_multiplier: Math.fround(Math.sqrt(2304)),
      query_pre_attn_scalar: 256,
      attn_logit_softcapping: 50,
      final_logit_softcapping: 30,
      sliding_window: 4096,
      tie_word_embeddings: true,
      eos_token_id: [1, 107],
      rope_theta: 10000,
      sliding_rope: null, // one RoPE for every layer
    });
    expect(c.layer_types.slice(0, 4)).toEqual([
      'sliding_attention',
      'full_attention',
      'sliding_attention',
      'full_attention',
    ]);
  });

  it('google/gemma-3-1b-it: q/k norms, local base 10,000 and global 1e6, every 6th layer global', () => {
    const c = parseDecoderConfig(realConfig('gemma-3-1b-it'));
    expect(c).toMatchObject({
      architecture: 'Gemma3ForCausalLM',
      model_type: 'gemma3_text',
      qk_norm: true,
      sandwich_norms: true,
      norm_weight_offset: 1,
      rope_theta: 1000000,
      rope_scaling: null,
      sliding_rope: { rope_theta: 10000, rope_scaling: null },
      sliding_window: 512,
      attn_logit_softcapping: null,
      final_logit_softcapping: null,
      query_pre_attn_scalar: 256,
      embedding_multiplier: Math.fround(Math.sqrt(1152)),
    });
    expect(c.layer_types.map((t, i) => (t === 'full_attention' ? i : -1)).filter((i) => i >= 0)).toEqual([
      5, 11, 17, 23,
    ]);
  });

  it('reads Gemma 3 written by transformers 5 (rope_parameters per layer type) and 4B-style linear scaling', () => {
    const { rope_theta: _t, rope_local_base_freq: _l, rope_scaling: _s, ...rest } = realConfig('gemma-3-1b-it');
    const c = parseDecoderConfig({
      ...rest,
      rope_parameters: {
        full_attention: { rope_type: 'linear', factor: 8.0, rope_theta: 1000000.0 },
        sliding_attention: { rope_type: 'default', rope_theta: 10000.0 },
      },
    });
    expect(c.rope_scaling).toEqual({ rope_type: 'linear', factor: 8 });
    expect(c.sliding_rope).toEqual({ rope_theta: 10000, rope_scaling: null });
    const v4 = parseDecoderConfig({
      ...realConfig('gemma-3-1b-it'),
      rope_scaling: { rope_type: 'linear', factor: 8.0 },
    });
    expect(v4.rope_scaling).toEqual({ rope_type: 'linear', factor: 8 });
    expect(v4.sliding_rope?.rope_scaling).toBeNull();
  });
});

describe('parseDecoderConfig errors', () => {
  it('names an unsupported architecture', () => {
    const e = expectUserError(
      () => parseDecoderConfig({ ...mistral, architectures: ['GemmaForCausalLM'], model_type: 'gemma' }),
      /config\.json: architectures: GemmaForCausalLM is not supported/,
    );
    expect(e.hint).toMatch(/closest architecture Dovetail runs is Gemma2ForCausalLM/);
    expect(e.code).toBe('model-config');
    const phi2 = expectUserError(
      () => parseDecoderConfig({ ...smollm2, architectures: undefined, model_type: 'phi' }),
      /model_type: "phi" is not supported/,
    );
    expect(phi2.hint).toMatch(/closest architecture Dovetail runs is Phi3ForCausalLM/);
    const gemma3mm = expectUserError(
      () => parseDecoderConfig({ ...smollm2, architectures: ['Gemma3ForConditionalGeneration'] }),
      /Gemma3ForConditionalGeneration is not supported/,
    );
    expect(gemma3mm.hint).toMatch(/Gemma3ForCausalLM \(use the text-only checkpoint of the family\)/);
    expect(
      expectUserError(() => parseDecoderConfig({ ...smollm2, architectures: ['Qwen3MoeForCausalLM'] }), /Qwen3Moe/)
        .hint,
    ).toMatch(/is Qwen3ForCausalLM/);
    expect(
      expectUserError(() => parseDecoderConfig({ ...smollm2, architectures: ['OlmoForCausalLM'] }), /Olmo/).hint,
    ).toMatch(/is LlamaForCausalLM/);
    expectUserError(() => parseDecoderConfig({ hidden_size: 4 }), /architectures: is missing/);
    expectUserError(() => parseDecoderConfig([1, 2]), /expected a JSON object/);
  });

  it('rejects rope scaling types other than llama3, linear and longrope, and incomplete ones', () => {
    const phi = realConfig('Phi-3.5-mini-instruct');
    expectUserError(
      () => parseDecoderConfig({ ...phi, rope_scaling: { ...(phi['rope_scaling'] as object), short_factor: [1, 2] } }),
      /rope_scaling\.short_factor: has 2 entries, head_dim 96 needs 48/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...phi, partial_rotary_factor: 0.75 }),
      /partial_rotary_factor: 0\.75 is not supported/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...realConfig('gemma-2-2b-it'), hidden_activation: 'gelu' }),
      /hidden_activation: "gelu" is not supported \(Gemma2ForCausalLM uses "gelu_pytorch_tanh"\)/,
    );
    expectUserError(
      () =>
        parseDecoderConfig({
          ...qwen25,
          rope_scaling: { type: 'yarn', factor: 4.0, original_max_position_embeddings: 32768 },
        }),
      /rope_scaling\.rope_type: rope_type "yarn" is not supported/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...llama32, rope_scaling: { rope_type: 'dynamic', factor: 2.0 } }),
      /"dynamic" is not supported/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...llama32, rope_scaling: { rope_type: 'llama3', factor: 8.0 } }),
      /rope_scaling\.low_freq_factor/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...llama32, rope_scaling: { ...llama32.rope_scaling, high_freq_factor: 1.0 } }),
      /high_freq_factor: 1 must be greater than low_freq_factor/,
    );
  });

  it('names missing and inconsistent fields', () => {
    const { hidden_size: _h, ...noHidden } = mistral;
    const missing = expectUserError(
      () => parseDecoderConfig(noHidden, '/models/m/config.json'),
      /config\.json: hidden_size: is missing/,
    );
    expect(missing.where).toBe('/models/m/config.json: hidden_size');
    expectUserError(
      () => parseDecoderConfig({ ...mistral, num_key_value_heads: 5 }),
      /num_key_value_heads: 5 does not divide num_attention_heads \(32\)/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...smollm2, num_attention_heads: 7, num_key_value_heads: 7 }),
      /num_attention_heads: 7 does not divide hidden_size \(576\)/,
    );
    expectUserError(() => parseDecoderConfig({ ...smollm2, head_dim: 63 }), /head_dim: 63 is odd/);
    expectUserError(
      () => parseDecoderConfig({ ...smollm2, hidden_act: 'gelu' }),
      /hidden_act: "gelu" is not supported/,
    );
    expectUserError(() => parseDecoderConfig({ ...mistral, vocab_size: -1 }), /vocab_size/);
    expectUserError(
      () => parseDecoderConfig({ ...mistral, eos_token_id: 32000 }),
      /eos_token_id: 32000 is outside the vocabulary/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...mistral, quantization_config: { quant_method: 'gptq' } }),
      /quantized checkpoints are not supported/,
    );
    expectUserError(
      () => parseDecoderConfig({ ...mistral, layer_types: ['full_attention'] }),
      /layer_types: has 1 entries but num_hidden_layers is 32/,
    );
  });
});
