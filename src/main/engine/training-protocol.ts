// The engine's `train` method: a LoRA and/or soft prompt trained on rendered (prompt, target) pairs, with
// progress events, cancel at step boundaries, and resume from the checkpoint folder. Spread into protocol.ts.
import { z } from 'zod';
import { LORA_MODULES, MAX_LORA_RANK, MAX_VIRTUAL_TOKENS } from '../../shared/lora';

const positive = z.number().positive();
const steps = z.number().int().min(1);
const Pair = z.object({ prompt: z.string(), target: z.string() });
const Module = z.enum(LORA_MODULES);

export const TrainParams = z
  .object({
    modelFolder: z.string().min(1),
    lora: z
      .object({
        r: steps.max(MAX_LORA_RANK),
        lora_alpha: positive,
        target_modules: z.array(Module).min(1),
        use_rslora: z.boolean().default(false),
        /**
         * PEFT's lora_dropout on the LoRA input path while training (seeded per step; off at validation and inference).
         */
        lora_dropout: z.number().min(0).lt(1).default(0),
      })
      .strict()
      .nullable()
      .default(null),
    softPrompt: z
      .object({
        num_virtual_tokens: steps.max(MAX_VIRTUAL_TOKENS),
        prompt_tuning_init: z.enum(['RANDOM', 'TEXT']).default('RANDOM'),
        prompt_tuning_init_text: z.string().nullable().default(null),
        /** std of RANDOM init (PEFT's nn.Embedding default would be 1). */
        init_std: positive.default(0.02),
      })
      .strict()
      .nullable()
      .default(null),
    /** Rendered pairs, or a JSONL file of {"prompt", "target"} lines. */
    data: z.union([z.object({ pairs: z.array(Pair).min(1) }).strict(), z.object({ path: z.string().min(1) }).strict()]),
    validation: z
      .object({ pairs: z.array(Pair) })
      .strict()
      .nullable()
      .default(null),
    hyper: z
      .object({
        epochs: steps.default(3),
        maxSteps: steps.nullable().default(null),
        batchSize: steps.max(1024).default(8),
        gradientAccumulationSteps: steps.default(1),
        lr: positive.default(2e-4),
        schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
        warmupSteps: z.number().int().nonnegative().default(0),
        weightDecay: z.number().nonnegative().default(0.01),
        betas: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.9, 0.999]),
        eps: positive.default(1e-8),
        maxGradNorm: positive.nullable().default(1),
        /** Longest row (virtual tokens + prompt + target); default the model's context length. */
        maxLength: steps.nullable().default(null),
        /** false: refuse to start when a row is too long (naming them); true: leave those rows out and report them. */
        dropTooLong: z.boolean().default(false),
        evalEvery: steps.nullable().default(null),
        patience: steps.nullable().default(null),
        checkpointEvery: steps.nullable().default(null),
      })
      .strict()
      .prefault({}),
    /** Run folder: checkpoints (resume continues from the newest) and, at the end, adapter/ in the PEFT format. */
    checkpointFolder: z.string().min(1),
    seed: z.number().int().nonnegative().default(0),
  })
  .strict();

export const TrainProgress = z.object({
  step: z.number().int(),
  totalSteps: z.number().int(),
  epoch: z.number().int(),
  loss: z.number(),
  valLoss: z.number().nullable(),
  lr: z.number(),
  gradNorm: z.number(),
  tokensPerSecond: z.number(),
  etaSeconds: z.number(),
  peakRssBytes: z.number(),
});

export const TrainResult = z.object({
  steps: z.number().int(),
  losses: z.array(z.object({ step: z.number().int(), loss: z.number(), lr: z.number() })),
  valLosses: z.array(z.object({ step: z.number().int(), loss: z.number() })),
  stoppedEarly: z.boolean(),
  resumedFrom: z.number().int().nullable(),
  /** Rows left out for being longer than maxLength (dropTooLong). */
  tooLong: z.array(z.object({ row: z.number().int(), tokens: z.number().int() })),
  /**
   * The PEFT adapter folder written at the end: a LoRA or a lone soft prompt at its root; with both, the soft
   * prompt goes in prompt_tuning/.
   */
  adapterFolder: z.string(),
  peakRssBytes: z.number(),
});

const method = <P extends z.ZodType, R extends z.ZodType, G extends z.ZodType>(spec: {
  params: P;
  result: R;
  progress: G;
}): { params: P; result: R; progress: G } => spec;

export const trainingMethods = {
  /**
   * Trains a LoRA and/or soft prompt; progress per optimizer step; cancellable; a rerun resumes from the checkpoint.
   */
  train: method({ params: TrainParams, result: TrainResult, progress: TrainProgress }),
};
