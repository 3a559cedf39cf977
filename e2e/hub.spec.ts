// Models from the Hugging Face Hub, against a local server with the Hub's layout (src/main/testing/mock-hub.ts)
// serving the bundled demo model's files: a tampered file is refused by its checksum and nothing is added; a download
// whose connection drops mid-shard resumes from where it stopped, verifies, and the model then generates in the
// Playground.
import { resolve } from 'node:path';
import { startMockHub, type MockHub } from '../src/main/testing/mock-hub';
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';
import { PlaygroundPage } from './pages/playground-page';
import { SettingsDialog } from './pages/settings-dialog';

const DEMO = resolve('resources/models/dovetail-wordnet-13m');
const RUN_TIMEOUT = 90_000; // download, hashing, the engine's start and the model's load on a shared two-core machine
/** transformers' greedy answer (src/main/engine/models/__fixtures__/demo-model-greedy.json). */
const LIGHTHOUSE = 'The word "lighthouse" means a small song (especially in the Roman Catholic Church).';

let hub: MockHub;
test.beforeAll(async () => {
  hub = await startMockHub({
    'dovetail/wordnet-13m': { folder: DEMO, dropOnce: ['model-00002-of-00003.safetensors'] },
    'dovetail/wordnet-13m-tampered': { folder: DEMO, corrupt: ['model-00001-of-00003.safetensors'] },
  });
});
test.afterAll(() => hub.close());

test('a tampered file is refused; a dropped download resumes, verifies and the model runs', async ({ app, page }) => {
  await app.createWorkspace('Hub');
  const settings = new SettingsDialog(page);
  await settings.openWithGear();
  await settings.setHubAddress(hub.url);
  await settings.close();

  await app.nav('models').click();
  const models = new ModelsPage(page);
  await models.downloadFromHub('dovetail/wordnet-13m-tampered');
  const tampered = models.download('dovetail/wordnet-13m-tampered');
  await expect(tampered.getByTestId('hub-download-state')).toHaveText('Failed', { timeout: RUN_TIMEOUT });
  await expect(tampered.getByTestId('hub-download-error-message')).toHaveText(
    "model-00001-of-00003.safetensors from dovetail/wordnet-13m-tampered does not match the Hub's checksum; it was deleted.",
  );
  await expect(models.empty).toBeVisible(); // nothing was registered
  await expect(models.items).toHaveCount(0);

  await models.downloadFromHub('dovetail/wordnet-13m');
  const download = models.download('dovetail/wordnet-13m');
  await expect(download.getByTestId('hub-download-state')).toHaveText('Added', { timeout: RUN_TIMEOUT });
  await expect(download.getByTestId('hub-download-resumes')).toContainText('Resumed once after a dropped connection');
  await expect(download.getByTestId('hub-download-bytes')).toContainText('every file matched its checksum');
  await expect(models.item('wordnet-13m')).toBeVisible();
  await expect(models.fact('parameters')).toContainText('12,587,904');
  // The drop cut the shard's first response; the resume asked for the rest only.
  const resumed = hub.requests.filter((r) => r.path.endsWith('model-00002-of-00003.safetensors') && r.range);
  expect(resumed.length).toBeGreaterThan(0);

  await app.nav('playground').click();
  const playground = new PlaygroundPage(page);
  await expect(playground.model).toHaveText('wordnet-13m', { timeout: RUN_TIMEOUT });
  await expect(playground.modelStatus).toHaveAttribute('data-state', 'ready', { timeout: RUN_TIMEOUT });
  await playground.prompt.fill('What does lighthouse mean?');
  await playground.prompt.press('Control+Enter');
  await expect(playground.stats).toBeVisible({ timeout: RUN_TIMEOUT });
  await expect(playground.outputText).toHaveText(LIGHTHOUSE);
});
