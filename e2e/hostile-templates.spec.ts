// Hostile templates in browser mode: a template that would loop for ages, typed into the prompt editor or the training
// wizard, comes back as a plain explanation (no interpreter jargon) while the app keeps answering: the render runs in
// the render worker, so the server's main thread is free. A name the rows lack is flagged in the preview.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import type { DovetailServer } from './fixtures/server';
import { AdaptersPage } from './pages/adapters-page';
import { callApi, PromptsPage } from './pages/prompts-page';
import type { APIRequestContext } from '@playwright/test';

const ENDLESS = readFileSync('src/main/engine/templates/fixtures/hostile/nested-range-loop.jinja', 'utf8');
const STOPPED = /The template was stopped after (1,000,000 steps of work|running for 5 seconds)/;
const JARGON = /!==|[A-Z][a-z]+Value\b|Parser Error|Maximum call stack|Invalid array length|Cannot read properties/;

/** While a render is in flight: the server answers an API call within a second, and the page a user action. */
async function expectAnswering(
  request: APIRequestContext,
  server: DovetailServer,
  uiAction: () => Promise<void>,
): Promise<void> {
  const started = Date.now();
  await callApi(request, server, 'app/info', {});
  expect(Date.now() - started).toBeLessThan(1000);
  await uiAction();
}

test('an endless template in the prompt editor gives the plain error while the app keeps answering', async ({
  app,
  page,
  server,
  request,
}) => {
  await callApi(request, server, 'demo/openDemoWorkspace', {});
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('prompts').click();
  const prompts = new PromptsPage(page);
  await expect(page.getByTestId('template-workbench')).toBeVisible();
  if (await prompts.newTemplate.isVisible()) await prompts.newTemplate.click();
  await prompts.choose('preview-dataset', 'Support triage v1');

  // A name the rows lack renders empty, with a warning that names it and its line.
  await prompts.editor.replace('Message: {{ message }}\nTone: {{ tone }}.');
  await expect(page.getByTestId('preview-warnings')).toContainText(
    '"tone" (line 2, column 10) is not set for this row',
  );

  const previewSent = page.waitForRequest(
    (r) => r.url().includes('/api/call/templates/preview') && (r.postData() ?? '').includes('range(100000)'),
  );
  await prompts.editor.replace(ENDLESS);
  await previewSent;
  await expectAnswering(request, server, async () => {
    await prompts.name.fill('Endless');
    await expect(prompts.name).toHaveValue('Endless', { timeout: 1000 });
  });
  const error = page.getByTestId('preview-error');
  await expect(error).toContainText(STOPPED, { timeout: 60_000 });
  await expect(error).not.toContainText(JARGON);
});

test('an endless prompt in the training wizard gives the plain error while the app keeps answering', async ({
  app,
  page,
  server,
  request,
}) => {
  const adapters = new AdaptersPage(page);
  await adapters.openWizardOnDemo(app, 16);
  await adapters.next.click();
  await adapters.choose('template', 'Write a prompt here…');

  await adapters.field('prompt').fill('Ticket for: {{ message }} in {{ tone }}\n');
  await page.getByTestId('wizard-refresh-preview').click();
  await expect(page.getByTestId('wizard-template-warnings')).toContainText(
    /"tone" \(line 1, column 33\) is not set for this row, so it rendered as empty text \(\d+ of \d+ rows\)/,
  );

  await adapters.field('prompt').fill(ENDLESS);
  const estimateSent = page.waitForRequest((r) => r.url().includes('/api/call/adapters/estimate'));
  await page.getByTestId('wizard-refresh-preview').click();
  await estimateSent;
  await expectAnswering(request, server, async () => {
    await page.getByTestId('wizard-prompt').press('End');
    await page.keyboard.type('.');
    await expect(page.getByTestId('wizard-prompt')).toHaveValue(`${ENDLESS}.`, { timeout: 1000 });
  });
  const error = page.getByTestId('wizard-error');
  await expect(error).toContainText(STOPPED, { timeout: 60_000 });
  await expect(error).not.toContainText(JARGON);
});
