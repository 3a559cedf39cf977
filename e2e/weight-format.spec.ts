// Weight precision per model in browser mode with the real engine worker: the demo model switched to 8-bit shows the
// copy being made, keeps the choice after a reload, and the Playground then answers with the 8-bit weights; in the demo
// workspace the picker measures what 8-bit and 4-bit cost on Support triage's test split and shows it with n and CI;
// an experiment's "Weight formats" tab checks 8-bit and 4-bit on its task, and the picker then shows the main metric.
import { expect, test } from './fixtures';
import { openDemo, runExperiment, templateSpecialization } from './fixtures/api';
import { DEMO_MODEL, ModelsPage } from './pages/models-page';
import { PlaygroundPage } from './pages/playground-page';

const RUN_TIMEOUT = 60_000; // the engine starts, quantizes and loads on a shared two-core machine

test('the demo model runs at 8-bit once chosen, and keeps that choice', async ({ app, page }) => {
  await app.createWorkspace('Weights');
  await app.nav('models').click();
  const models = new ModelsPage(page);
  await models.addDemo.click();
  await expect(models.item(DEMO_MODEL)).toBeVisible({ timeout: RUN_TIMEOUT });
  const picker = models.details.getByTestId('weight-format');
  await expect(picker.getByTestId('weight-format-select')).toContainText('As stored');

  await picker.getByTestId('weight-format-select').click();
  await page.getByTestId('weight-format-q8').click();
  await expect(picker.getByTestId('weight-format-select')).toContainText('8-bit', { timeout: RUN_TIMEOUT });
  await expect(picker.getByTestId('weight-format-progress')).toBeHidden({ timeout: RUN_TIMEOUT });
  await expect(picker.getByTestId('weight-format-help')).toContainText('4x smaller');

  await page.reload();
  await app.nav('models').click();
  await models.item(DEMO_MODEL).click();
  await expect(models.details.getByTestId('weight-format-select')).toContainText('8-bit');

  await app.nav('playground').click();
  const playground = new PlaygroundPage(page);
  await expect(playground.modelStatus).toHaveAttribute('data-state', 'ready', { timeout: RUN_TIMEOUT });
  await playground.prompt.fill('What does lighthouse mean?');
  await playground.prompt.press('Control+Enter');
  await expect(playground.stats).toBeVisible({ timeout: RUN_TIMEOUT });
  await expect(playground.outputText).not.toHaveText('');
  await expect(playground.stat('speed')).toContainText('tokens/s');
});

test('the format picker measures what 8-bit and 4-bit cost the demo model and shows it after a reload', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(600_000); // 2 x 200 test messages scored twice on a shared two-core machine
  await openDemo(app, page, request, server);
  await app.nav('models').click();
  const models = new ModelsPage(page);
  await models.item(DEMO_MODEL).click();
  const picker = models.details.getByTestId('weight-format');
  await expect(picker.getByTestId('weight-quality-none')).toBeVisible();
  await expect(picker.getByTestId('weight-quality-dataset')).toContainText('Support triage');
  await picker.getByTestId('weight-quality-measure').click();
  await expect(picker.getByTestId('weight-quality-progress')).toBeVisible({ timeout: RUN_TIMEOUT });
  const q4 = picker.getByTestId('weight-quality-q4');
  await expect(q4).toBeVisible({ timeout: 540_000 });
  await expect(picker.getByTestId('weight-quality-progress')).toBeHidden();
  for (const line of [picker.getByTestId('weight-quality-q8'), q4]) {
    await expect(line).toContainText(/nats\/token \(95% CI \[[-+]\d\.\d{4}, [-+]\d\.\d{4}\]\)/);
    await expect(line).toContainText('Support triage v1, test split (message), n = 200 documents');
  }
  await page.reload();
  await app.nav('models').click();
  await models.item(DEMO_MODEL).click();
  await expect(models.details.getByTestId('weight-quality-q8')).toContainText('8-bit: ');
});

test("an experiment's weight format check shows each format's change with CI, and the picker shows it too", async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(400_000);
  await openDemo(app, page, request, server);
  const { versionId, specializationId } = await templateSpecialization(request, server, {
    dataset: 'Support triage',
    name: 'Triage at every format',
    source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
    maxNewTokens: 12,
  });
  await runExperiment(request, server, {
    name: 'Format check',
    datasetVersionId: versionId,
    split: 'test',
    limit: 8,
    design: { kind: 'compare', specializationIds: [specializationId] },
    metrics: [{ kind: 'json_valid' }],
  });

  await app.nav('experiments').click();
  await page.getByTestId('experiment-item').filter({ hasText: 'Format check' }).click();
  await page.getByTestId('tab-formats').click();
  const panel = page.getByTestId('format-check');
  await expect(panel.getByTestId('format-check-none')).toBeVisible();
  await panel.getByTestId('format-check-run').click();
  await expect(page.getByTestId('experiment-state')).toHaveText('completed', { timeout: 300_000 });
  const rows = panel.getByTestId('format-check-row');
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  await expect(rows.nth(0)).toContainText('8-bit');
  await expect(rows.nth(1)).toContainText('4-bit');
  await expect(panel.getByTestId('effects-chart')).toHaveAttribute('data-bars', '2');
  for (const row of [rows.nth(0), rows.nth(1)]) {
    await expect(row).toContainText('Triage at every format');
    await expect(row.getByTestId('format-check-change')).toHaveText(/^[+\u2212]?\d+\.\d \(.+\)$/);
    await expect(row).toContainText(/of 8$/);
  }
  // The model still runs as stored: the check did not change its setting, nor what the results read.
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('results-weights')).toContainText('as stored');

  await app.nav('models').click();
  const models = new ModelsPage(page);
  await models.item(DEMO_MODEL).click();
  const q4 = models.details.getByTestId('task-quality-q4');
  await expect(q4).toContainText('4-bit: Valid JSON');
  await expect(q4).toContainText('on Support triage v1, test split, n = 8 rows (Triage at every format; experiment');
  await expect(q4).toContainText(/points \(95% CI .+ to .+\), McNemar p = /);
  await expect(models.details.getByTestId('task-quality-q8')).toContainText('8-bit: ');
  await expect(models.details.getByTestId('weight-format-select')).toContainText('As stored');
});
