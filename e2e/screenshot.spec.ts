// Screenshots of the shell for people to look at (not compared): test-results/screenshots/*.png.
// Not part of `npm test`; run with `npm run screenshots` (after a build).
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';
import { TemplateEditor } from './pages/template-editor';

const DIR = 'test-results/screenshots';

test('screenshots of the picker and the shell, light and dark @screenshots', async ({ app, page }) => {
  await app.picker.expectVisible();
  await page.screenshot({ path: `${DIR}/picker.png` });
  await app.createWorkspace('Contract review');
  await app.nav('prompts').click();
  await new TemplateEditor(page).type('You review contracts.\n\nClause: {{ clause }}\nRisk:');
  await page.keyboard.press('Escape');
  await page.screenshot({ path: `${DIR}/shell-light.png` });
  await app.themeToggle.click();
  await app.expectBackground('rgb(18, 18, 18)');
  // Move the pointer off the toggle so its tooltip is not in the picture.
  await page.mouse.move(600, 700);
  await expect(page.getByRole('tooltip')).toBeHidden();
  await page.screenshot({ path: `${DIR}/shell-dark.png` });
});

test('screenshot of the Models screen in the demo workspace @screenshots', async ({ app, page }) => {
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('models').click();
  const models = new ModelsPage(page);
  await models.item('dovetail-wordnet-13m').click();
  await expect(models.details).toBeVisible();
  await page.screenshot({ path: `${DIR}/models.png` });
});
