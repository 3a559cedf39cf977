// The preview's live run in browser mode: a row of the demo dataset previewed with the demo model (the default, the
// first registered one) shows its token count against the context window; Run streams the model's answer, and
// Ctrl+Enter in the preview runs it again.
import { expect, test } from './fixtures';
import { callApi, PromptsPage, supportTriageVersion } from './pages/prompts-page';

test('preview a row, see its tokens against the context window, run it and see the streamed answer', async ({
  app,
  page,
  server,
  request,
}) => {
  await callApi(request, server, 'demo/openDemoWorkspace', {});
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await supportTriageVersion(request, server);
  const prompts = new PromptsPage(page);

  await app.nav('prompts').click();
  await prompts.newTemplate.click();
  await prompts.choose('preview-dataset', 'Support triage v1');
  await expect(prompts.previewText).toContainText('Message: ');

  // The demo model is picked by default; the count is its tokenizer's, well within its window.
  await expect(page.getByTestId('preview-model')).not.toBeEmpty();
  const count = page.getByTestId('preview-token-count');
  await expect(count).toHaveText(/^\d+ \/ [\d,]+ tokens$/);
  await expect(page.getByTestId('preview-tokens')).toHaveAttribute('data-level', 'ok');
  await expect(page.getByTestId('preview-token-over')).toBeHidden();

  // Run: the answer streams into the preview and the run ends.
  const status = page.getByTestId('preview-run-status');
  await page.getByTestId('preview-run').click();
  await expect(status).toHaveAttribute('data-phase', 'finished', { timeout: 60_000 });
  const output = page.getByTestId('preview-run-output');
  await expect(output).not.toBeEmpty();
  const first = await output.textContent();
  const firstRun = await status.getAttribute('data-run');
  expect(firstRun).toBeTruthy();

  // Ctrl+Enter inside the preview runs again; greedy decoding gives the same answer for the same row.
  await page.getByTestId('preview-token-count').click();
  await page.keyboard.press('Control+Enter');
  await expect(status).not.toHaveAttribute('data-run', firstRun ?? '');
  await expect(status).toHaveAttribute('data-phase', 'finished', { timeout: 60_000 });
  await expect(output).toHaveText(first ?? '');
});
