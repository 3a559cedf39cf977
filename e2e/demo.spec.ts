// First run: one click opens a demo workspace with the bundled model registered; the next click reopens it.
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';

test('"Open the demo workspace" gives a workspace with the demo model, and reopens it later', async ({ app, page }) => {
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('models').click();
  const models = new ModelsPage(page);
  await expect(models.items).toHaveCount(1);
  await expect(models.item('dovetail-wordnet-13m')).toBeVisible();

  // Close it and come back through the same button: the same workspace, still one model.
  await app.workspaceMenu('close');
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('models').click();
  await expect(models.items).toHaveCount(1);
});
