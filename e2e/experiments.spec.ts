// Experiments in browser mode with the real engine and the demo workspace: the template and a template-only
// specialization are made through the API (as another part of the app would), then the UI creates an ablation on
// the first 8 test rows of the demo's WordNet dataset, runs it, and shows progress, results with the chart and the
// verdict, the side-by-side grid with its filters and the drill-down of one example; then a second specialization
// from the dialog and "Try live".
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import type { DovetailServer } from './fixtures/server';
import { ExperimentsPage } from './pages/experiments-page';

const RUN_TIMEOUT = 90_000; // two cells x 8 rows; the first run also starts the engine and loads the model
const TEMPLATE = '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:';

/** One contract call over the HTTP API, as the page makes it; throws with the service's error. */
async function call<T>(
  request: APIRequestContext,
  server: DovetailServer,
  service: string,
  method: string,
  arg: unknown = {},
): Promise<T> {
  const response = await request.post(`${server.origin}/api/call/${service}/${method}`, {
    data: arg,
    headers: { 'x-dovetail-token': server.token },
  });
  const body = (await response.json()) as { ok: boolean; result: T; error?: unknown };
  if (!body.ok) throw new Error(`${service}.${method} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

test('an ablation runs with live progress and shows results, side by side outputs and one example in depth', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(180_000);
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');

  // The demo workspace opens first, then its datasets are imported: wait for the one this test uses.
  await expect
    .poll(async () => (await call<{ name: string }[]>(request, server, 'datasets', 'list')).map((d) => d.name), {
      timeout: 60_000,
    })
    .toContain('WordNet supersense');
  const [model] = await call<{ id: string }[]>(request, server, 'models', 'list');
  const template = await call<{ id: string }>(request, server, 'templates', 'save', {
    name: 'Supersense',
    source: TEMPLATE,
  });
  await call(request, server, 'specializations', 'create', {
    name: 'Supersense template',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 6 },
  });

  await app.nav('experiments').click();
  const x = new ExperimentsPage(page);
  await expect(x.empty.getByRole('heading', { name: 'No experiments yet' })).toBeVisible();
  await x.newExperiment.click();
  await expect(x.dialog).toBeVisible();
  await x.choose('experiment-dataset', /WordNet supersense/);
  await expect(x.page.getByTestId('experiment-split')).toContainText(/test \(\d+ rows\)/);
  await x.field('experiment-limit').fill('8');
  await x.field('design-ablation').click();
  await x.choose('design-ablation-spec', /Supersense template/);
  await expect(x.dialog.getByTestId('ablation-cell')).toHaveText(['base', 'base + template']);
  // Text references: exact match (primary), chrF, ROUGE-L.
  await expect(x.dialog.getByTestId('metric-row')).toHaveCount(3);
  await expect(x.field('experiment-name')).toHaveValue('Ablation of Supersense template on WordNet supersense (test)');
  // A performance budget: no prompt fits in 2 tokens; the engine's memory fits in 100,000 MiB.
  await x.field('budget-maxContextTokens').fill('2');
  await x.field('budget-maxMemoryMiB').fill('100000');
  await x.field('experiment-limit').press('Control+Enter');

  await expect(x.dialog).toBeHidden();
  await expect(x.view).toBeVisible();
  await expect(x.progressText).toContainText('/ 16 outputs', { timeout: RUN_TIMEOUT });
  await expect(x.state).toHaveText('completed', { timeout: RUN_TIMEOUT });
  await expect(x.progressText).toContainText('16 / 16 outputs');

  await expect(x.verdict).toContainText('template');
  // The direct row against the base model comes first, with its CI and how to read it.
  await expect(page.getByTestId('verdict-vs-base-row')).toHaveCount(1);
  await expect(page.getByTestId('verdict-vs-base-row')).toContainText(
    /^base \+ template vs base: .+ against .+, .+\(.+\)/,
  );
  await expect(page.getByTestId('verdict-help')).toBeVisible();
  await expect(x.cellMeansChart).toHaveAttribute('data-bars', '2');
  await expect(x.cellMeansChart.getByTestId('ci-whiskers')).toBeAttached();
  await expect(x.effectsChart).toHaveAttribute('data-bars', '1');
  await expect(x.view.getByTestId('metrics-row')).toHaveCount(2);
  await expect(x.view.getByTestId('metric-value').first()).toHaveText(/^\d+\.\d( \(\d+\.\d-\d+\.\d\))?/);
  await expect(x.view.getByTestId('effect-row')).toHaveCount(1);
  // The budget beside the quality metrics: judged per cell and limit, missed as a whole.
  await expect(x.view.getByTestId('results-budget')).toHaveText('misses the performance budget');
  const budgetRows = x.view.getByTestId('budget-row');
  await expect(budgetRows).toHaveCount(2);
  for (const row of await budgetRows.all()) {
    await expect(row.getByTestId('budget-maxContextTokens')).toContainText(/\d+ tokens/);
    await expect(row.getByTestId('budget-maxContextTokens').getByTestId('budget-chip')).toHaveAttribute(
      'data-met',
      'false',
    );
    await expect(row.getByTestId('budget-maxMemoryMiB')).toContainText(/\d+ MiB/);
    await expect(row.getByTestId('budget-maxMemoryMiB').getByTestId('budget-chip')).toHaveAttribute('data-met', 'true');
  }
  // Context cost per component: the template adds tokens in the templated cell only.
  const costRows = x.view.getByTestId('context-cost-row');
  await expect(costRows).toHaveCount(2);
  await expect(costRows.nth(0).getByTestId('cost-template')).toHaveText('+0.0');
  await expect(costRows.nth(1).getByTestId('cost-template')).not.toHaveText('+0.0');
  const download = page.waitForEvent('download');
  await x.button('experiment-export').click();
  await page.getByTestId('experiment-export-html').click();
  expect((await download).suggestedFilename()).toMatch(/\.html$/);

  await x.tab('outputs').click();
  await expect(x.gridCount).toHaveText('8 examples');
  await expect(x.grid.getByRole('row', { name: /tip-top table/ })).toBeVisible(); // the first test row
  await x.view.getByTestId('filter-disagreements').click();
  await expect(x.gridCount).toContainText('cells disagree');
  const outputCell = x.grid.getByTestId('output-cell').first();
  await expect(outputCell).toBeVisible();
  await outputCell.click();
  await expect(x.drawer).toBeVisible();
  await expect(x.drawer.getByTestId('example-cell')).toHaveCount(2);
  await expect(x.drawer.getByTestId('example-prompt').nth(1)).toContainText('Supersense:');
  await expect(x.drawer.getByTestId('example-stats').first()).toContainText('prompt tokens');
  await page.keyboard.press('Escape');
  await expect(x.drawer).toBeHidden();

  await x.tab('specializations').click();
  await expect(x.root.getByTestId('specialization-item')).toHaveCount(1);
  await expect(x.root.getByTestId('part-template')).toHaveText('template v1');
  await x.root.getByTestId('specialization-cost').click();
  const cost = page.getByTestId('context-cost-dialog');
  await expect(cost.getByTestId('context-cost-row')).toHaveCount(1);
  await expect(cost.getByTestId('cost-template')).not.toHaveText('+0.0');
  await page.keyboard.press('Escape');
  await expect(cost).toBeHidden();

  // Try live needs two specializations (the ablation's cells are not offered); the second comes from the dialog.
  await x.tab('live').click();
  await expect(x.root.getByTestId('try-live-empty')).toBeVisible();
  await x.tab('specializations').click();
  await x.button('specializations-new').click();
  const dialog = page.getByTestId('specialization-dialog');
  await dialog.getByTestId('spec-create').click();
  await expect(dialog).toContainText('A name is required');
  await dialog.getByTestId('spec-name').fill('Base model');
  await dialog.getByTestId('spec-max-new-tokens').fill('7');
  await dialog.getByTestId('spec-max-new-tokens').press('Control+Enter');
  await expect(dialog).toBeHidden();
  await expect(x.root.getByTestId('specialization-item')).toHaveCount(2);
  await x.tab('live').click();
  await expect(x.root.getByTestId('try-live')).toBeVisible();
  await x.root.getByTestId('try-field-word').fill('lighthouse');
  await x.root.getByTestId('try-field-pos').fill('noun');
  await x.root.getByTestId('try-field-definition').fill('a tower with a light that guides ships');
  await x.root.getByTestId('try-field-definition').press('Control+Enter');
  await expect(x.root.getByTestId('try-answer')).toHaveCount(2);
  for (const answer of await x.root.getByTestId('try-answer').all()) {
    await expect(answer).toHaveAttribute('data-phase', 'finished', { timeout: RUN_TIMEOUT });
    await expect(answer.getByTestId('try-output')).not.toBeEmpty();
  }
});
