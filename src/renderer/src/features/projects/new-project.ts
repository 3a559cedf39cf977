// A new project's starting spec (pure): the dataset, its recipe's template and metrics (the main one with an 80%
// threshold unless the recipe sets one), a small first adapter from the recipe's settings, and modest evaluation rows,
// so a newcomer can start with every default and an expert can change each field.
import type { DatasetSummary, ModelRecord, ProjectSpecIn, TemplateSummary } from '../../../../shared/contract';
import type { NamedRecipe } from '../../../../shared/recipe';

/** Rows evaluated per experiment by default: enough for intervals a few points wide to show, quick on a laptop. */
export const DEFAULT_EVAL_ROWS = 100;
export const DEFAULT_THRESHOLD = 0.8;

export interface ProjectChoices {
  datasets: readonly DatasetSummary[];
  models: readonly ModelRecord[];
  templates: readonly TemplateSummary[];
  recipes: readonly NamedRecipe[];
}

export function defaultProject(c: ProjectChoices, datasetId?: string): ProjectSpecIn | null {
  const dataset = c.datasets.find((d) => d.id === datasetId) ?? c.datasets[0];
  const version = dataset?.versions[0];
  const model = c.models[0];
  if (!dataset || !version || !model) return null;
  const recipe = c.recipes.find((r) => r.dataset === dataset.name)?.recipe;
  const template = c.templates.find((t) => t.name === recipe?.template) ?? c.templates[0];
  if (!template) return null;
  const [main, ...rest] = recipe?.metrics ?? [{ kind: 'exact_match' as const }];
  return {
    name: `${dataset.name} project`,
    task: '',
    modelId: model.id,
    datasetVersionId: version.id,
    evalSplit: 'test',
    evalRows: DEFAULT_EVAL_ROWS,
    templateVersionId: template.latest.id,
    maxNewTokens: 64,
    metrics: [{ ...main, threshold: main?.threshold ?? DEFAULT_THRESHOLD } as NonNullable<typeof main>, ...rest],
    adapter: recipe
      ? {
          method: 'lora',
          r: Math.min(4, recipe.lora.r),
          maxSteps: 30,
          batchSize: recipe.hyper.batchSize,
          lr: recipe.hyper.lr ?? null,
        }
      : {},
  };
}
