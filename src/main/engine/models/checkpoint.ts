// loadCheckpoint(folder): a Hugging Face Llama-family checkpoint folder -> config, weight index (checked against the
// config), tokenizer, generation_config, a header hash and size facts. Reads JSON and safetensors headers only, never
// the weight bytes, so it is fast for multi-GB models; the content identity (weights included) is the registry's.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { parseDecoderConfig, type DecoderConfig } from './config';
import {
  CHECKPOINT_FILES_HINT,
  describe,
  describeIssues,
  isNotFound,
  parseJsonBytes,
  readOptionalFile,
  readRequiredFile,
} from './files';
import { readTensorIndex, type TensorDtype, type TensorIndex } from './safetensors';
import { loadTokenizer, TOKENIZER_FILES, type ModelTokenizer } from './tokenizer';
import { decoderTensors, mapDecoderWeights, type DecoderWeights } from './weights';

const tokenIds = z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]).nullish();

/** generation_config.json: the decoding defaults the model's authors chose (all optional). */
export const GenerationConfig = z.looseObject({
  bos_token_id: z.number().int().nonnegative().nullish(),
  eos_token_id: tokenIds,
  pad_token_id: z.number().int().nonnegative().nullish(),
  do_sample: z.boolean().nullish(),
  temperature: z.number().nonnegative().nullish(),
  top_k: z.number().int().nonnegative().nullish(),
  top_p: z.number().nonnegative().nullish(),
  repetition_penalty: z.number().positive().nullish(),
  max_new_tokens: z.number().int().positive().nullish(),
  max_length: z.number().int().positive().nullish(),
});
export type GenerationConfig = z.infer<typeof GenerationConfig>;

export interface Checkpoint {
  /** Absolute path of the model folder. */
  folder: string;
  config: DecoderConfig;
  tensors: TensorIndex;
  weights: DecoderWeights;
  tokenizer: ModelTokenizer;
  generation_config: GenerationConfig | null;
  /**
   * sha256 (hex) over config.json, the tokenizer files and the safetensors headers and sizes; not the weight bytes, so
   * two fine-tunes of one base share it: a structure check, never an identity.
   */
  headerHash: string;
  /**
   * What sessions and loaded state are keyed by: the registry's content hash (whole files, weights included) when the
   * caller gives it, else the header hash with each weight file's device, inode, size and mtime (never shared by two
   * different files).
   */
  contentHash: string;
  sizes: {
    /** Parameters the decoder uses (a tied lm_head counted once). */
    parameters: number;
    /** Bytes of the safetensors files. */
    bytesOnDisk: number;
  };
  /** Parameters per dtype, e.g. { BF16: 1235814400 }. */
  dtypes: Partial<Record<TensorDtype, number>>;
  /** The one dtype of all decoder weights, or 'mixed'. */
  dtype: TensorDtype | 'mixed';
  /** max_position_embeddings. */
  contextLength: number;
  /**
   * Ids that end generation: generation_config, config.json and the tokenizer's eos_token together (instruct models
   * list their end-of-turn token in one place or another).
   */
  eosTokenIds: number[];
}

const HASH_VERSION = 'dovetail-model-v1';

export async function loadCheckpoint(
  modelFolder: string,
  options: { contentHash?: string | undefined } = {},
): Promise<Checkpoint> {
  const folder = resolve(modelFolder);
  await checkFolder(folder);

  const configPath = join(folder, 'config.json');
  const configBytes = await readRequiredFile(configPath);
  const config = parseDecoderConfig(parseJsonBytes(configBytes, configPath), configPath);
  const tensors = await readTensorIndex(folder);
  const weightFiles = tensors.files.map((f) => f.file).join(', ');
  const weights = mapDecoderWeights(config, tensors.tensors, weightFiles);
  const tokenizer = await loadTokenizer(folder);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw new UserError(
      `tokenizer.json has token ids up to ${tokenizer.vocabSize - 1}, but config.json vocab_size is ${config.vocab_size}.`,
      {
        where: join(folder, 'tokenizer.json'),
        hint: 'The tokenizer belongs to another model; copy the tokenizer files from the same checkpoint.',
        code: 'model-tokenizer',
      },
    );
  }
  const generationConfig = await readGenerationConfig(folder);

  const hash = createHash('sha256').update(`${HASH_VERSION}\n`);
  const addPart = (name: string, bytes: Uint8Array): void => {
    hash.update(`${name}\n${bytes.length}\n`).update(bytes);
  };
  addPart('config.json', configBytes);
  for (const name of TOKENIZER_FILES) {
    const bytes = await readOptionalFile(join(folder, name));
    if (bytes !== null) addPart(name, bytes);
  }
  for (const f of [...tensors.files].sort((a, b) => a.file.localeCompare(b.file))) {
    hash.update(`${f.file}\n${f.size}\n`);
    addPart('header', f.header);
  }

  const dtypes: Partial<Record<TensorDtype, number>> = {};
  let parameters = 0;
  for (const t of decoderTensors(weights)) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    parameters += n;
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + n;
  }
  const present = Object.keys(dtypes) as TensorDtype[];
  const eos = new Set<number>([
    ...asList(generationConfig?.eos_token_id),
    ...config.eos_token_id,
    ...(tokenizer.specialTokens.eos ? [tokenizer.specialTokens.eos.id] : []),
  ]);

  const headerHash = hash.digest('hex');
  return {
    folder,
    config,
    tensors,
    weights,
    tokenizer,
    generation_config: generationConfig,
    headerHash,
    contentHash:
      options.contentHash ??
      (await localIdentity(
        headerHash,
        folder,
        tensors.files.map((f) => f.file),
      )),
    sizes: { parameters, bytesOnDisk: tensors.files.reduce((a, f) => a + f.size, 0) },
    dtypes,
    dtype: present.length === 1 && present[0] ? present[0] : 'mixed',
    contextLength: config.max_position_embeddings,
    eosTokenIds: [...eos].sort((a, b) => a - b),
  };
}

async function localIdentity(headerHash: string, folder: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(`local\n${headerHash}\n`);
  for (const file of [...files].sort()) {
    const s = await stat(join(folder, file));
    hash.update(`${file}\n${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}\n`);
  }
  return `local-${hash.digest('hex')}`;
}

async function checkFolder(folder: string): Promise<void> {
  try {
    const s = await stat(folder);
    if (!s.isDirectory()) {
      throw new UserError('The model path is a file, not a folder.', {
        where: folder,
        hint: CHECKPOINT_FILES_HINT,
        code: 'model-folder',
      });
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const missing = isNotFound(error);
    throw new UserError(
      missing ? 'The model folder does not exist.' : `The model folder cannot be read: ${describe(error)}`,
      {
        where: folder,
        hint: missing
          ? 'Choose the folder that holds config.json and the safetensors files.'
          : 'Check the folder permissions.',
        code: 'model-folder',
        cause: error,
      },
    );
  }
}

async function readGenerationConfig(folder: string): Promise<GenerationConfig | null> {
  const path = join(folder, 'generation_config.json');
  const bytes = await readOptionalFile(path);
  if (bytes === null) return null;
  const parsed = GenerationConfig.safeParse(parseJsonBytes(bytes, path));
  if (!parsed.success) {
    throw new UserError(`generation_config.json: ${describeIssues(parsed.error)}`, {
      where: path,
      hint: 'Fix or delete generation_config.json (it only holds decoding defaults).',
      code: 'model-json',
    });
  }
  return parsed.data;
}

function asList(ids: number | number[] | null | undefined): number[] {
  return ids == null ? [] : Array.isArray(ids) ? ids : [ids];
}
