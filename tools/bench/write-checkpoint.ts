// Writes a random checkpoint of a real model's shape for the benchmarks into a git-ignored folder: SmolLM2-135M (Llama,
// f32, ~540 MB) or Qwen2.5-0.5B (Qwen2 with q/k/v biases, bf16 as published, ~1 GB): config.json, model.safetensors
// (streamed to disk) and the tiny reference tokenizer's files. Deterministic (seeded LCG); weights ~ U with std
// 1/sqrt(fan_in), so activations stay in range (no denormals).
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** SmolLM2-135M's config.json (HuggingFaceTB/SmolLM2-135M), stored as float32. */
export const SMOLLM2_135M = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 352,
  eos_token_id: 353,
  head_dim: 64,
  hidden_act: 'silu',
  hidden_size: 576,
  initializer_range: 0.041666666666666664,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'float32',
  use_cache: true,
  vocab_size: 49152,
} as const;

/**
 * Qwen/Qwen2.5-0.5B's config.json (14/2 heads, q/k/v biases, tied, theta 1e6), stored as bfloat16 as published; the
 * special token ids are the tiny tokenizer's (its vocabulary is padded to the embedding rows).
 */
export const QWEN25_05B = {
  architectures: ['Qwen2ForCausalLM'],
  attention_dropout: 0.0,
  bos_token_id: 352,
  eos_token_id: 353,
  hidden_act: 'silu',
  hidden_size: 896,
  initializer_range: 0.02,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 24,
  model_type: 'qwen2',
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
} as const;

/** The benchmarks' shapes by name (bench flags --shape=...). */
export const BENCH_SHAPES = { 'smollm2-135m': SMOLLM2_135M, 'qwen2.5-0.5b': QWEN25_05B } as const;
export type BenchShape = keyof typeof BENCH_SHAPES;

interface ShapeConfig {
  hidden_size: number;
  intermediate_size: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  num_hidden_layers: number;
  vocab_size: number;
  head_dim?: number;
  torch_dtype: string;
  model_type: string;
}

/**
 * The tiny byte-level BPE written by tools/reference/make_model_fixtures.py (352 tokens + specials): any vocab <=
 * vocab_size loads.
 */
const TOKENIZER_FIXTURE = 'src/main/engine/models/__fixtures__/reference/llama';
const DONE = '.complete';

interface Spec {
  name: string;
  shape: number[];
  /** Values: 'norm' = 1 + small noise, 'bias' = small noise, else std 1/sqrt(fanIn). */
  fanIn: number | 'norm' | 'bias';
}

function tensorSpecs(c: ShapeConfig): Spec[] {
  const C = c.hidden_size;
  const I = c.intermediate_size;
  const D = c.head_dim ?? C / c.num_attention_heads;
  const q = c.num_attention_heads * D;
  const kv = c.num_key_value_heads * D;
  const biases = c.model_type === 'qwen2'; // Qwen2's q/k/v projections carry biases
  const specs: Spec[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocab_size, C], fanIn: C }];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    specs.push(
      { name: `${p}.input_layernorm.weight`, shape: [C], fanIn: 'norm' },
      { name: `${p}.self_attn.q_proj.weight`, shape: [q, C], fanIn: C },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv, C], fanIn: C },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv, C], fanIn: C },
      ...(biases
        ? [
            { name: `${p}.self_attn.q_proj.bias`, shape: [q], fanIn: 'bias' as const },
            { name: `${p}.self_attn.k_proj.bias`, shape: [kv], fanIn: 'bias' as const },
            { name: `${p}.self_attn.v_proj.bias`, shape: [kv], fanIn: 'bias' as const },
          ]
        : []),
      { name: `${p}.self_attn.o_proj.weight`, shape: [C, q], fanIn: q },
      { name: `${p}.post_attention_layernorm.weight`, shape: [C], fanIn: 'norm' },
      { name: `${p}.mlp.gate_proj.weight`, shape: [I, C], fanIn: C },
      { name: `${p}.mlp.up_proj.weight`, shape: [I, C], fanIn: C },
      { name: `${p}.mlp.down_proj.weight`, shape: [C, I], fanIn: I },
    );
  }
  specs.push({ name: 'model.norm.weight', shape: [C], fanIn: 'norm' });
  return specs;
}

/**
 * Writes the checkpoint of `shape` into `folder` unless a complete one is already there; returns the folder. `root` is
 * the repository root (for the tokenizer fixture).
 */
export function ensureBenchCheckpoint(
  folder: string,
  root: string,
  log: (line: string) => void = () => {},
  shape: BenchShape = 'smollm2-135m',
): string {
  const dir = resolve(folder);
  if (existsSync(join(dir, DONE))) return dir;
  mkdirSync(dir, { recursive: true });
  log(`writing a random ${shape}-shaped checkpoint into ${dir} ...`);
  const config = BENCH_SHAPES[shape];
  const specs = tensorSpecs(config);
  const bf16 = config.torch_dtype === 'bfloat16';
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const s of specs) {
    const bytes = s.shape.reduce((a, b) => a * b, 1) * (bf16 ? 2 : 4);
    header[s.name] = { dtype: bf16 ? 'BF16' : 'F32', shape: s.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));

  const fd = openSync(join(dir, 'model.safetensors'), 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, Buffer.from(json, 'utf8'));
    let state = 0x2545f491;
    for (const s of specs) {
      const values = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
      // U(-a, a) has std a/sqrt(3): a = sqrt(3/fanIn) gives std 1/sqrt(fanIn).
      const [base, amplitude] =
        s.fanIn === 'norm' ? [1, 0.1] : s.fanIn === 'bias' ? [0, 0.1] : [0, Math.sqrt(3 / s.fanIn)];
      for (let j = 0; j < values.length; j++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        values[j] = base + amplitude * (state / 2 ** 31 - 1);
      }
      // bf16: the upper half of each float32 (truncation; these are random values, rounding does not matter).
      const bytes = new Uint8Array(values.buffer);
      writeSync(
        fd,
        bf16
          ? Uint8Array.from({ length: values.length * 2 }, (_, j) => bytes[(j >> 1) * 4 + 2 + (j & 1)] as number)
          : bytes,
      );
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  for (const name of ['tokenizer.json', 'tokenizer_config.json'])
    copyFileSync(join(root, TOKENIZER_FIXTURE, name), join(dir, name));
  writeFileSync(join(dir, DONE), '');
  return dir;
}
