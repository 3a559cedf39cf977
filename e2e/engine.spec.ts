// The status bar reports the engine worker, and its self-test runs a real graph.
import { expect, test } from './fixtures';

test('the status bar shows the engine ready and the self-test passes', async ({ app, page }) => {
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  await expect(page.getByTestId('engine-details')).toContainText('cpu');

  await page.getByTestId('engine-selftest').click();
  const result = page.getByTestId('selftest-result');
  await expect(result).toContainText('Self-test passed', { timeout: 30_000 });
  await expect(result).toHaveAttribute('data-ok', 'true');
});

test('restarting the engine brings it back to ready with one more restart', async ({ app, page }) => {
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  await expect(page.getByTestId('engine-details')).toContainText('0 restarts');
  await page.getByTestId('engine-restart').click();
  await expect(page.getByTestId('engine-details')).toContainText('1 restart', { timeout: 30_000 });
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
});
