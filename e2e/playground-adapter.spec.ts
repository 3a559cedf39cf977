// From training to trying and shipping on the demo workspace: the wizard trains a LoRA with the saved template, its
// "Try it" opens the Playground with the adapter and that template, an input streams an answer through them and the
// picks survive a reload; Export writes a PEFT folder whose config names the base model, with PEFT's tensor names
// and a model card. A saved specialization's "Try it" runs it as saved, with its decoding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { apiOk, openDemo } from './fixtures/api';
import { AdaptersPage } from './pages/adapters-page';
import { ExperimentsPage } from './pages/experiments-page';
import { PlaygroundPage } from './pages/playground-page';

const RUN_TIMEOUT = 60_000; // the first run loads the model (and the adapter) on a shared two-core machine

/** The tensor names of a safetensors file (its JSON header; the metadata entry aside). */
function tensorNames(file: string): string[] {
  const bytes = readFileSync(file);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, unknown>;
  return Object.keys(header).filter((k) => k !== '__metadata__');
}

test('a LoRA trained in the wizard is tried in the Playground with its template, then exported for PEFT', async ({
  app,
  page,
  server,
}) => {
  test.setTimeout(300_000);
  const adapters = new AdaptersPage(page);
  await adapters.openWizardOnDemo(app, 16);
  await adapters.next.click();
  await expect(adapters.field('template')).toContainText('Triage as JSON');
  await adapters.next.click();
  await adapters.quickRun();
  await adapters.start.click();
  await expect(adapters.items).toHaveCount(1, { timeout: 150_000 });
  await expect(page.getByTestId('adapter-check')).toContainText('Active');
  const adapterName = (await page.getByTestId('adapter-details').getByRole('heading').textContent()) ?? '';

  // Try it: the Playground opens with the adapter, its model and the template it was trained with.
  await adapters.tryIt.click();
  const playground = new PlaygroundPage(page);
  await expect(playground.workbench).toHaveAttribute('data-run-kind', 'parts');
  await expect(playground.pick('lora')).toHaveText(new RegExp(adapterName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(playground.pick('template')).toHaveText('Triage as JSON');
  await expect(playground.pick('template-version')).toContainText('v1');
  await expect(playground.modelStatus).toHaveAttribute('data-state', 'ready', { timeout: RUN_TIMEOUT });
  await playground.openSettings();
  await playground.setting('max_new_tokens').fill('12');
  await playground.setting('ignore_eos').check();
  await playground.field('message').fill('I was charged twice for my subscription this month.');
  await playground.run.click();
  await expect(playground.stats).toBeVisible({ timeout: RUN_TIMEOUT });
  await expect(playground.stat('tokens')).toHaveText(/^12 tokens \(prompt \d+\)$/);
  await expect(playground.outputText).not.toHaveText('');
  // The service rendered the input through the saved template (the one renderer experiments use).
  await page.getByTestId('playground-prompt').locator('summary').click();
  await expect(playground.renderedPrompt).toContainText('Triage this support message');
  await expect(playground.renderedPrompt).toContainText('I was charged twice for my subscription this month.');

  // The picks and decoding are kept for this workspace.
  await page.reload();
  await expect(playground.workbench).toHaveAttribute('data-run-kind', 'parts');
  await expect(playground.pick('lora')).toHaveText(new RegExp(adapterName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(playground.decodingSummary).toHaveText('Greedy · up to 12 new tokens · ignoring end of text', {
    timeout: RUN_TIMEOUT,
  });

  // Export: a PEFT folder that names the base model, PEFT's tensor names, a model card.
  await app.nav('adapters').click();
  const folder = await adapters.exportTo(join(server.workspacesDir, 'exports', 'triage-lora'));
  expect(folder).toBe(join(server.workspacesDir, 'exports', 'triage-lora'));
  const config = JSON.parse(readFileSync(join(folder, 'adapter_config.json'), 'utf8')) as {
    peft_type: string;
    base_model_name_or_path: string;
    target_modules: string[];
  };
  expect(config.peft_type).toBe('LORA');
  expect(config.base_model_name_or_path).toMatch(/dovetail-wordnet-13m$/);
  expect(readFileSync(join(config.base_model_name_or_path, 'config.json'), 'utf8')).toContain('LlamaForCausalLM');
  const names = tensorNames(join(folder, 'adapter_model.safetensors'));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names)
    expect(name).toMatch(
      /^base_model\.model\.model\.layers\.\d+\.(self_attn\.[qkvo]_proj|mlp\.(gate|up|down)_proj)\.lora_[AB]\.weight$/,
    );
  const card = readFileSync(join(folder, 'README.md'), 'utf8');
  expect(card).toContain(`base_model: ${JSON.stringify(config.base_model_name_or_path)}`);
  expect(card).toContain('Support triage v1');
  expect(card).toContain('Triage as JSON v1');
  expect(card).toContain('- max_steps: 4');
});

test("a saved specialization's Try it runs it in the Playground as saved, with its template and decoding", async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(180_000);
  // The specialization is made through the API, as experiments.spec makes its own.
  await openDemo(app, page, request, server);
  await expect
    .poll(async () => (await apiOk<{ name: string }[]>(request, server, 'templates/list')).map((t) => t.name), {
      timeout: 60_000,
    })
    .toContain('Triage as JSON');
  const [model] = await apiOk<{ id: string }[]>(request, server, 'models/list');
  const templates = await apiOk<{ name: string; latest: { id: string } }[]>(request, server, 'templates/list');
  const template = templates.find((t) => t.name === 'Triage as JSON')!;
  await apiOk(request, server, 'specializations/create', {
    name: 'Triage prompt',
    modelId: model!.id,
    templateVersionId: template.latest.id,
    decoding: { max_new_tokens: 6, ignore_eos: true },
  });

  await app.nav('experiments').click();
  const experiments = new ExperimentsPage(page);
  await experiments.tab('specializations').click();
  await page
    .getByTestId('specialization-item')
    .filter({ hasText: 'Triage prompt' })
    .getByTestId('specialization-try')
    .click();

  const playground = new PlaygroundPage(page);
  await expect(playground.workbench).toHaveAttribute('data-run-kind', 'specialization');
  await expect(playground.pick('specialization')).toHaveText('Triage prompt');
  await expect(playground.decodingSummary).toHaveText('Greedy · up to 6 new tokens · ignoring end of text', {
    timeout: RUN_TIMEOUT,
  });
  await playground.field('message').fill('The app crashes when I open settings.');
  await playground.field('message').press('Control+Enter');
  await expect(playground.stats).toBeVisible({ timeout: RUN_TIMEOUT });
  await expect(playground.stat('tokens')).toHaveText(/^6 tokens \(prompt \d+\)$/);
  await page.getByTestId('playground-prompt').locator('summary').click();
  await expect(playground.renderedPrompt).toContainText('The app crashes when I open settings.');
});
