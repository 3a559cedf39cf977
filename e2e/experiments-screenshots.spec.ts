// Screenshots of the Experiments section for people to look at (not compared): test-results/screenshots/*.png.
// Not part of `npm test`; run with `npm run screenshots` (after a build).
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import type { DovetailServer } from './fixtures/server';
import { ExperimentsPage } from './pages/experiments-page';

const DIR = 'test-results/screenshots';

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

test('screenshots of an ablation: results, side by side, an example, the dialog and try live @screenshots', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await expect
    .poll(async () => (await call<{ name: string }[]>(request, server, 'datasets', 'list')).map((d) => d.name), {
      timeout: 60_000,
    })
    .toContain('WordNet supersense');
  const [model] = await call<{ id: string }[]>(request, server, 'models', 'list');
  const datasets = await call<{ name: string; versions: { id: string }[] }[]>(request, server, 'datasets', 'list');
  const wordnet = datasets.find((d) => d.name === 'WordNet supersense')!;
  const template = await call<{ id: string }>(request, server, 'templates', 'save', {
    name: 'Supersense',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:',
  });
  const spec = await call<{ id: string }>(request, server, 'specializations', 'create', {
    name: 'Supersense template',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 6 },
  });
  await call(request, server, 'specializations', 'create', {
    name: 'Base model',
    modelId: model!.id,
    decoding: { max_new_tokens: 7 },
  });

  await app.nav('experiments').click();
  const x = new ExperimentsPage(page);
  await x.newExperiment.click();
  await x.choose('experiment-dataset', /WordNet supersense/);
  await x.field('experiment-limit').fill('16');
  await x.field('design-ablation').click();
  await x.choose('design-ablation-spec', /Supersense template/);
  await page.screenshot({ path: `${DIR}/experiments-new.png` });
  await page.keyboard.press('Escape');
  const experiment = await call<{ id: string }>(request, server, 'experiments', 'create', {
    name: 'Supersense ablation',
    datasetVersionId: wordnet.versions[0]!.id,
    split: 'test',
    limit: 16,
    design: { kind: 'ablation', specializationId: spec.id },
    metrics: [{ kind: 'chrf', threshold: 0.2 }, { kind: 'exact_match' }, { kind: 'rouge_l' }],
    budget: { p95LatencyMs: 2000, maxContextTokens: 40, maxMemoryMiB: 4096 },
  });
  await call(request, server, 'experiments', 'run', { id: experiment.id });
  await expect(x.state).toHaveText('completed', { timeout: 120_000 });
  await expect(x.cellMeansChart).toBeVisible();
  await page.screenshot({ path: `${DIR}/experiments-results.png` });
  await x.view.getByTestId('metrics-section').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/experiments-results-tables.png` });
  await x.view.getByTestId('budget-section').scrollIntoViewIfNeeded();
  await expect(x.view.getByTestId('context-cost-row')).toHaveCount(2);
  await page.screenshot({ path: `${DIR}/experiments-results-budget.png` });
  await x.view.getByTestId('cost-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/experiments-results-cost.png` });
  await x.tab('outputs').click();
  await expect(x.gridCount).toHaveText('16 examples');
  await page.screenshot({ path: `${DIR}/experiments-side-by-side.png` });
  await x.grid.getByTestId('output-cell').first().click();
  await expect(x.drawer.getByTestId('example-cell')).toHaveCount(2);
  await page.screenshot({ path: `${DIR}/experiments-example.png` });
  await page.keyboard.press('Escape');
  await x.tab('specializations').click();
  await page.screenshot({ path: `${DIR}/experiments-specializations.png` });
  await x.tab('live').click();
  await x.root.getByTestId('try-field-word').fill('lighthouse');
  await x.root.getByTestId('try-field-pos').fill('noun');
  await x.root.getByTestId('try-field-definition').fill('a tower with a light that guides ships');
  await x.root.getByTestId('try-run').click();
  for (const answer of await x.root.getByTestId('try-answer').all())
    await expect(answer).toHaveAttribute('data-phase', 'finished', { timeout: 60_000 });
  await page.screenshot({ path: `${DIR}/experiments-try-live.png` });
});
