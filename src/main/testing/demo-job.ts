// Tests only: the demo's joint training spec (LoRA + soft prompt on Support triage, the bundled template), short, so
// that tests can train, export and compare a job of the demo model.
import type { Api, TrainingSpecIn } from '../../shared/contract';
import { DEMO_RECIPES } from '../../shared/demo-recipes';
import { demoTrainingSpec } from '../headless/demo-training';
import { DEMO_TEMPLATES } from '../services/demo/demo-service';
import type { DemoApp } from './demo-app';

/** The demo's joint ('both') spec with `maxSteps` optimizer steps. */
export async function demoJointSpec(ctx: DemoApp, maxSteps: number): Promise<TrainingSpecIn> {
  const recipe = DEMO_RECIPES['support-triage'];
  const bundled = DEMO_TEMPLATES.find((t) => t.name === recipe?.template);
  if (!recipe || !bundled) throw new Error('the demo recipe or its template is missing');
  const api: Api = ctx.api;
  const template =
    (await api.templates.list({})).find((t) => t.name === bundled.name)?.latest ??
    (await api.templates.save({ name: bundled.name, source: bundled.source, message: bundled.message }));
  const modelId = ctx.demo.modelIds[0];
  if (!modelId) throw new Error('the demo workspace has no model');
  const parts = {
    modelId,
    datasetVersionId: await ctx.triageVersionId(),
    templateVersionId: template.id,
    templateSource: bundled.source,
  };
  const spec = demoTrainingSpec(recipe, 'both', parts, true);
  return {
    ...spec,
    name: 'Exported demo job',
    hyper: { ...spec.hyper, maxSteps, warmupSteps: 1, evalEvery: maxSteps },
  };
}
