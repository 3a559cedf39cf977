// The recipes the wizard and "Compare with the base model" read come from the one place `npm run demo` trains with.
import { describe, expect, it } from 'vitest';
import { DEMO_RECIPES } from '../../../shared/demo-recipes';
import { DEMO_DATASETS } from './demo-service';
import { bundledRecipes } from './recipes';

describe('bundled recipes', () => {
  it('give the demo recipe (LoRA and soft prompt together, its learning rate and metrics) under the dataset name', () => {
    const recipes = bundledRecipes(DEMO_DATASETS);
    expect(recipes.map((r) => r.dataset)).toEqual(['Support triage']);
    const [triage] = recipes;
    const source = DEMO_RECIPES['support-triage'];
    expect(triage?.recipe.method).toBe('both');
    expect(triage?.recipe.hyper.lr).toBe(source?.lr.both);
    expect(triage?.recipe.lora.r).toBe(source?.lora.r);
    expect(triage?.recipe.metrics[0]).toEqual({ kind: 'classification', field: 'category', name: 'Category accuracy' });
    expect(triage?.recipe.template).toBe('Triage as JSON');
  });
});
