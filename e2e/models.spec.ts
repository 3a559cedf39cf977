// The Models screen in browser mode with the real engine worker: the bundled demo model in one click with its
// facts, a damaged folder with the loader's error naming the file, rename and remove (which leaves files alone).
import { cpSync, existsSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';
import { DEMO_MODEL, ModelsPage } from './pages/models-page';

const FIXTURES = resolve('src/main/engine/models/__fixtures__');
const INSPECT_TIMEOUT = 30_000; // the engine worker may still be starting

test.beforeEach(async ({ app }) => {
  await app.createWorkspace('Models');
  await app.nav('models').click();
});

test('adds the bundled demo model in one click and shows its facts', async ({ page }) => {
  const models = new ModelsPage(page);
  await expect(models.empty.getByRole('heading', { name: 'No models yet' })).toBeVisible();
  await models.addDemo.click();

  const item = models.item(DEMO_MODEL);
  await expect(item).toBeVisible({ timeout: INSPECT_TIMEOUT });
  for (const text of ['LlamaForCausalLM', '12.6M parameters', '25.2 MB', 'F16', '512 tokens context']) {
    await expect(item.getByTestId('model-item-summary')).toContainText(text);
  }
  await expect(models.details.getByTestId('model-details-name')).toHaveText(DEMO_MODEL);
  await expect(models.fact('architecture')).toContainText('LlamaForCausalLM (llama)');
  await expect(models.fact('parameters')).toContainText('12,587,904');
  await expect(models.fact('layers')).toContainText('6');
  await expect(models.fact('heads')).toContainText('6 / 2');
  await expect(models.fact('head-dim')).toContainText('64');
  await expect(models.fact('tied')).toContainText('yes');
  await expect(models.fact('tok-vocab')).toContainText('8,192 tokens');
  await expect(models.fact('tok-chat')).toContainText('yes');
  await expect(models.fact('tok-eos')).toContainText('<|im_end|> (2)');
  await expect(models.addDemo).toBeHidden(); // already added: the shortcut goes away

  await models.rename('WordNet demo');
  await expect(models.item('WordNet demo')).toBeVisible();
  await expect(models.details.getByTestId('model-details-name')).toHaveText('WordNet demo');

  await models.remove();
  await expect(models.empty).toBeVisible();
  await expect(models.addDemo).toBeVisible(); // can be added again: its files were left alone
  expect(existsSync(resolve('resources/models', DEMO_MODEL, 'config.json'))).toBe(true);
});

test('a damaged folder shows the error naming the file, and a good one is added with its name', async ({
  page,
  server,
}) => {
  const models = new ModelsPage(page);
  const broken = join(server.workspacesDir, 'broken-model');
  cpSync(join(FIXTURES, 'tiny-llama-f32'), broken, { recursive: true });
  unlinkSync(join(broken, 'tokenizer.json'));

  await models.addFolder(broken);
  await expect(models.addErrorMessage).toHaveText('tokenizer.json is missing from the model folder.', {
    timeout: INSPECT_TIMEOUT,
  });
  await expect(models.addError).toContainText('tokenizer.json');
  await expect(models.addErrorWhere).toHaveText(join(broken, 'tokenizer.json'));
  await expect(models.items).toHaveCount(0);

  await models.addFolder(join(server.workspacesDir, 'no-such-folder'));
  await expect(models.addErrorMessage).toHaveText('The model folder does not exist.');

  const good = join(server.workspacesDir, 'tiny-qwen');
  cpSync(join(FIXTURES, 'tiny-qwen2-bf16'), good, { recursive: true });
  await models.addFolder(good, 'Tiny Qwen');
  await expect(models.item('Tiny Qwen')).toBeVisible({ timeout: INSPECT_TIMEOUT });
  await expect(models.fact('architecture')).toContainText('Qwen2ForCausalLM');
  await expect(models.fact('dtype')).toContainText('BF16');
  await expect(models.fact('bias')).toContainText('yes');
});
