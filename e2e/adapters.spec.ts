// Training an adapter from the Adapters screen on the demo model: the wizard defaults to a workspace dataset and the
// saved template its name suggests, an inline prompt is tried and given up, a LoRA dropout and a tiny step budget are
// set; then the live loss chart, the finished job, the adapter version in the list with its lineage, and Export job.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { AdaptersPage } from './pages/adapters-page';

test('the wizard trains a LoRA on a workspace dataset with a saved template and lists it with its lineage', async ({
  app,
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('adapters').click();
  const adapters = new AdaptersPage(page);
  await expect(page.getByTestId('empty-adapters')).toBeVisible();
  await adapters.trainButton.click();

  // Data: the demo's datasets are offered, the first one chosen, with its splits and target.
  await expect(adapters.field('source')).toContainText('Support triage v1');
  await expect(adapters.field('dataset-facts')).toContainText(/train \d+ · validation \d+ · test \d+ rows/);
  await expect(adapters.field('dataset-facts')).toContainText('"ticket"');
  await adapters.field('maxRows').fill('16');
  await adapters.next.click();

  // Template: the saved "Triage as JSON" by default; an inline prompt starts from it and renders the preview.
  await expect(adapters.field('template')).toContainText('Triage as JSON');
  await expect(adapters.field('template-source')).toContainText('Message: {{ message }}');
  await expect(page.getByTestId('wizard-preview')).toContainText('Triage this support message');
  await adapters.choose('template', 'Write a prompt here…');
  await adapters.field('prompt').fill('Ticket for: {{ message }}\n');
  await page.getByTestId('wizard-refresh-preview').click();
  await expect(page.getByTestId('wizard-preview')).toContainText('Ticket for:');
  await adapters.choose('template', 'Triage as JSON');
  await expect(page.getByTestId('wizard-preview')).toContainText('Triage this support message');
  await adapters.next.click();

  // Settings: the recommended preset; under Advanced a dropout out of range blocks Next; 0.1 is kept in the lineage.
  await expect(adapters.field('preset-balanced').getByRole('radio')).toBeChecked();
  await adapters.field('advanced').click();
  await adapters.field('dropout').fill('1');
  await expect(adapters.next).toBeDisabled();
  await adapters.field('dropout').fill('0.1');
  await adapters.field('maxSteps').fill('4');
  await adapters.field('batchSize').fill('4');
  await adapters.next.click();
  await expect(page.getByTestId('wizard-estimate')).toContainText(
    'Support triage v1 (train split); prompt: Triage as JSON v1',
  );
  await expect(page.getByTestId('wizard-estimate')).toContainText('4 optimizer steps');
  await expect(page.getByTestId('wizard-estimate')).toContainText('Adapter name: Support triage LoRA+soft 1');
  await expect(page.getByTestId('wizard-time')).toHaveAttribute('data-source', 'calibrated', { timeout: 120_000 });
  await expect(page.getByTestId('wizard-time')).toContainText(
    /About .+ \(an estimate; timed from 4 real steps on this machine/,
  );
  await adapters.start.click();

  await expect(adapters.job).toBeVisible();
  await expect(adapters.jobChart).toHaveAttribute('data-points', /[1-9]/, { timeout: 60_000 });
  await expect(adapters.items).toHaveCount(1, { timeout: 120_000 });
  await expect(adapters.items.first()).toContainText('Support triage LoRA+soft 1');
  await expect(adapters.job).toHaveCount(0);
  await expect(page.getByTestId('adapter-check')).toContainText('Active');
  await expect(adapters.lineage).toContainText('dataset:Support triage v1');
  await expect(adapters.lineage.getByRole('row', { name: /lora_dropout/ })).toContainText('0.1');
  await expect(page.getByTestId('adapter-loss-chart')).toHaveAttribute('data-points', '4');

  // Export job: the same job as a folder for transformers + PEFT, with its script and Dovetail's step-0 loss.
  const to = testInfo.outputPath('exported-job');
  const exported = await adapters.exportJobTo(to);
  expect(exported.path).toBe(to);
  expect(exported.text).toMatch(/16 rows, 4 steps, step-0 loss \d+\.\d{6}/);
  expect(existsSync(join(to, 'train_peft.py'))).toBe(true);
  expect(existsSync(join(to, 'data', 'train.jsonl'))).toBe(true);
});
