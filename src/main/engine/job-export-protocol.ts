// The engine's `prepareJobExport` method: the data, plan and initial weights of a training job as files, so that a
// job run by transformers + PEFT elsewhere trains on exactly the token ids, batches and starting point Dovetail
// would use. Spread into protocol.ts.
import { z } from 'zod';
import { TrainParams } from './training-protocol';

const count = z.number().int().nonnegative();

export const PrepareJobExportParams = TrainParams.omit({ checkpointFolder: true })
  .extend({
    /** The folder to create (it must not exist): data/, init/ and plan. */
    folder: z.string().min(1),
    /**
     * The folder whose tokenizer the job was rendered with (the job's model). When modelFolder is another (larger)
     * model, its tokenizer must give the same ids for every row, or the export is refused.
     */
    tokenizerFolder: z.string().min(1),
    /** Compute the loss of the first optimizer step at the initial weights (builds the training sessions). */
    referenceLoss: z.boolean(),
  })
  .strict();

export const PrepareJobExportResult = z.object({
  /** Paths written, relative to folder. */
  files: z.array(z.string()),
  rows: count,
  validationRows: count,
  tooLong: z.array(z.object({ row: count, tokens: count })),
  tokens: count,
  targetTokens: count,
  totalSteps: count,
  stepsPerEpoch: count,
  maxLength: count,
  numVirtualTokens: count,
  padTokenId: count,
  eosTokenId: count.nullable(),
  /** Mean token loss of step 0's micro-batches at the initial weights (null: not asked). */
  step0Loss: z.number().nullable(),
  model: z.object({ modelType: z.string(), hiddenSize: count, layers: count, vocabSize: count }),
});

export const jobExportMethods = {
  prepareJobExport: { params: PrepareJobExportParams, result: PrepareJobExportResult, progress: z.never() },
};
