// First run: one click opens a demo workspace with the bundled model registered and the bundled datasets imported;
// the next click reopens it without adding anything twice.
import { expect, test } from './fixtures';
import { DatasetsPage } from './pages/datasets-page';
import { ModelsPage } from './pages/models-page';

test('"Open the demo workspace" gives a workspace with the demo model and datasets, and reopens it later', async ({
  app,
  page,
}) => {
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('models').click();
  const models = new ModelsPage(page);
  await expect(models.items).toHaveCount(1);
  await expect(models.item('dovetail-wordnet-13m')).toBeVisible();
  await app.nav('datasets').click();
  const datasets = new DatasetsPage(page);
  await expect(datasets.items).toHaveCount(2);
  await expect(datasets.item('Support triage').getByTestId('dataset-version-item')).toContainText('v1 · 2,700 rows');
  await expect(datasets.item('WordNet supersense').getByTestId('dataset-version-item')).toContainText(
    'v1 · 4,000 rows',
  );
  await datasets.item('Support triage').getByTestId('dataset-version-item').click();
  await expect(datasets.fact('splits')).toContainText('train 2,000 · validation 300 · test 400');
  await expect(datasets.fact('fields')).toContainText('message: string (input)');
  await expect(datasets.fact('fields')).toContainText('category: string (label)');

  // Close it and come back through the same button: the same workspace, still one model and two datasets.
  await app.workspaceMenu('close');
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('models').click();
  await expect(models.items).toHaveCount(1);
  await app.nav('datasets').click();
  await expect(datasets.items).toHaveCount(2);
  await expect(page.getByTestId('dataset-version-item')).toHaveCount(2);
});
