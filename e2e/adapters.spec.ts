// Training an adapter from the Adapters screen on the demo model: the wizard with defaults and a tiny step budget,
// the live loss chart, the finished job, and the adapter version in the list with its lineage.
import { expect, test } from './fixtures';
import { AdaptersPage } from './pages/adapters-page';

test('the wizard trains a LoRA on the demo dataset and lists it with its lineage', async ({ app, page }) => {
  test.setTimeout(180_000);
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('adapters').click();
  const adapters = new AdaptersPage(page);
  await expect(page.getByTestId('empty-adapters')).toBeVisible();
  await adapters.trainButton.click();
  await adapters.field('maxRows').fill('16');
  await adapters.next.click();
  await expect(page.getByTestId('wizard-preview')).toContainText('Triage this support message');
  await adapters.next.click();
  await adapters.field('maxSteps').fill('4');
  await adapters.next.click();
  await expect(page.getByTestId('wizard-estimate')).toContainText('4 optimizer steps');
  await adapters.start.click();

  await expect(adapters.job).toBeVisible();
  await expect(adapters.jobChart).toHaveAttribute('data-points', /[1-9]/, { timeout: 60_000 });
  await expect(adapters.items).toHaveCount(1, { timeout: 120_000 });
  await expect(adapters.job).toHaveCount(0);
  await expect(page.getByTestId('adapter-check')).toContainText('Active');
  await expect(adapters.lineage).toContainText('bundled:support-triage');
  await expect(page.getByTestId('adapter-loss-chart')).toHaveAttribute('data-points', '4');
});
