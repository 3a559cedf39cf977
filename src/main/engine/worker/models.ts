// The worker's model methods: inspectModel loads a checkpoint folder (config, tokenizer, safetensors headers), scans
// the weights for NaN/Inf off the main thread and reports the facts the Models screen and the registry keep.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelConfigFacts } from '../../../shared/contract';
import { decoderTensors, loadCheckpoint, type Checkpoint, type DecoderConfig } from '../models';
import { assertFinite } from '../models/finite-check';
import { TOKENIZER_FILES } from '../models/tokenizer';
import type { EngineMethods, ModelInspection } from '../protocol';
import type { HandlerTable } from './handler';

export const modelHandlers: Pick<HandlerTable<EngineMethods>, 'inspectModel'> = {
  inspectModel: async ({ folder }, ctx) => {
    const checkpoint = await loadCheckpoint(folder);
    // Registration reads every weight once (NaN/Inf refused by file and tensor; cancellable between chunks); loading
    // for generation does not.
    await assertFinite(decoderTensors(checkpoint.weights), 'model', () => ctx.checkpoint());
    return describeCheckpoint(checkpoint);
  },
};

/** Small files a checkpoint may read besides its weights; those present are part of its file list. */
const SMALL_FILES = ['config.json', 'generation_config.json', ...TOKENIZER_FILES, 'model.safetensors.index.json'];

export async function describeCheckpoint(c: Checkpoint): Promise<ModelInspection> {
  const { config, tokenizer } = c;
  const small = await Promise.all(
    SMALL_FILES.map(async (name) => ({ name, size: await sizeOf(join(c.folder, name)) })),
  );
  const files = [
    ...small.filter((f): f is { name: string; size: number } => f.size !== null),
    ...c.tensors.files.map((f) => ({ name: f.file, size: f.size })),
  ];
  const bias = config.attention_bias;
  return {
    folder: c.folder,
    headerHash: c.headerHash,
    parameters: c.sizes.parameters,
    bytesOnDisk: c.sizes.bytesOnDisk,
    dtype: c.dtype,
    contextLength: c.contextLength,
    config: {
      architecture: config.architecture,
      model_type: config.model_type,
      vocab_size: config.vocab_size,
      hidden_size: config.hidden_size,
      intermediate_size: config.intermediate_size,
      num_hidden_layers: config.num_hidden_layers,
      num_attention_heads: config.num_attention_heads,
      num_key_value_heads: config.num_key_value_heads,
      head_dim: config.head_dim,
      rms_norm_eps: config.rms_norm_eps,
      rope_theta: config.rope_theta,
      rope_scaling: ropeScalingFacts(config),
      max_position_embeddings: config.max_position_embeddings,
      tie_word_embeddings: config.tie_word_embeddings,
      attention_bias: bias.q_proj || bias.k_proj || bias.v_proj || bias.o_proj,
      sliding_window: config.sliding_window,
      torch_dtype: config.torch_dtype,
    },
    tokenizer: {
      vocabSize: tokenizer.vocabSize,
      specialTokens: tokenizer.specialTokens,
      eosTokenIds: c.eosTokenIds,
      hasChatTemplate: tokenizer.chatTemplate !== null,
      modelMaxLength: tokenizer.modelMaxLength,
    },
    files,
  };
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null; // absent: optional files only; required ones were read by loadCheckpoint just now
  }
}

/** The scaling as the contract lists it (longrope's per-dimension factors stay in the engine). */
function ropeScalingFacts(config: DecoderConfig): ModelConfigFacts['rope_scaling'] {
  const s = config.rope_scaling;
  if (s === null) return null;
  if (s.rope_type === 'linear')
    return { rope_type: 'linear', factor: s.factor, original_max_position_embeddings: null };
  if (s.rope_type === 'longrope')
    return {
      rope_type: 'longrope',
      factor: s.factor,
      original_max_position_embeddings: s.original_max_position_embeddings,
    };
  return s;
}
