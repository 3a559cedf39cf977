import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { findBundledDatasetsDir } from '../adapters/training-data';
import { DEMO_DATASETS } from './demo-service';
import { parseRecipe, readRecipes } from './recipes';

describe('dataset recipes', () => {
  it('reads the bundled Support triage recipe: LoRA + soft prompt at 2e-3, batch 8, category accuracy first', async () => {
    const recipes = await readRecipes(findBundledDatasetsDir(), DEMO_DATASETS);
    const triage = recipes.find((r) => r.dataset === 'Support triage')?.recipe;
    expect(triage).toMatchObject({ method: 'both', hyper: { lr: 0.002, batchSize: 8, epochs: 1 }, template: 'Triage as JSON' });
    expect(triage?.metrics[0]).toMatchObject({ kind: 'classification', field: 'category' });
    expect(await readRecipes(null, DEMO_DATASETS)).toEqual([]);
  });

  it('refuses a damaged recipe naming the file and the field', async () => {
    expect(() => parseRecipe('{', '/r/recipe.json')).toThrow(/\/r\/recipe\.json is not valid JSON/);
    const bad = () => parseRecipe(JSON.stringify({ method: 'both', hyper: { lr: -1 }, metrics: [{ kind: 'json_valid' }] }), '/r/recipe.json');
    expect(bad).toThrow(UserError);
    expect(bad).toThrow(/\/r\/recipe\.json: the field "hyper\.lr"/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipes-'));
    fs.mkdirSync(path.join(dir, 'x'));
    fs.writeFileSync(path.join(dir, 'x', 'recipe.json'), JSON.stringify({ method: 'lora', metrics: [] }));
    await expect(readRecipes(dir, [{ folder: 'x', name: 'X' }, { folder: 'none', name: 'None' }])).rejects.toThrow(/the field "metrics"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
