// Failure modes, a robustness probe and a drift audit in browser mode with the real engine: an experiment's
// "Failure modes" tab shows categories with rates and a workspace rule's category, a probe fills its consistency
// table, and a release's audit set is attached and audited from its page, the outcome shown there and in the Audit
// section.
import { expect, test } from './fixtures';
import { apiOk as ok, openDemo, runExperiment, templateSpecialization } from './fixtures/api';

test('failure modes with a rule, a probe with its consistency table, and a drift audit from the release page', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(400_000);
  await openDemo(app, page, request, server);
  const { versionId, specializationId } = await templateSpecialization(request, server, {
    dataset: 'WordNet supersense',
    name: 'Supersense tuned',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:',
    maxNewTokens: 6,
  });
  const tuned = { id: specializationId };
  const check = await runExperiment(request, server, {
    name: 'Robustness check',
    datasetVersionId: versionId,
    split: 'test',
    limit: 12,
    design: { kind: 'compare', specializationIds: [tuned.id] },
    metrics: [{ kind: 'exact_match' }],
  });

  await app.nav('experiments').click();
  await page.getByTestId('experiment-item').filter({ hasText: 'Robustness check' }).click();
  await page.getByTestId('tab-failures').click();
  const categories = page.getByTestId('failure-category');
  await expect(categories.filter({ hasText: 'Exact match failed' })).toContainText('/ 12');

  // A rule of the workspace becomes a category of its own.
  const rules = page.getByTestId('failure-rules');
  await rules.getByLabel('Category name').fill('any output');
  await rules.getByLabel('Rule').click();
  await page.getByRole('option', { name: 'Longer than (characters)' }).click();
  await rules.getByLabel('Characters').fill('0');
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await expect(rules.getByTestId('failure-rule')).toContainText('any output');
  await expect(categories.filter({ hasText: 'any output' })).toContainText('rule');

  await page.getByTestId('robustness-probe').click();
  const probeRows = page.getByTestId('probe-row');
  await expect(probeRows).toHaveCount(8, { timeout: 60_000 });
  await expect(page.getByTestId('probes')).not.toContainText('Still running', { timeout: 200_000 });
  await expect(probeRows.filter({ hasText: 'casing' })).toContainText('12');

  const release = await ok<{ id: string }>(request, server, 'releases/create', {
    specializationId: tuned.id,
    name: 'Supersense tuned',
    version: '1.0.0',
    notes: '',
    experimentIds: [check.id],
    roundIds: [],
  });
  expect(release.id).toBeTruthy();
  await app.nav('releases').click();
  await page.locator('[data-testid="release-row"][data-release="Supersense tuned 1.0.0"]').click();
  const drift = page.getByTestId('release-drift');
  await drift.getByTestId('drift-set-audit-set').click();
  await expect(drift).toContainText('every 30 days');
  await drift.getByTestId('drift-audit-now').click();
  // An unchanged release: no drift (latency alone may read as "Changed" on a busy machine).
  await expect(drift.getByTestId('drift-audit-state')).toHaveText(/^(No drift|Changed)$/, { timeout: 200_000 });
  await expect(drift.getByTestId('drift-audit')).toContainText('0 of 12 outputs changed');

  await app.nav('audit').click();
  await expect(page.getByTestId('audit-drift')).toContainText('Supersense tuned 1.0.0');
});
