// Real Hugging Face configs shrunk to tiny dims (vocab, hidden, layers, heads) while keeping what shapes the graph:
// GQA ratio, head_dim given or derived, q/k/v bias, tied embeddings, rope_theta, llama3 / longrope / linear scaling,
// sliding windows, q/k norms, fused projections, Gemma's norms and soft-capping. The newer families start from their
// real config.json (__fixtures__/configs) and override only the sizes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const tiny = { vocab_size: 256, num_hidden_layers: 2, max_position_embeddings: 512 };
const real = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '__fixtures__', 'configs', `${name}.json`), 'utf8'),
  ) as Record<string, unknown>;
const phi35 = real('Phi-3.5-mini-instruct');
const phiRope = phi35['rope_scaling'] as { short_factor: number[]; long_factor: number[] };

export const CONFIG_ZOO: Record<string, object> = {
  // meta-llama/Llama-3.2-1B-Instruct: 32/8 heads (GQA 4), head_dim 64 given, tied, llama3 factor 32.
  'Llama-3.2-1B': {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: 128000 % 256,
    eos_token_id: [1, 8, 9],
    head_dim: 8,
    hidden_act: 'silu',
    hidden_size: 48,
    intermediate_size: 96,
    num_attention_heads: 8,
    num_key_value_heads: 2,
    rms_norm_eps: 1e-5,
    rope_theta: 500000.0,
    tie_word_embeddings: true,
    torch_dtype: 'bfloat16',
    rope_scaling: {
      factor: 32.0,
      high_freq_factor: 4.0,
      low_freq_factor: 1.0,
      original_max_position_embeddings: 8192,
      rope_type: 'llama3',
    },
    ...tiny,
  },
  // Qwen/Qwen2.5-0.5B-Instruct: 14/2 heads (GQA 7), head_dim derived, q/k/v bias, tied, theta 1e6, no sliding.
  'Qwen2.5-0.5B': {
    architectures: ['Qwen2ForCausalLM'],
    model_type: 'qwen2',
    hidden_act: 'silu',
    hidden_size: 56,
    intermediate_size: 96,
    max_window_layers: 21,
    num_attention_heads: 7,
    num_key_value_heads: 1,
    rms_norm_eps: 1e-6,
    rope_theta: 1000000.0,
    sliding_window: 32768,
    tie_word_embeddings: true,
    torch_dtype: 'bfloat16',
    use_sliding_window: false,
    ...tiny,
  },
  // HuggingFaceTB/SmolLM2-135M: 9/3 heads (GQA 3), tied, rope_scaling null, theta 1e5.
  'SmolLM2-135M': {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    attention_bias: false,
    hidden_act: 'silu',
    hidden_size: 72,
    intermediate_size: 96,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    rms_norm_eps: 1e-5,
    rope_scaling: null,
    rope_theta: 100000,
    tie_word_embeddings: true,
    ...tiny,
  },
  // TinyLlama/TinyLlama-1.1B-Chat-v1.0: 32/4 heads (GQA 8), untied.
  TinyLlama: {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_act: 'silu',
    hidden_size: 64,
    intermediate_size: 128,
    num_attention_heads: 8,
    num_key_value_heads: 1,
    rms_norm_eps: 1e-5,
    rope_scaling: null,
    rope_theta: 10000.0,
    tie_word_embeddings: false,
    torch_dtype: 'bfloat16',
    ...tiny,
  },
  // mistralai/Mistral-7B-v0.1: 32/8 heads (GQA 4), sliding_window 4096, untied.
  'Mistral-7B': {
    architectures: ['MistralForCausalLM'],
    model_type: 'mistral',
    hidden_act: 'silu',
    hidden_size: 32,
    intermediate_size: 64,
    num_attention_heads: 4,
    num_key_value_heads: 1,
    rms_norm_eps: 1e-5,
    rope_theta: 10000.0,
    sliding_window: 4096,
    tie_word_embeddings: false,
    torch_dtype: 'bfloat16',
    ...tiny,
  },
  // Qwen/Qwen3-0.6B: q/k norms, head_dim given (H*D = 2 C), GQA 2, tied.
  'Qwen3-0.6B': {
    ...real('Qwen3-0.6B'),
    ...tiny,
    hidden_size: 32,
    intermediate_size: 64,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 16,
    bos_token_id: 1,
    eos_token_id: 2,
  },
  // microsoft/Phi-3.5-mini-instruct: fused qkv / gate_up, longrope (factors cut to head_dim / 2), window everywhere.
  'Phi-3.5-mini': {
    ...phi35,
    ...tiny,
    hidden_size: 32,
    intermediate_size: 64,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    original_max_position_embeddings: 4,
    rope_scaling: {
      ...phiRope,
      short_factor: phiRope.short_factor.slice(0, 4),
      long_factor: phiRope.long_factor.slice(0, 4),
    },
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
  },
  // google/gemma-2-2b-it: GeGLU, sandwich norms, soft-capping, alternating sliding windows.
  'gemma-2-2b': {
    ...real('gemma-2-2b-it'),
    ...tiny,
    hidden_size: 32,
    intermediate_size: 64,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    head_dim: 16,
    sliding_window: 3,
    eos_token_id: [1, 107 % 256],
  },
  // google/gemma-3-1b-it: q/k norms, local and global RoPE bases, one kv head.
  'gemma-3-1b': {
    ...real('gemma-3-1b-it'),
    ...tiny,
    hidden_size: 32,
    intermediate_size: 64,
    num_attention_heads: 4,
    num_key_value_heads: 1,
    head_dim: 16,
    sliding_window: 3,
    sliding_window_pattern: 2,
    eos_token_id: [1, 106],
  },
};
