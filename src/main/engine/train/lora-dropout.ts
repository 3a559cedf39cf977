// LoRA dropout keep masks (PEFT's lora_dropout on the LoRA input path), fed to the training graph per run. Each mask
// depends only on (seed, optimizer step, micro-batch, layer, module), so a resumed run draws exactly the masks of an
// uninterrupted one: PCG32 (rng.ts) gives each mask two 32-bit keys, and each element is a 32-bit integer hash of its
// index under them (counter-based, so millions of elements per step cost no BigInt work and no saved state).
import { tensor, type Tensor } from '../graph';
import { LORA_DROPOUT_SCALE, loraDropoutMaskName, loraFeatures, type DecoderConfig, type LoraModule } from '../models';
import { Pcg32 } from '../generate/random';

/** Which masks a run draws: the optimizer step (0-based, before the update) and the micro-batch within it. */
export interface DropoutKey {
  step: number;
  microBatch: number;
}

export interface LoraDropoutOptions {
  config: DecoderConfig;
  targets: readonly LoraModule[];
  /** PEFT's lora_dropout in (0, 1). */
  p: number;
  seed: number;
}

/** PCG32 stream selector of dropout masks ("lora-drp" in ASCII), apart from the shuffling and init streams. */
const DROPOUT_STREAM = 0x6c6f_7261_2d64_7270n;

/**
 * Keep masks bool [B, S, in] for every layer and target module (true = kept, with probability 1 - p), and the scale.
 */
export function loraDropoutMasks(o: LoraDropoutOptions, key: DropoutKey, B: number, S: number): Record<string, Tensor> {
  const rng = new Pcg32(
    (BigInt(o.seed >>> 0) << 32n) | BigInt(key.step >>> 0),
    DROPOUT_STREAM + BigInt(key.microBatch >>> 0),
  );
  const threshold = Math.min(Math.round(o.p * 2 ** 32), 2 ** 32 - 1);
  const masks: Record<string, Tensor> = { [LORA_DROPOUT_SCALE]: tensor('float32', [], Float32Array.of(1 / (1 - o.p))) };
  for (let i = 0; i < o.config.num_hidden_layers; i++) {
    for (const module of o.targets) {
      const n = B * S * loraFeatures(o.config, module).in;
      const k1 = rng.nextUint32();
      const k2 = rng.nextUint32();
      const keep = new Uint8Array(n);
      for (let j = 0; j < n; j++) keep[j] = hash32(hash32((j ^ k1) >>> 0) ^ k2) >= threshold ? 1 : 0;
      masks[loraDropoutMaskName(i, module)] = tensor('bool', [B, S, loraFeatures(o.config, module).in], keep);
    }
  }
  return masks;
}

/** All-true masks and scale 1: no dropout (validation, nn.Dropout in eval mode). */
export function loraKeepAll(
  config: DecoderConfig,
  targets: readonly LoraModule[],
  B: number,
  S: number,
): Record<string, Tensor> {
  const masks: Record<string, Tensor> = { [LORA_DROPOUT_SCALE]: tensor('float32', [], Float32Array.of(1)) };
  const shared = new Map<number, Tensor<'bool'>>();
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const module of targets) {
      const inF = loraFeatures(config, module).in;
      let t = shared.get(inF);
      if (!t) shared.set(inF, (t = tensor('bool', [B, S, inF], new Uint8Array(B * S * inF).fill(1))));
      masks[loraDropoutMaskName(i, module)] = t;
    }
  }
  return masks;
}

/** Wellons' lowbias32 integer hash: a bijection of [0, 2^32) with good avalanche. */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
