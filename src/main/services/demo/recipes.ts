// Reads the bundled datasets' recipes (resources/datasets/<folder>/recipe.json): the one place their training
// settings and metrics live, so the headless demo, the wizard's presets and "Compare with the base model" agree.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetRecipe, type NamedRecipe } from '../../../shared/recipe';
import { UserError } from '../../../shared/errors';
import { readUserText } from '../../platform/files/text-stream';

/** Each bundled dataset folder that has a recipe.json, under the dataset's workspace name; a damaged one is refused. */
export async function readRecipes(datasetsDir: string | null, datasets: readonly { folder: string; name: string }[]): Promise<NamedRecipe[]> {
  if (datasetsDir === null) return [];
  const out: NamedRecipe[] = [];
  for (const d of datasets) {
    const path = join(datasetsDir, d.folder, 'recipe.json');
    if (!existsSync(path)) continue;
    out.push({ dataset: d.name, recipe: parseRecipe((await readUserText(path, { where: 'recipe', maxBytes: 64 * 1024, expected: 'JSON' })).text, path) });
  }
  return out;
}

export function parseRecipe(text: string, path: string): DatasetRecipe {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path} is not valid JSON: ${(e as Error).message}`, { code: 'recipe-invalid', where: path, hint: 'Reinstall Dovetail, or fix the file.' });
  }
  const parsed = DatasetRecipe.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new UserError(`${path}: the field "${field}" ${issue?.message ?? 'is invalid'}`, { code: 'recipe-invalid', where: `${path}: ${field}`, hint: 'Reinstall Dovetail, or fix the file.' });
  }
  return parsed.data;
}
