// A new project's starting spec (pure): the dataset, its recipe's template, metrics (the main one with an 80%
// threshold unless the recipe sets one), decoding budget and adapter (the recipe's, which was measured to work on it),
// and modest evaluation rows, so a newcomer can start with every default and an expert can change each field.
import type { DatasetSummary, ModelRecord, ProjectSpecIn, TemplateSummary } from '../../../../shared/contract';
import type { DatasetRecipe, NamedRecipe } from '../../../../shared/recipe';

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
    maxNewTokens: recipe?.maxNewTokens ?? 64,
    metrics: [{ ...main, threshold: main?.threshold ?? DEFAULT_THRESHOLD } as NonNullable<typeof main>, ...rest],
    adapter: recipe ? recipeAdapter(recipe) : {},
  };
}

/** The adapter plan of a recipe: its method, LoRA and soft-prompt settings and its hyper-parameters. */
export function recipeAdapter(recipe: DatasetRecipe): NonNullable<ProjectSpecIn['adapter']> {
  const { lora, softPrompt, hyper } = recipe;
  return {
    method: recipe.method,
    r: lora.r,
    alpha: lora.alpha,
    targets: lora.targets,
    virtualTokens: softPrompt.n,
    softPromptInit: softPrompt.init === 'text' ? softPrompt.initText : null,
    epochs: hyper.epochs,
    maxSteps: hyper.maxSteps,
    batchSize: hyper.batchSize,
    lr: hyper.lr,
    warmupSteps: hyper.warmupSteps,
    schedule: hyper.schedule,
  };
}

/** Whether the dataset of this version has a recipe. */
export function hasRecipe(c: ProjectChoices, datasetVersionId: string): boolean {
  const dataset = c.datasets.find((d) => d.versions.some((v) => v.id === datasetVersionId));
  return dataset !== undefined && c.recipes.some((r) => r.dataset === dataset.name);
}
