// The engine methods that serve generation (loadModel, unloadModel, countTokens, generate), in protocol.ts's table.
// Prompts are chats, raw text or token ids; a specialization (LoRA A/B, soft prompt) arrives as float arrays in the
// shapes ModelRunner feeds (models/lora.ts). A row's result is the contract's GeneratedRow.
import { z } from 'zod';
import { FinishReason, GeneratedRow } from '../../shared/contract/generation';
import { DecodingOverrides, DecodingSettings } from '../../shared/decoding-settings';
import { LORA_MODULES } from '../../shared/lora';
import { WeightFormat } from '../../shared/weight-format';

const count = z.number().int().nonnegative();
const tokenId = z.number().int().nonnegative();

/**
 * A registered checkpoint folder with the registry's content hash (weights included): what loaded state is keyed by.
 * `weightFormat` runs this request at that precision instead of the one the model's settings name (comparing
 * formats on the same rows); its quantized copy is made on first use.
 */
export const ModelRef = z
  .object({
    folder: z.string().min(1),
    contentHash: z.string().min(1).optional(),
    weightFormat: WeightFormat.optional(),
  })
  .strict();
export type ModelRef = z.infer<typeof ModelRef>;

export const GenerationPrompt = z.discriminatedUnion('mode', [
  /** Rendered with the model's chat template (add_generation_prompt), encoded without special tokens. */
  z
    .object({
      mode: z.literal('chat'),
      messages: z.array(z.object({ role: z.string().min(1), content: z.string() })).min(1),
    })
    .strict(),
  /** Completion of the text as-is, encoded with the tokenizer's special tokens (as the HF pipeline does). */
  z.object({ mode: z.literal('raw'), text: z.string() }).strict(),
  /** Prompt token ids, for callers that tokenized already (evaluation, tests). */
  z.object({ mode: z.literal('ids'), ids: z.array(tokenId).min(1) }).strict(),
]);
export type GenerationPrompt = z.infer<typeof GenerationPrompt>;

/** A float32 tensor as it crosses the process boundary (structured clone keeps a Float32Array). */
export const FloatTensor = z.object({
  dims: z.array(count).readonly(),
  data: z.union([
    z.custom<Float32Array>((v) => v instanceof Float32Array, 'must be a Float32Array'),
    z.array(z.number()),
  ]),
});
export type FloatTensor = z.infer<typeof FloatTensor>;

/** LoRA weights per layer [L] and module: A [r, in], B [out, r] (lora_A.weight / lora_B.weight), and the scaling. */
export const AdapterTensors = z.object({
  scaling: z.number(),
  layers: z.array(z.partialRecord(z.enum(LORA_MODULES), z.object({ A: FloatTensor, B: FloatTensor }))),
});
export type AdapterTensors = z.infer<typeof AdapterTensors>;

/** Which parts of an adapter folder a generation uses (worker/loaded-adapters.ts). */
export const AdapterFolderRef = z
  .object({
    folder: z.string().min(1),
    lora: z.boolean(),
    softPrompt: z.boolean(),
    /** A folder whose lineage names another base model is refused. */
    baseContentHash: z.string().optional(),
    /** The registry's content hash of the adapter (its files, weights included): what the worker caches its read by. */
    contentHash: z.string().optional(),
  })
  .strict();
export type AdapterFolderRef = z.infer<typeof AdapterFolderRef>;

/** One row's own decoding overrides and adapter folders (generate's `rows`). */
export const GenerationRow = z
  .object({
    settings: DecodingOverrides.default({}),
    adapterFolders: z.array(AdapterFolderRef).max(2).default([]),
  })
  .strict();
export type GenerationRow = z.infer<typeof GenerationRow>;

/** One streamed token of one row (generate/row.ts TokenEvent). */
export const TokenEvent = z.object({
  row: count,
  tokenId: tokenId.nullable(),
  delta: z.string(),
  generatedTokens: count,
  finishReason: FinishReason.nullable(),
});

export const LoadedModelInfo = z.object({
  contentHash: z.string(),
  /** The model's generation_config.json mapped onto DecodingSettings, every default filled in. */
  defaults: DecodingSettings,
  hasChatTemplate: z.boolean(),
  contextLength: count,
  /** Milliseconds to load the checkpoint and create its session; 0 when it was cached. */
  loadMs: z.number(),
});

export const generationMethods = {
  /** Loads a checkpoint and its inference session into the worker's cache (LRU of 2, see worker/loaded-models.ts). */
  loadModel: {
    params: ModelRef,
    result: LoadedModelInfo,
    progress: z.never(),
  },
  /** Releases one model's sessions (or every model's when no folder is given); answers how many were loaded. */
  unloadModel: {
    params: z.object({ folder: z.string().min(1).optional() }).strict(),
    result: z.object({ unloaded: count }),
    progress: z.never(),
  },
  /** Prompt lengths in tokens as generate would encode them (chat template, special tokens), without generating. */
  countTokens: {
    params: z.object({ model: ModelRef, prompts: z.array(GenerationPrompt).min(1).max(1000) }).strict(),
    result: z.object({ counts: z.array(count) }),
    progress: z.never(),
  },
  /**
   * Generates for a batch of prompts; streams a TokenEvent per token (unless stream is false). Cancelling ends every
   * unfinished row with 'cancelled' and answers with the partial results.
   */
  generate: {
    params: z
      .object({
        model: ModelRef,
        prompts: z.array(GenerationPrompt).min(1).max(256),
        /**
         * Overrides of the model's own defaults (generation_config.json); validated in the worker to name the field.
         */
        settings: DecodingOverrides.default({}),
        /** [B] per-row seeds (e.g. several samples of one prompt); default settings.seed for every row. */
        seeds: z.array(z.number().int().min(0).max(0xffff_ffff)).optional(),
        adapter: AdapterTensors.nullable().default(null),
        /** [n, C] virtual-token embeddings (PEFT prompt_embeddings). */
        softPrompt: FloatTensor.nullable().default(null),
        /**
         * Adapter folders (PEFT + Dovetail layout) read by the worker, instead of `adapter` / `softPrompt` tensors:
         * one giving the LoRA and one the soft prompt, or one giving both.
         */
        adapterFolders: z.array(AdapterFolderRef).max(2).default([]),
        /**
         * [B] per-row decoding and adapters, for a batch whose rows differ (the serving endpoint's): row b decodes
         * with the model's defaults under `settings` under its own `settings`, and applies its own adapter folders in
         * place of `adapterFolders` (none: the base model). Not with the `adapter` / `softPrompt` tensors.
         */
        rows: z.array(GenerationRow).min(1).max(256).optional(),
        stream: z.boolean().default(true),
      })
      .strict(),
    result: z.object({
      rows: z.array(GeneratedRow),
      /** The settings used: the model's defaults, the overrides on top (with `rows`, each row's own go further). */
      settings: DecodingSettings,
      contentHash: z.string(),
      loadMs: z.number(),
      /** The worker process's largest resident set size seen during this call (sampled at every step), in bytes. */
      peakRssBytes: count.optional(),
    }),
    progress: TokenEvent,
  },
};
