// Initial parameters, seeded: LoRA A kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)) and B = 0, as PEFT's
// init_lora_weights=True; the soft prompt from random N(0, std) rows or from a text's token embeddings (PEFT's TEXT).
import { UserError } from '../../../shared/errors';
import { loraFeatures, loraInputName, readTensorRowsF32, type DecoderModel, type LoraModule } from '../models';
import type { Param } from './params';
import { normal, trainingRng } from './rng';
import { TRAIN_NAMES } from './training-graph';

export interface LoraInit {
  r: number;
  targets: readonly LoraModule[];
}

export type SoftPromptInit =
  /**
   * N(0, std) rows. PEFT's RANDOM uses nn.Embedding's N(0, 1); a std near the embedding table's scale trains better.
   */
  | { kind: 'RANDOM'; numVirtualTokens: number; std: number }
  /** The text's token ids tiled or truncated to n, looked up in embed_tokens (PEFT's TEXT init). */
  | { kind: 'TEXT'; numVirtualTokens: number; tokenIds: readonly number[] };

/** lora.{i}.{module}.A [r, in] and .B [out, r] for every layer and target, in the training graph's order. */
export function initLora(model: DecoderModel, lora: LoraInit, seed: number): Param[] {
  const rng = trainingRng(seed, 1);
  const params: Param[] = [];
  for (let i = 0; i < model.config.num_hidden_layers; i++) {
    for (const m of lora.targets) {
      const f = loraFeatures(model.config, m);
      const bound = 1 / Math.sqrt(f.in);
      const A = Float32Array.from({ length: lora.r * f.in }, () => (2 * rng.nextFloat() - 1) * bound);
      params.push({ name: loraInputName(i, m, 'A'), dims: [lora.r, f.in], data: A });
      params.push({ name: loraInputName(i, m, 'B'), dims: [f.out, lora.r], data: new Float32Array(f.out * lora.r) });
    }
  }
  return params;
}

/** soft_prompt [n, C]. */
export async function initSoftPrompt(model: DecoderModel, init: SoftPromptInit, seed: number): Promise<Param> {
  const n = init.numVirtualTokens;
  const C = model.config.hidden_size;
  if (init.kind === 'RANDOM') {
    const rng = trainingRng(seed, 2);
    return {
      name: TRAIN_NAMES.softPrompt,
      dims: [n, C],
      data: Float32Array.from({ length: n * C }, () => normal(rng) * init.std),
    };
  }
  if (init.tokenIds.length === 0) {
    throw new UserError('The soft prompt init text has no tokens', {
      code: 'train-soft-prompt-init',
      hint: 'Give a non-empty prompt_tuning_init_text, or use RANDOM init.',
    });
  }
  const ids = Array.from({ length: n }, (_, i) => init.tokenIds[i % init.tokenIds.length] as number);
  const rows = await readTensorRowsF32(model.weights.embed_tokens, ids); // [n, C]
  return { name: TRAIN_NAMES.softPrompt, dims: [n, C], data: Float32Array.from(rows) };
}
