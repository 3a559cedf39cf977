// Imports from other tools in browser mode: a Parquet file and an OpenAI chat fine-tuning JSONL (through the chat
// mapping step, then exported back as chat JSONL) on the Datasets screen, and a promptfoo config on the Experiments
// screen, previewed, imported on the demo model and run to results with the real engine; then OpenAI graders added
// as the metrics of a new experiment, a label_model grader among them run by a judge specialization picked in the
// dialog, its column showing n, the unparseable answers and a CI.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { DatasetsPage } from './pages/datasets-page';
import { ExperimentsPage } from './pages/experiments-page';

const DATASET_FIXTURES = resolve('src/main/services/datasets/__fixtures__');
const PROMPTFOO_CONFIG = resolve('src/main/services/imports/__fixtures__/promptfooconfig.yaml');
const GRADERS = resolve('src/main/services/imports/__fixtures__/openai-graders.json');
const LABEL_GRADER = resolve('src/main/services/imports/__fixtures__/openai-label-grader.json');
const RUN_TIMEOUT = 120_000; // 2 prompts x 4 tests; the first run also starts the engine and loads the model

test.describe('datasets from other tools', () => {
  test.beforeEach(async ({ app }) => {
    await app.createWorkspace('Imports');
    await app.nav('datasets').click();
  });

  test('imports a Parquet file with its split column', async ({ page }) => {
    const datasets = new DatasetsPage(page);
    await datasets.chooseFile(resolve(DATASET_FIXTURES, 'qa.parquet'));
    await expect(datasets.dialog.getByTestId('import-inspection')).toContainText('PARQUET · 6 rows');
    await expect(datasets.mapping).toBeVisible();
    await expect(datasets.name).toHaveValue('qa');
    await datasets.submit.click();
    await expect(datasets.dialog).toBeHidden();
    await expect(datasets.fact('rows')).toContainText('6');
    await expect(datasets.fact('files')).toContainText('qa.parquet (6 rows');
    await expect(datasets.grid).toContainText('William Shakespeare');
  });

  test('imports OpenAI chat JSONL through the chat mapping and exports it back', async ({ page }) => {
    const datasets = new DatasetsPage(page);
    await datasets.chooseFile(resolve(DATASET_FIXTURES, 'openai-chat.jsonl'));
    const chat = datasets.dialog.getByTestId('import-chat-mapping');
    await expect(chat).toContainText('the last user message is the input');
    await expect(chat).toContainText('1 have earlier turns and 4 a system message');
    await expect(datasets.keep('history')).toBeVisible();
    // Earlier turns dropped: the sample is read again and the history column goes.
    await page.getByTestId('import-chat-history').click();
    await page.getByRole('option', { name: 'Drop them' }).click();
    await expect(datasets.keep('history')).toHaveCount(0);
    await expect(datasets.keep('system')).toBeVisible();
    await datasets.name.fill('Marv');
    await datasets.submit.click();
    await expect(datasets.dialog).toBeHidden();
    await expect(datasets.fact('rows')).toContainText('5');
    await expect(datasets.fact('fields')).toContainText('reference: string (reference)');
    await expect(datasets.grid).toContainText('Can you be more sarcastic?');

    const download = page.waitForEvent('download');
    await datasets.details.getByTestId('dataset-export-chat').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('marv-v1.chat.jsonl');
    const lines = readFileSync(await file.path(), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      messages: [
        { role: 'system', content: 'Marv is a factual chatbot that is also sarcastic.' },
        { role: 'user', content: "What's the capital of France?" },
        { role: 'assistant', content: "Paris, as if everyone doesn't know that already." },
      ],
    });
  });
});

test('imports a promptfoo config and runs the experiment it makes', async ({ app, page }) => {
  test.setTimeout(420_000);
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await app.nav('experiments').click();
  const x = new ExperimentsPage(page);
  await x.root.getByTestId('experiments-import-promptfoo').first().click();
  const dialog = page.getByTestId('promptfoo-dialog');
  await dialog.getByTestId('promptfoo-path').fill(PROMPTFOO_CONFIG);
  await dialog.getByTestId('promptfoo-preview').click();
  await expect(dialog.getByTestId('promptfoo-summary')).toContainText('2 templates, 4 tests as rows of the test split');
  await expect(dialog.getByTestId('promptfoo-template')).toHaveCount(2);
  await expect(dialog.getByTestId('promptfoo-metric')).toHaveCount(3);
  const unsupported = dialog.getByTestId('promptfoo-unsupported');
  for (const name of ['levenshtein', 'javascript', 'llm-rubric', 'starts-with', 'similar'])
    await expect(unsupported).toContainText(name);
  await expect(dialog.getByTestId('promptfoo-model')).toHaveText('dovetail-wordnet-13m');
  await dialog.getByTestId('promptfoo-name').fill('Capitals');
  await dialog.getByTestId('promptfoo-import').click();
  await expect(dialog).toBeHidden();

  await expect(x.view).toBeVisible();
  await expect(x.view).toContainText('Capitals');
  await x.view.getByTestId('experiment-run').click();
  await expect(x.state).toHaveText('completed', { timeout: RUN_TIMEOUT });
  await expect(x.progressText).toContainText('8 / 8 outputs');
  await expect(x.results).toBeVisible();
  await expect(x.view.getByTestId('metrics-row')).toHaveCount(2);

  // A judge for model graders: a specialization of the demo model without a template (given the grader's prompt).
  await x.tab('specializations').click();
  await x.button('specializations-new').click();
  const specDialog = page.getByTestId('specialization-dialog');
  await specDialog.getByTestId('spec-name').fill('Demo judge');
  await specDialog.getByTestId('spec-max-new-tokens').fill('8');
  await specDialog.getByTestId('spec-max-new-tokens').press('Control+Enter');
  await expect(specDialog).toBeHidden();
  await x.tab('experiments').click();

  // OpenAI graders as the metrics of a new experiment on the imported tests: four map; without a judge the model
  // graders are named as needing one.
  await x.newExperiment.click();
  await expect(x.dialog).toBeVisible();
  await x.choose('experiment-dataset', /Capitals/);
  await x.field('design-compare').click();
  await x.dialog.getByTestId('design-specializations').getByRole('combobox').click();
  await page.getByRole('option', { name: 'Capitals: Prompt 1' }).click();
  await x.dialog.locator('h2').click(); // closes the options list, not the dialog
  const before = await x.dialog.getByTestId('metric-row').count();
  await x.dialog.getByTestId('metrics-import-graders').click();
  const graders = page.getByTestId('graders-dialog');
  await graders.getByTestId('graders-path').fill(GRADERS);
  await graders.getByRole('button', { name: 'Preview' }).click();
  await expect(graders.getByTestId('graders-metric')).toHaveCount(4);
  await expect(graders.getByTestId('graders-unsupported')).toContainText(
    'Helpfulness (score_model): grades with a model (o4-mini); pick a judge specialization',
  );
  await expect(graders.getByTestId('graders-needs-judge')).toBeVisible();
  await graders.getByTestId('graders-add').click();
  await expect(graders).toBeHidden();
  await expect(x.dialog.getByTestId('metric-row')).toHaveCount(before + 4);
  await expect(x.dialog.getByTestId('metric-picker')).toContainText('ROUGE-L overlap');

  // A label_model grader with the judge picked: it becomes a judge metric, run locally with the experiment.
  await x.dialog.getByTestId('metrics-import-graders').click();
  await graders.getByTestId('graders-path').fill(LABEL_GRADER);
  await graders.getByRole('button', { name: 'Preview' }).click();
  await expect(graders.getByTestId('graders-unsupported')).toContainText('Kind of answer (label_model)');
  await x.choose('graders-judge', 'Demo judge');
  await expect(graders.getByTestId('graders-metric')).toHaveText(
    'Kind of answer (label_model): Judge: type of type, part, instance (judged by the local "Demo judge" instead of gpt-4o-mini, decoded greedily (sampling_params are not used))',
  );
  await graders.getByTestId('graders-add').click();
  await expect(graders).toBeHidden();
  await expect(x.dialog.getByTestId('metric-row')).toHaveCount(before + 5);
  await x.dialog.getByTestId('experiment-create-run').click();
  await expect(x.dialog).toBeHidden();
  await expect(x.state).toHaveText('completed', { timeout: RUN_TIMEOUT });
  // The demo model answers badly: some answers name no label and are counted as unparseable, not scored.
  const judged = x.view.getByTestId('metric-judge');
  await expect(judged).toHaveText(/^n = \d+ of 4 answers( · \d+ unparseable)? · judge Demo judge$/);
  const column = x.view.getByTestId('metrics-row').first().getByTestId('metric-value').last();
  await expect(column).toContainText(/\d/);
  await expect(column).toContainText(/\(.*\)/); // the bootstrap CI beside the value
});
