// The bundled datasets' recipes as the API gives them (the training wizard's presets, "Compare with the base model"),
// made from the one place they live, `src/shared/demo-recipes.ts`, which `npm run demo` trains with too.
import { DEMO_RECIPES } from '../../../shared/demo-recipes';
import { DatasetRecipe, type NamedRecipe } from '../../../shared/recipe';

/** Each bundled dataset with a recipe, under the dataset's workspace name. */
export function bundledRecipes(datasets: readonly { folder: string; name: string }[]): NamedRecipe[] {
  return datasets.flatMap((d) => {
    const r = DEMO_RECIPES[d.folder as keyof typeof DEMO_RECIPES];
    if (r === undefined) return [];
    const recipe = DatasetRecipe.parse({
      note: r.note,
      method: 'both',
      lora: r.lora,
      softPrompt: r.softPrompt,
      hyper: { ...r.hyper, lr: r.lr.both },
      validationRows: 64,
      template: r.template,
      metrics: r.metrics,
      maxNewTokens: r.maxNewTokens,
    });
    return [{ dataset: d.name, recipe }];
  });
}
