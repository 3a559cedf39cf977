// The engine methods that switch a model's weight precision (prepareWeights) and measure what a precision costs
// (measureWeightQuality), entered in protocol.ts's table, and the weight settings a worker starts with.
import { z } from 'zod';
import { WeightFormat } from '../../shared/weight-format';

const count = z.number().int().nonnegative();

/** Where weight caches live and which format each model (content hash) runs at; models not named run as stored. */
export const WeightSettings = z.object({
  cacheFolder: z.string().min(1).nullable(),
  formats: z.record(z.string(), WeightFormat),
});
export type WeightSettings = z.infer<typeof WeightSettings>;

export const weightMethods = {
  /**
   * Sets the format one model runs at from now on and makes its weight cache when it has none (progress: source bytes
   * read); the model is loaded again on its next use. The host keeps the formats, so a restarted worker has them too.
   */
  prepareWeights: {
    params: z
      .object({
        folder: z.string().min(1),
        contentHash: z.string().min(1),
        format: WeightFormat,
        cacheFolder: z.string().min(1),
      })
      .strict(),
    result: z.object({ format: WeightFormat, bytes: count }),
    progress: z.object({ done: count, total: count }),
  },
};

/** Per document: summed negative log-likelihood in nats and the tokens it covers. */
const DocumentNll = z.object({ sum: z.number(), count: count });

export const weightQualityMethods = {
  /**
   * Scores the same documents (token counts capped at the model's context) under the stored weights and under
   * `format`'s copy (made first when missing), one full-sequence forward each: the caller pairs them per document.
   */
  measureWeightQuality: {
    params: z
      .object({
        folder: z.string().min(1),
        contentHash: z.string().min(1),
        format: z.enum(['q8', 'q4']),
        cacheFolder: z.string().min(1),
        texts: z.array(z.string()).min(2).max(1000),
      })
      .strict(),
    result: z.object({ stored: z.array(DocumentNll), quantized: z.array(DocumentNll) }),
    progress: z.object({ done: count, total: count }),
  },
};
