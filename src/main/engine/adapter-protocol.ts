// Engine methods around training that the adapters service needs besides `train`: rendering the prompts through the
// model's chat template and measuring rows in tokens (before a run), and checking an adapter folder against a model.
import { z } from 'zod';
import { LORA_MODULES, type LoraModule } from '../../shared/lora';

const count = z.number().int().nonnegative();
const Pair = z.object({ prompt: z.string(), target: z.string() });

export const PrepareTrainingParams = z
  .object({
    modelFolder: z.string().min(1),
    pairs: z.array(Pair),
    validation: z.array(Pair),
    /** Wrap each prompt as a user turn in the model's chat template (with the generation prompt). */
    chat: z.boolean(),
    /** null: the model's context length. */
    maxLength: z.number().int().min(1).nullable(),
    numVirtualTokens: count,
  })
  .strict();

export const PrepareTrainingResult = z.object({
  pairs: z.array(Pair),
  validation: z.array(Pair),
  rows: count,
  tokens: count,
  targetTokens: count,
  maxRowTokens: count,
  maxLength: count,
  tooLong: z.array(z.object({ row: count, tokens: count })),
  contentHash: z.string(),
  model: z.object({
    parameters: count,
    hiddenSize: count,
    layers: count,
    vocabSize: count,
    intermediateSize: count,
    bytesOnDisk: count,
    /**
     * Per target module, LoRA parameters per unit of rank over all layers (engine models/lora.ts
     * loraParametersPerRank).
     */
    loraParametersPerRank: z.partialRecord(z.enum(LORA_MODULES), count) as z.ZodType<
      Partial<Record<LoraModule, number>>
    >,
  }),
});

export const InspectAdapterResult = z.object({
  method: z.enum(['lora', 'soft-prompt', 'both']),
  lora: z.object({ r: count, alpha: z.number(), targets: z.array(z.string()), rslora: z.boolean() }).nullable(),
  softPrompt: z.object({ n: count }).nullable(),
  hasLineage: z.boolean(),
  check: z.object({
    active: z.boolean(),
    finite: z.boolean(),
    maxAbsDelta: z.number(),
    argmaxChanged: count,
    positions: count,
    threshold: z.number(),
  }),
  vllm: z.object({ compatible: z.boolean(), problems: z.array(z.object({ rule: z.string(), message: z.string() })) }),
});

/** Copies a PEFT folder's files (root and prompt_tuning/) to `to` atomically, with a new dovetail_adapter.json. */
export const SaveAdapterParams = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    /** train/lineage.ts LineageInput (checked by lineageJson). */
    lineage: z.record(z.string(), z.unknown()),
  })
  .strict();

export const adapterMethods = {
  /** Renders (chat template) and tokenizes training pairs; reports over-long rows. No ORT session. */
  prepareTrainingData: { params: PrepareTrainingParams, result: PrepareTrainingResult, progress: z.never() },
  /** readAdapterFolder against the model (lineage checked when present), the adapter-active check, the vLLM check. */
  inspectAdapter: {
    params: z
      .object({
        modelFolder: z.string().min(1),
        adapterFolder: z.string().min(1),
        baseContentHash: z.string().optional(),
      })
      .strict(),
    result: InspectAdapterResult,
    progress: z.never(),
  },
  saveAdapter: { params: SaveAdapterParams, result: z.object({ files: z.array(z.string()) }), progress: z.never() },
};
