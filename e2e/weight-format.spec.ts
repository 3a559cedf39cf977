// Weight precision per model in browser mode with the real engine worker: the demo model switched to 8-bit shows the
// copy being made, keeps the choice after a reload, and the Playground then answers with the 8-bit weights.
import { expect, test } from './fixtures';
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
