// Writes a Llama or Qwen2 checkpoint folder as a GGUF file (v3) for llama.cpp, the benchmarks' same-run reference:
// f32, f16, q8_0 or q4_0 weights (norms and Qwen2's q/k/v biases stay f32, as llama.cpp's converter keeps them), the
// model's byte-level BPE vocabulary as tokenizer.ggml.model "gpt2" (tokens, types, merges) padded to the embedding
// rows; Llama's q/k rows permuted from Hugging Face's rotate_half RoPE layout to llama.cpp's (convert_hf_to_gguf's
// permute; llama.cpp runs Qwen2 with the rotate_half layout, so its rows stay as they are).
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, readTensorF32, type Checkpoint, type TensorInfo } from '../../src/main/engine/models';

export type GgufType = 'f32' | 'f16' | 'q8_0' | 'q4_0';

/** ggml_type ids, and llama.cpp's general.file_type (LLAMA_FTYPE_ALL_F32, MOSTLY_F16, MOSTLY_Q8_0, MOSTLY_Q4_0). */
const GGML_TYPE: Record<GgufType, number> = { f32: 0, f16: 1, q4_0: 2, q8_0: 8 };
const FILE_TYPE: Record<GgufType, number> = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 };
const ALIGNMENT = 32;
const QK = 32; // values per q8_0 / q4_0 block

/** GGUF metadata value types. */
const T = { u32: 4, i32: 5, f32: 6, string: 8, array: 9 } as const;

/** Little-endian byte builder for the header. */
class Bytes {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): this {
    this.chunks.push(b);
    this.length += b.length;
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return this.push(b);
  }
  i32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    return this.push(b);
  }
  u64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return this.push(b);
  }
  f32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    return this.push(b);
  }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u64(b.length).push(b);
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type Meta = { key: string } & (
  | { type: 'u32' | 'i32' | 'f32'; value: number }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'i32s'; value: number[] }
);

function writeMeta(out: Bytes, m: Meta): void {
  out.str(m.key);
  if (m.type === 'u32') out.u32(T.u32).u32(m.value);
  else if (m.type === 'i32') out.u32(T.i32).i32(m.value);
  else if (m.type === 'f32') out.u32(T.f32).f32(m.value);
  else if (m.type === 'string') out.u32(T.string).str(m.value);
  else if (m.type === 'strings') {
    out.u32(T.array).u32(T.string).u64(m.value.length);
    for (const s of m.value) out.str(s);
  } else if (m.type === 'i32s') {
    out.u32(T.array).u32(T.i32).u64(m.value.length);
    for (const v of m.value) out.i32(v);
  }
}

/** IEEE binary16 bits of a float, round to nearest even (what numpy's astype(float16) gives). */
export function f16Bits(value: number): number {
  const f = new Float32Array([value]);
  const x = new Uint32Array(f.buffer)[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry into the exponent is still right
  return sign | half;
}

/** ggml's quantize_row_q8_0_ref: per 32 values an f16 d = max|x| / 127 and int8 round(x / d). */
export function quantizeQ8_0(x: Float32Array): Buffer {
  const blocks = x.length / QK;
  const out = Buffer.alloc(blocks * 34);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[b * QK + j] as number));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    out.writeUInt16LE(f16Bits(d), b * 34);
    for (let j = 0; j < QK; j++) out.writeInt8(Math.round((x[b * QK + j] as number) * id), b * 34 + 2 + j);
  }
  return out;
}

/** ggml's quantize_row_q4_0_ref: d = (signed max-magnitude value) / -8; byte j holds values j and j + 16. */
export function quantizeQ4_0(x: Float32Array): Buffer {
  const blocks = x.length / QK;
  const out = Buffer.alloc(blocks * 18);
  for (let b = 0; b < blocks; b++) {
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = x[b * QK + j] as number;
      if (Math.abs(v) > Math.abs(max)) max = v;
    }
    const d = max / -8;
    const id = d ? 1 / d : 0;
    out.writeUInt16LE(f16Bits(d), b * 18);
    for (let j = 0; j < QK / 2; j++) {
      const lo = Math.min(15, Math.trunc((x[b * QK + j] as number) * id + 8.5));
      const hi = Math.min(15, Math.trunc((x[b * QK + QK / 2 + j] as number) * id + 8.5));
      out[b * 18 + 2 + j] = lo | (hi << 4);
    }
  }
  return out;
}

function encode(values: Float32Array, type: GgufType): Buffer {
  if (type === 'f32') return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (type === 'f16') {
    const out = Buffer.alloc(values.length * 2);
    values.forEach((v, i) => out.writeUInt16LE(f16Bits(v), i * 2));
    return out;
  }
  return type === 'q8_0' ? quantizeQ8_0(values) : quantizeQ4_0(values);
}

/** convert_hf_to_gguf's LlamaModel.permute: rows of each head from [2, D/2] halves to interleaved pairs. */
function permuteRows(w: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const out = new Float32Array(w.length);
  const half = rows / heads / 2;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < half; j++) {
        const from = h * 2 * half + i * half + j;
        const to = h * 2 * half + j * 2 + i;
        out.set(w.subarray(from * cols, (from + 1) * cols), to * cols);
      }
    }
  }
  return out;
}

/** The checkpoint's tokenizer.json as GGUF tokens, types (1 normal, 3 control, 5 unused padding) and merges. */
function vocabulary(folder: string, rows: number): { tokens: string[]; types: number[]; merges: string[] } {
  const json = JSON.parse(readFileSync(join(folder, 'tokenizer.json'), 'utf8')) as {
    model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[] };
    added_tokens?: { id: number; content: string; special: boolean }[];
  };
  if (json.model.type !== 'BPE')
    throw new Error(`tokenizer.json is ${json.model.type}, the GGUF writer handles byte-level BPE only`);
  const tokens: string[] = [];
  const types: number[] = [];
  for (const [token, id] of Object.entries(json.model.vocab)) [tokens[id], types[id]] = [token, 1];
  for (const t of json.added_tokens ?? []) [tokens[t.id], types[t.id]] = [t.content, t.special ? 3 : 1];
  if (tokens.length > rows) throw new Error(`the tokenizer has ${tokens.length} tokens, the embedding ${rows} rows`);
  for (let i = 0; i < rows; i++) if (tokens[i] === undefined) [tokens[i], types[i]] = [`[PAD${i}]`, 5];
  const merges = json.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  return { tokens, types, merges };
}

interface Entry {
  name: string;
  /** ggml ne: innermost first ([in, out] for an nn.Linear weight [out, in]). */
  ne: number[];
  type: GgufType;
  info: TensorInfo;
  /** Rows permuted for llama.cpp's RoPE: heads of a q or k projection. */
  permuteHeads?: number;
}

function entries(c: Checkpoint, type: GgufType, arch: GgufArch): Entry[] {
  const { config, weights } = c;
  const permute = arch === 'llama';
  const matrix = (name: string, info: TensorInfo, permuteHeads?: number): Entry => ({
    name,
    ne: [info.shape[1] as number, info.shape[0] as number],
    type,
    info,
    ...(permuteHeads ? { permuteHeads } : {}),
  });
  const vector = (name: string, info: TensorInfo): Entry => ({
    name,
    ne: [info.shape[0] as number],
    type: 'f32',
    info,
  });
  const list: Entry[] = [matrix('token_embd.weight', weights.embed_tokens)];
  weights.layers.forEach((l, i) => {
    const p = `blk.${i}`;
    const a = l.self_attn;
    const m = l.mlp;
    if (!a.q_proj || !a.k_proj || !a.v_proj || !a.o_proj || !m.gate_proj || !m.up_proj || !m.down_proj)
      throw new Error('the GGUF writer takes Llama-family checkpoints (separate projections) only');
    list.push(
      vector(`${p}.attn_norm.weight`, l.input_layernorm),
      matrix(`${p}.attn_q.weight`, a.q_proj.weight, permute ? config.num_attention_heads : undefined),
      matrix(`${p}.attn_k.weight`, a.k_proj.weight, permute ? config.num_key_value_heads : undefined),
      matrix(`${p}.attn_v.weight`, a.v_proj.weight),
      ...(['q', 'k', 'v'] as const).flatMap((x) => {
        const bias = a[`${x}_proj`]?.bias;
        return bias ? [vector(`${p}.attn_${x}.bias`, bias)] : [];
      }),
      matrix(`${p}.attn_output.weight`, a.o_proj.weight),
      vector(`${p}.ffn_norm.weight`, l.post_attention_layernorm),
      matrix(`${p}.ffn_gate.weight`, m.gate_proj.weight),
      matrix(`${p}.ffn_up.weight`, m.up_proj.weight),
      matrix(`${p}.ffn_down.weight`, m.down_proj.weight),
    );
  });
  list.push(vector('output_norm.weight', weights.norm));
  if (!weights.tied) list.push(matrix('output.weight', weights.lm_head)); // tied: llama.cpp reads token_embd
  return list;
}

function byteSize(e: Entry): number {
  const n = e.ne.reduce((a, b) => a * b, 1);
  return e.type === 'f32' ? n * 4 : e.type === 'f16' ? n * 2 : e.type === 'q8_0' ? (n / QK) * 34 : (n / QK) * 18;
}

/** llama.cpp's architecture names: Llama without biases, Qwen2 with its q/k/v biases. */
type GgufArch = 'llama' | 'qwen2';

function archOf(c: Checkpoint): GgufArch {
  const { config } = c;
  const b = config.attention_bias;
  if (config.architecture === 'LlamaForCausalLM' && !config.mlp_bias && !Object.values(b).some(Boolean)) return 'llama';
  if (config.architecture === 'Qwen2ForCausalLM' && !config.mlp_bias && !b.o_proj) return 'qwen2';
  throw new Error(
    'the GGUF writer handles bias-free LlamaForCausalLM and Qwen2ForCausalLM (q/k/v biases only) checkpoints',
  );
}

/**
 * Writes `<checkpoint folder>` as a GGUF of `type` to `path` (a bias-free Llama as llama.cpp's llama arch reads it,
 * or a Qwen2 as its qwen2 arch does).
 */
export async function writeGguf(
  folder: string,
  type: GgufType,
  path: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const c = await loadCheckpoint(folder);
  const { config } = c;
  const arch = archOf(c);
  const vocab = vocabulary(folder, config.vocab_size);
  const list = entries(c, type, arch);
  const meta: Meta[] = [
    { key: 'general.architecture', type: 'string', value: arch },
    { key: 'general.name', type: 'string', value: 'dovetail-bench' },
    { key: 'general.alignment', type: 'u32', value: ALIGNMENT },
    { key: 'general.file_type', type: 'u32', value: FILE_TYPE[type] },
    { key: `${arch}.context_length`, type: 'u32', value: config.max_position_embeddings },
    { key: `${arch}.embedding_length`, type: 'u32', value: config.hidden_size },
    { key: `${arch}.block_count`, type: 'u32', value: config.num_hidden_layers },
    { key: `${arch}.feed_forward_length`, type: 'u32', value: config.intermediate_size },
    { key: `${arch}.attention.head_count`, type: 'u32', value: config.num_attention_heads },
    { key: `${arch}.attention.head_count_kv`, type: 'u32', value: config.num_key_value_heads },
    { key: `${arch}.rope.dimension_count`, type: 'u32', value: config.head_dim },
    { key: `${arch}.rope.freq_base`, type: 'f32', value: config.rope_theta },
    { key: `${arch}.attention.layer_norm_rms_epsilon`, type: 'f32', value: config.rms_norm_eps },
    { key: `${arch}.vocab_size`, type: 'u32', value: config.vocab_size },
    { key: 'tokenizer.ggml.model', type: 'string', value: 'gpt2' },
    { key: 'tokenizer.ggml.pre', type: 'string', value: 'default' },
    { key: 'tokenizer.ggml.tokens', type: 'strings', value: vocab.tokens },
    { key: 'tokenizer.ggml.token_type', type: 'i32s', value: vocab.types },
    { key: 'tokenizer.ggml.merges', type: 'strings', value: vocab.merges },
    ...(c.tokenizer.specialTokens.bos
      ? [{ key: 'tokenizer.ggml.bos_token_id', type: 'u32' as const, value: c.tokenizer.specialTokens.bos.id }]
      : []),
    ...(c.eosTokenIds[0] !== undefined
      ? [{ key: 'tokenizer.ggml.eos_token_id', type: 'u32' as const, value: c.eosTokenIds[0] }]
      : []),
  ];
  const header = new Bytes().push(Buffer.from('GGUF', 'ascii')).u32(3).u64(list.length).u64(meta.length);
  for (const m of meta) writeMeta(header, m);
  let offset = 0;
  for (const e of list) {
    header.str(e.name).u32(e.ne.length);
    for (const d of e.ne) header.u64(d);
    header.u32(GGML_TYPE[e.type]).u64(offset);
    offset += Math.ceil(byteSize(e) / ALIGNMENT) * ALIGNMENT;
  }
  const head = header.concat();
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, Buffer.alloc((ALIGNMENT - (head.length % ALIGNMENT)) % ALIGNMENT));
    for (const [i, e] of list.entries()) {
      let values = await readTensorF32(e.info);
      if (e.permuteHeads)
        values = permuteRows(values, e.info.shape[0] as number, e.info.shape[1] as number, e.permuteHeads);
      const bytes = encode(values, e.type);
      writeSync(fd, bytes);
      writeSync(fd, Buffer.alloc((ALIGNMENT - (bytes.length % ALIGNMENT)) % ALIGNMENT));
      if (i % 50 === 0) log(`  gguf ${type}: ${i}/${list.length} tensors`);
    }
  } finally {
    closeSync(fd);
  }
}
