// A bundled dataset's recipe as the training wizard and "Compare with the base model" read it: the training settings
// known to work on it and the metrics that judge it (first = main), made from `demo-recipes.ts`, the one place they
// live (which `npm run demo` trains with), so a retuned recipe reaches all three.
import { z } from 'zod';
import { HyperParameters, LoraSettings, SoftPromptSettings, TrainingMethod } from './contract/adapters';
import { MetricSpec } from './metrics';

export const DatasetRecipe = z
  .object({
    /** What the recipe was measured to give (shown as is, plain words). */
    note: z.string().max(400).default(''),
    method: TrainingMethod,
    lora: LoraSettings.prefault({}),
    softPrompt: SoftPromptSettings.prefault({}),
    hyper: HyperParameters.prefault({}),
    validationRows: z.number().int().nonnegative().max(10_000).default(32),
    /** The saved template (by name) the adapter is trained and served with. */
    template: z.string().min(1).nullable().default(null),
    metrics: z.array(MetricSpec).min(1).max(16),
    /** Greedy decoding's budget of new tokens that suits the dataset's references (null: no advice). */
    maxNewTokens: z.number().int().min(1).max(4096).nullable().default(null),
  })
  .strict();
export type DatasetRecipe = z.infer<typeof DatasetRecipe>;

/** A bundled dataset's recipe as the API gives it: keyed by the dataset's name in the workspace. */
export const NamedRecipe = z.object({ dataset: z.string(), recipe: DatasetRecipe });
export type NamedRecipe = z.infer<typeof NamedRecipe>;
