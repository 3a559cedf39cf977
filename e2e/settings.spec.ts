// Settings: the engine section shows which providers work here (CPU does; CUDA's binaries are not installed), and
// choosing one that cannot start restarts the engine on CPU with the status bar saying why; threads and thread spinning
// are saved and survive a reload.
import { expect, test } from './fixtures';
import { SettingsDialog } from './pages/settings-dialog';

const CUDA_REASON =
  'CUDA provider binaries are not installed: run ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install';

test('choosing CUDA without its binaries runs the engine on CPU and the status bar says why; CPU again clears it', async ({
  app,
  page,
}) => {
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  const settings = new SettingsDialog(page);
  await settings.openWithGear();
  await expect(settings.provider).toContainText('CPU');

  await settings.openProviders();
  await expect(settings.option('cpu')).toHaveAttribute('data-available', 'true');
  await expect(settings.option('cpu')).toContainText('Available');
  await expect(settings.option('cuda')).toHaveAttribute('data-available', 'false');
  await expect(settings.option('cuda')).toContainText(CUDA_REASON);
  await settings.choose('cuda');
  await expect(page.getByTestId('settings-provider-unavailable')).toContainText(CUDA_REASON);

  await settings.apply.click();
  await expect(page.getByTestId('settings-applying')).toBeVisible();
  await expect(settings.applied).toHaveAttribute('data-fallback', 'true', { timeout: 60_000 });
  await expect(settings.applied).toContainText(`The engine runs on CPU: ${CUDA_REASON}`);
  await settings.close();

  await expect(app.engineState).toHaveText('Ready');
  await expect(page.getByTestId('engine-fallback')).toHaveText(`CPU (fallback: ${CUDA_REASON})`);
  await expect(page.getByTestId('engine-details')).toContainText('1 restart');

  // The choice survives a reload (it is saved), and switching back to CPU clears the fallback.
  await page.reload();
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  await expect(page.getByTestId('engine-fallback')).toBeVisible();
  await page.keyboard.press('Control+Comma');
  await expect(settings.dialog).toBeVisible();
  await expect(settings.provider).toContainText('CUDA');
  await settings.choose('cpu');
  await settings.apply.click();
  await expect(settings.applied).toHaveAttribute('data-fallback', 'false', { timeout: 60_000 });
  await expect(settings.applied).toContainText('The engine runs on CPU.');
  await settings.close();
  await expect(page.getByTestId('engine-fallback')).toHaveCount(0);
  await expect(page.getByTestId('engine-details')).toContainText('provider cpu');
  await expect(page.getByTestId('engine-details')).toContainText('2 restarts');
});

test('the threads field accepts 0 to the core count and names the range otherwise', async ({ app, page }) => {
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  const settings = new SettingsDialog(page);
  await settings.openWithGear();
  await expect(settings.threads).toHaveValue('0');
  await expect(settings.apply).toBeDisabled(); // nothing changed yet

  await settings.threads.fill('999');
  await expect(settings.dialog).toContainText(/Enter a whole number from 0 to \d+/);
  await expect(settings.apply).toBeDisabled();

  await settings.threads.fill('1');
  await expect(settings.apply).toBeEnabled();
  await settings.apply.click();
  await expect(settings.applied).toHaveAttribute('data-fallback', 'false', { timeout: 60_000 });
  await expect(settings.apply).toBeDisabled(); // saved: nothing left to apply
});

test('the thread spinning switch is off by default, and turning it on is saved across a reload', async ({
  app,
  page,
}) => {
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  const settings = new SettingsDialog(page);
  await settings.openWithGear();
  await expect(settings.spinThreads).not.toBeChecked();
  await expect(settings.dialog).toContainText('much slower while other programs keep the processor busy');
  await expect(settings.apply).toBeDisabled();

  await settings.spinThreads.check();
  await expect(settings.apply).toBeEnabled();
  await settings.apply.click();
  await expect(settings.applied).toHaveAttribute('data-fallback', 'false', { timeout: 60_000 });
  await expect(settings.apply).toBeDisabled();
  await settings.close();
  await expect(page.getByTestId('engine-details')).toContainText('1 restart');

  await page.reload();
  await expect(app.engineState).toHaveText('Ready', { timeout: 90_000 });
  await settings.openWithGear();
  await expect(settings.spinThreads).toBeChecked();
  await expect(settings.apply).toBeDisabled();
});
