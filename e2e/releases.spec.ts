// Shipping a specialization through channels in browser mode with the real engine: a release is made from a
// finished comparison, goes to dev, is refused by production's gates with each reason shown, passes once another
// person approves it, and a newer release that went to production is rolled back with one click; exported as a
// bundle and imported into another workspace, it verifies and gives the same greedy outputs there; its report lists
// the channels' history.
import fs from 'node:fs';
import { expect, test } from './fixtures';
import { apiOk as ok, apiReply, datasetVersionId, openDemo, runExperiment } from './fixtures/api';
import { UsersMenu } from './pages/users-menu';

test('a release goes to dev, is refused by production until approved by someone else, rolls back in one click, and its bundle verifies and runs the same in another workspace', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(300_000);
  await openDemo(app, page, request, server);

  // Two specializations compared on 40 test rows: the evidence a release carries.
  const versionId = await datasetVersionId(request, server, 'WordNet supersense');
  const [model] = await ok<{ id: string }[]>(request, server, 'models/list');
  const template = await ok<{ id: string }>(request, server, 'templates/save', {
    name: 'Supersense',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:',
  });
  const tuned = await ok<{ id: string }>(request, server, 'specializations/create', {
    name: 'Supersense tuned',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 6 },
  });
  const plain = await ok<{ id: string }>(request, server, 'specializations/create', {
    name: 'Supersense plain',
    modelId: model!.id,
    decoding: { max_new_tokens: 6 },
  });
  const check = await runExperiment(request, server, {
    name: 'Release check',
    datasetVersionId: versionId,
    split: 'test',
    limit: 40,
    design: { kind: 'compare', specializationIds: [plain.id, tuned.id] },
    metrics: [{ kind: 'exact_match' }],
  });

  // The owner (an admin) protects their profile, adds an analyst who will approve, and gates production.
  const users = new UsersMenu(page);
  await users.setPassphrase('owner passphrase');
  await users.addUser('Bea', 'analyst');
  await app.nav('releases').click();
  await page.getByTestId('release-new').click();
  await page.getByTestId('release-spec').click();
  await page.locator('[data-testid="release-spec-option"][data-name="Supersense tuned"]').click();
  await expect(page.getByTestId('release-version')).toHaveValue('1.0.0');
  await page.locator('[data-testid="evidence-experiment"][data-name="Release check"] input').check();
  await page.getByTestId('release-create').click();
  await expect(page.getByTestId('release-dialog')).toBeHidden();
  const details = page.getByTestId('release-details');
  await expect(details).toContainText('Supersense tuned 1.0.0');
  await expect(details.getByTestId('release-part')).toHaveCount(3); // specialization, base model, template
  await expect(details.getByTestId('release-evidence')).toContainText('Exact match');
  await expect(details.getByTestId('release-evidence')).toContainText('n=40');

  const channel = (name: string) => page.locator(`[data-testid="channel-card"][data-channel="${name}"]`);
  await channel('production').getByTestId('channel-gates').click();
  await page.getByTestId('gate-approval').locator('input').check();
  await page.getByTestId('gates-save').click();
  await expect(channel('production')).toContainText('approval by another person');

  // staging carries a performance budget: no prompt fits in 2 tokens, so the release's measured context misses it.
  await channel('staging').getByTestId('channel-gates').click();
  await page.getByTestId('budget-maxContextTokens').fill('2');
  await page.getByTestId('gates-save').click();
  await expect(channel('staging')).toContainText('context <= 2 tokens');
  await channel('staging').getByTestId('channel-promote').click();
  const overBudget = page.locator('[data-testid="promote-check"][data-met="false"]');
  await expect(overBudget).toHaveCount(1);
  await expect(overBudget).toContainText(/Context tokens.*\d+ tokens over 40 calls; needs at most 2 tokens/);
  await expect(page.getByTestId('promote-confirm')).toBeDisabled();
  await page.getByTestId('promote-cancel').click();
  // Within a roomier budget it goes, and the card shows the budget against the release's measured figures.
  await channel('staging').getByTestId('channel-gates').click();
  await page.getByTestId('budget-maxContextTokens').fill('100000');
  await page.getByTestId('gates-save').click();
  await channel('staging').getByTestId('channel-promote').click();
  await page.getByTestId('promote-confirm').click();
  await expect(channel('staging').getByTestId('channel-release')).toHaveText('Supersense tuned 1.0.0');
  const budget = channel('staging').getByTestId('channel-budget');
  await expect(budget.getByTestId('channel-budget-evidence')).toHaveAttribute('data-met', 'true');
  await expect(budget).toContainText('as measured in "Release check"');
  await expect(budget).toContainText('Not served yet');

  // dev has no gates.
  await channel('dev').getByTestId('channel-promote').click();
  await expect(page.getByTestId('promote-dialog')).toContainText('has no gates');
  await page.getByTestId('promote-confirm').click();
  await expect(channel('dev').getByTestId('channel-release')).toHaveText('Supersense tuned 1.0.0');

  // production refuses: the author cannot be the approver.
  await channel('production').getByTestId('channel-promote').click();
  const unmet = page.locator('[data-testid="promote-check"][data-met="false"]');
  await expect(unmet).toHaveCount(1);
  await expect(unmet).toContainText('Needs an approval by someone other than its author, Owner');
  await expect(page.getByTestId('promote-confirm')).toBeDisabled();
  await page.getByTestId('promote-cancel').click();
  const refused = await apiReply(request, server, 'releases/promote', {
    channelId: 'channel-production',
    releaseId: (await ok<{ id: string }[]>(request, server, 'releases/list'))[0]!.id,
  });
  expect(refused.ok ? 'promoted' : refused.error.message).toContain('1 gate not met');
  await expect(details.getByTestId('release-approve')).toHaveCount(0);

  // Bea approves; the owner promotes.
  await users.signIn('Bea');
  await details.getByTestId('release-approve').click();
  await expect(details.getByTestId('release-approvals')).toContainText('Bea');
  await users.signIn('Owner', 'owner passphrase');
  await channel('production').getByTestId('channel-promote').click();
  await expect(page.locator('[data-testid="promote-check"][data-met="true"]')).toContainText('Approved by Bea');
  await page.getByTestId('promote-confirm').click();
  await expect(channel('production').getByTestId('channel-release')).toHaveText('Supersense tuned 1.0.0');
  await expect(channel('production').getByTestId('channel-rollback')).toBeDisabled();

  // 1.1.0 (the plain specialization, approved by Bea) replaces it, and one click brings 1.0.0 back.
  await page.getByTestId('release-new').click();
  await page.getByTestId('release-spec').click();
  await page.locator('[data-testid="release-spec-option"][data-name="Supersense plain"]').click();
  await page.getByTestId('release-name').fill('Supersense tuned');
  await expect(page.getByTestId('release-version')).toHaveValue('1.1.0');
  await page.getByTestId('release-create').click();
  await expect(details).toContainText('Supersense tuned 1.1.0');
  await users.signIn('Bea');
  await details.getByTestId('release-approve').click();
  await expect(details.getByTestId('release-approvals')).toContainText('Bea');
  await users.signIn('Owner', 'owner passphrase');
  await channel('production').getByTestId('channel-promote').click();
  await page.getByTestId('promote-release').click();
  await page.locator('[data-testid="promote-release-option"][data-release="Supersense tuned 1.1.0"]').click();
  await expect(page.locator('[data-testid="promote-check"][data-met="true"]')).toHaveCount(1);
  await page.getByTestId('promote-confirm').click();
  await expect(channel('production').getByTestId('channel-release')).toHaveText('Supersense tuned 1.1.0');
  await channel('production').getByTestId('channel-rollback').click();
  await expect(channel('production').getByTestId('channel-release')).toHaveText('Supersense tuned 1.0.0');
  await channel('production').getByTestId('channel-history-toggle').click();
  await expect(channel('production').getByTestId('channel-history')).toContainText(
    'Rolled back to Supersense tuned 1.0.0',
  );
  await expect(channel('production').getByTestId('channel-history')).toContainText(
    'from Supersense tuned 1.1.0 by Owner',
  );

  // 1.0.0 as a bundle, imported into another demo workspace: verified, and the same greedy outputs there.
  await page.locator('[data-testid="release-row"][data-release="Supersense tuned 1.0.0"]').click();
  // Its report: contents, gates and the history of every channel it has been on, by release names.
  const reportDownload = page.waitForEvent('download');
  await details.getByTestId('release-export-report').click();
  await page.getByTestId('release-export-report-json').click();
  const report = JSON.parse(await fs.promises.readFile(await (await reportDownload).path(), 'utf8')) as {
    kind: string;
    title: string;
    blocks: { type: string; id?: string; rows?: (string | number | null)[][] }[];
  };
  expect([report.kind, report.title]).toEqual(['release', 'Supersense tuned 1.0.0']);
  const history = report.blocks.find((b) => b.id === 'channel-history')?.rows ?? [];
  expect(history.map((r) => [r[0], r[1], r[3]])).toEqual([
    ['staging', 'promotion', 'Supersense tuned 1.0.0'],
    ['dev', 'promotion', 'Supersense tuned 1.0.0'],
    ['production', 'promotion', 'Supersense tuned 1.0.0'],
    ['production', 'promotion', 'Supersense tuned 1.1.0'],
    ['production', 'rollback', 'Supersense tuned 1.0.0'],
  ]);
  await details.getByTestId('release-export').click();
  const bundles = `${server.workspacesDir}/bundles`;
  await page.getByTestId('export-bundle-folder').fill(bundles);
  await page.getByTestId('export-bundle-confirm').click();
  await expect(page.getByTestId('export-bundle-done')).toContainText(`${bundles}/Supersense-tuned-1.0.0`);
  await page.getByTestId('export-bundle-close').click();
  const tunedOutputs = (
    await ok<{ rows: { outputs: { text: string | null }[] }[] }>(request, server, 'experiments/outputs', {
      id: check.id,
      limit: 40,
    })
  ).rows.map((r) => r.outputs[1]?.text);

  await ok(request, server, 'demo/openDemoWorkspace', { path: `${server.workspacesDir}/second-demo` });
  await expect
    .poll(async () => (await ok<{ name: string }[]>(request, server, 'datasets/list')).map((d) => d.name), {
      timeout: 60_000,
    })
    .toContain('WordNet supersense');
  await users.signIn('Owner');
  await app.nav('releases').click();
  await page.getByTestId('release-import').click();
  await page.getByTestId('import-bundle-folder').fill(`${bundles}/Supersense-tuned-1.0.0`);
  await page.getByTestId('import-bundle-confirm').click();
  await expect(page.getByTestId('import-bundle-done')).toContainText('files match the bundle');
  await expect(page.getByTestId('import-bundle-done')).toContainText('same content hash as the exported one');
  await page.getByTestId('import-bundle-close').click();
  await expect(details).toContainText('Supersense tuned 1.0.0');
  await expect(details).toContainText('its evidence and approvals stay with that workspace');
  const [imported] = await ok<{ specializationId: string }[]>(request, server, 'releases/list');
  const there = await runExperiment(request, server, {
    name: 'Imported check',
    datasetVersionId: await datasetVersionId(request, server, 'WordNet supersense'),
    split: 'test',
    limit: 40,
    design: { kind: 'compare', specializationIds: [imported!.specializationId] },
    metrics: [{ kind: 'exact_match' }],
  });
  const importedOutputs = (
    await ok<{ rows: { outputs: { text: string | null }[] }[] }>(request, server, 'experiments/outputs', {
      id: there.id,
      limit: 40,
    })
  ).rows.map((r) => r.outputs[0]?.text);
  expect(importedOutputs).toHaveLength(40);
  expect(importedOutputs).toEqual(tunedOutputs);
});
