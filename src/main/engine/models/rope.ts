// RoPE inverse frequencies and cos/sin tables exactly as transformers computes them in float32 (modeling_rope_utils:
// the default, llama3, linear and longrope parameters; LlamaRotaryEmbedding.forward). Each step is rounded to
// float32 in torch's order, so the tables match PyTorch to about one ulp.
import type { DecoderConfig } from './config';

const f32 = Math.fround;

export type RopeSettings = Pick<DecoderConfig, 'head_dim' | 'rope_theta' | 'rope_scaling'>;

/**
 * inv_freq [D/2]: 1 / theta^(2i/D), rescaled as rope_scaling says (llama3, linear), or for longrope divided by
 * short_factor, or by long_factor when `long` (the graph picks between the two by the largest position).
 */
export function ropeInverseFrequencies(config: RopeSettings, long = false): Float32Array {
  const dim = config.head_dim;
  const base = f32(config.rope_theta);
  const scaling = config.rope_scaling;
  const ext = scaling?.rope_type === 'longrope' ? (long ? scaling.long_factor : scaling.short_factor) : null;
  const invFreq = new Float32Array(dim / 2);
  for (let i = 0; i < invFreq.length; i++) {
    // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)); "1.0 / t" is reciprocal(t) in float32.
    // longrope: 1.0 / (ext_factors * base ** (...)).
    const exponent = f32((2 * i) / dim);
    const power = f32(Math.pow(base, exponent));
    invFreq[i] = f32(1 / (ext ? f32(f32(ext[i] ?? 1) * power) : power));
  }
  if (scaling === null || scaling.rope_type === 'longrope') return invFreq;
  if (scaling.rope_type === 'linear') return invFreq.map((v) => f32(v / f32(scaling.factor)));

  const factor = f32(scaling.factor);
  const low = scaling.low_freq_factor;
  const high = scaling.high_freq_factor;
  const oldContext = scaling.original_max_position_embeddings;
  const lowFreqWavelen = f32(oldContext / low);
  const highFreqWavelen = f32(oldContext / high);
  const twoPi = f32(2 * Math.PI);
  const out = new Float32Array(invFreq.length);
  for (let i = 0; i < invFreq.length; i++) {
    const inv = invFreq[i] ?? 0;
    // "scalar / tensor" in torch is reciprocal(tensor) * scalar.
    const wavelen = f32(f32(1 / inv) * twoPi);
    let scaled = wavelen > lowFreqWavelen ? f32(inv / factor) : inv;
    const isMedium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
    if (isMedium) {
      const smooth = f32(f32(f32(f32(1 / wavelen) * f32(oldContext)) - f32(low)) / f32(high - low));
      scaled = f32(f32(f32(f32(1 - smooth) * scaled) / factor) + f32(smooth * scaled));
    }
    out[i] = scaled;
  }
  return out;
}

/**
 * cos and sin tables [P, D/2] for positions 0..P-1 (the half-width form ONNX RotaryEmbedding takes as cos_cache and
 * sin_cache; transformers concatenates the two halves to [P, D]). attention_scaling is 1 except for longrope, whose
 * attention_factor the graph multiplies in.
 */
export function ropeCosSin(invFreq: Float32Array, positions: number): { cos: Float32Array; sin: Float32Array } {
  const half = invFreq.length;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let p = 0; p < positions; p++) {
    for (let j = 0; j < half; j++) {
      const angle = f32(p * (invFreq[j] ?? 0));
      cos[p * half + j] = Math.cos(angle);
      sin[p * half + j] = Math.sin(angle);
    }
  }
  return { cos, sin };
}
