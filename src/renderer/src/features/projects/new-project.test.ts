// A new project's defaults: the chosen dataset's recipe gives the template and metrics (the main one thresholded at
// 80% unless the recipe sets one), its decoding budget and its adapter; without a template the form cannot start.
import { describe, expect, it } from 'vitest';
import type { DatasetSummary, ModelRecord, TemplateSummary } from '../../../../shared/contract';
import { DatasetRecipe } from '../../../../shared/recipe';
import { DEMO_RECIPES } from '../../../../shared/demo-recipes';
import { DEFAULT_EVAL_ROWS, defaultProject, hasRecipe, type ProjectChoices } from './new-project';

const version = (id: string) => ({ id, version: 1, message: '', rowCount: 10, contentHash: 'h', createdAt: '' });
const datasets = [
  { id: 'd-w', name: 'WordNet supersense', createdAt: '', versions: [version('dv-w')] },
  { id: 'd-t', name: 'Support triage', createdAt: '', versions: [version('dv-t')] },
] as DatasetSummary[];
const templates = [
  { id: 't-s', name: 'Supersense', latest: { id: 'tv-s', version: 1 }, versions: 1 },
  { id: 't-t', name: 'Triage as JSON', latest: { id: 'tv-t', version: 2 }, versions: 2 },
] as TemplateSummary[];
const choices: ProjectChoices = {
  datasets,
  templates,
  models: [{ id: 'm-1' }] as ModelRecord[],
  // As the demo service serves it: the demo recipe with its joint learning rate.
  recipes: [
    {
      dataset: 'Support triage',
      recipe: DatasetRecipe.parse({
        method: 'both',
        template: DEMO_RECIPES['support-triage']?.template,
        lora: DEMO_RECIPES['support-triage']?.lora,
        softPrompt: DEMO_RECIPES['support-triage']?.softPrompt,
        hyper: { ...DEMO_RECIPES['support-triage']?.hyper, lr: DEMO_RECIPES['support-triage']?.lr.both },
        metrics: DEMO_RECIPES['support-triage']?.metrics,
        maxNewTokens: DEMO_RECIPES['support-triage']?.maxNewTokens,
      }),
    },
  ],
};

describe('a new project', () => {
  it("starts from the chosen dataset's recipe: its template, threshold on the main metric, decoding and adapter", () => {
    const spec = defaultProject(choices, 'd-t');
    expect(spec).toMatchObject({
      datasetVersionId: 'dv-t',
      templateVersionId: 'tv-t',
      evalRows: DEFAULT_EVAL_ROWS,
      maxNewTokens: 24,
      adapter: {
        method: 'both',
        r: 16,
        alpha: 32,
        virtualTokens: 8,
        softPromptInit: 'Triage this support message as JSON.',
        epochs: 1,
        maxSteps: null,
        batchSize: 8,
        lr: 2e-3,
        warmupSteps: 10,
        schedule: 'cosine',
      },
    });
    expect(spec?.adapter?.targets).toHaveLength(7);
    expect(hasRecipe(choices, 'dv-t')).toBe(true);
    expect(hasRecipe(choices, 'dv-w')).toBe(false);
    expect(spec?.metrics[0]).toMatchObject({ kind: 'classification', field: 'category', threshold: 0.8 });
    expect(spec?.metrics).toHaveLength(4);
  });

  it('falls back to exact match and the first template without a recipe, and needs a model', () => {
    expect(defaultProject(choices, 'd-w')).toMatchObject({
      templateVersionId: 'tv-s',
      metrics: [{ kind: 'exact_match', threshold: 0.8 }],
    });
    expect(defaultProject({ ...choices, models: [] })).toBeNull();
  });
});
