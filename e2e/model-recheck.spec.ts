// A registered model whose large file's date changed (a touch, a copy over it) is shown as needing a re-check; the
// Re-check button hashes its files again and, the bytes being the same, makes it usable again. Browser mode, real
// server and engine worker.
import { appendFileSync, cpSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';

const FIXTURES = resolve('src/main/engine/models/__fixtures__');
const INSPECT_TIMEOUT = 30_000; // the engine worker may still be starting

test('a touched large file asks for a re-check, which hashes it again and makes the model usable', async ({
  app,
  page,
  server,
}) => {
  await app.createWorkspace('Recheck');
  await app.nav('models').click();
  const models = new ModelsPage(page);
  const folder = join(server.workspacesDir, 'big-tokenizer');
  cpSync(join(FIXTURES, 'tiny-llama-f32'), folder, { recursive: true });
  // Trailing whitespace keeps tokenizer.json valid JSON while making it larger than what is re-hashed on the spot.
  appendFileSync(join(folder, 'tokenizer.json'), ' '.repeat(33 * 1024 * 1024));
  await models.addFolder(folder, 'Big tokenizer');
  await expect(models.item('Big tokenizer')).toBeVisible({ timeout: INSPECT_TIMEOUT });

  const later = new Date(Date.now() + 60_000);
  utimesSync(join(folder, 'tokenizer.json'), later, later);
  await page.reload();
  await app.nav('models').click();
  await models.item('Big tokenizer').click();
  const unavailable = models.details.getByTestId('model-unavailable');
  await expect(unavailable).toContainText(
    'tokenizer.json was modified on disk (its date changed) since Dovetail hashed it',
  );
  await unavailable.getByTestId('model-recheck').click();
  await expect(unavailable).toBeHidden({ timeout: INSPECT_TIMEOUT });
  await expect(models.details.getByTestId('model-details-name')).toHaveText('Big tokenizer');
});
