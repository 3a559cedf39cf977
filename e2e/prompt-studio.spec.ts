// The prompt studio in browser mode, as a domain expert uses it: a typo shows an inline parser error at its place,
// fixed it previews a row; two versions are compared in the diff editor; the author submits for review but cannot
// approve; another user (added and switched to in the top bar) runs the checks and approves.
import { expect, test } from './fixtures';
import { callApi, PromptsPage, supportTriageVersion } from './pages/prompts-page';
import { UsersMenu } from './pages/users-menu';

const FIRST = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
const SECOND = 'Triage this support message. Reply with JSON only.\nMessage: {{ message }}\nTicket: ';

test('typo, inline error, fix, preview, two versions, diff, review and approval by another user', async ({
  app,
  page,
  server,
  request,
}) => {
  // Several flows in one test (checks wait up to 90 s on their own); typing alone takes a minute on a busy 2-core box.
  test.setTimeout(240_000);
  await callApi(request, server, 'demo/openDemoWorkspace', {});
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await supportTriageVersion(request, server);
  const prompts = new PromptsPage(page);
  await expect(prompts.currentUser).toHaveText('Owner');

  await app.nav('prompts').click();
  await prompts.newTemplate.click();
  await prompts.choose('preview-dataset', 'Support triage v1');
  await expect(prompts.editor.lines).toContainText('Triage this support message as JSON.');
  await prompts.name.fill('Studio prompt');

  // A typo: the parser's error inline (a marker in the editor) and under it, with its line and column.
  await prompts.editor.replace('Triage this support message as JSON.\nMessage: {{ message | }}\nTicket: ');
  await expect(prompts.editorError).toContainText('Line 2, column 10');
  await expect(prompts.editor.root.locator('.squiggly-error')).toHaveCount(1);
  await prompts.editor.replace(FIRST);
  await expect(prompts.editorError).toBeHidden();
  await expect(prompts.editor.root.locator('.squiggly-error')).toHaveCount(0);
  await expect(prompts.previewText).toContainText('Triage this support message as JSON.');
  await expect(prompts.previewText).toContainText('Message: ');

  // Two versions.
  await prompts.message.fill('First version');
  await prompts.save.click();
  await expect(prompts.versions).toHaveCount(1);
  // One version: Compare is off and says why; with two it is on.
  await expect(prompts.compare).toBeDisabled();
  await expect(page.getByTestId('template-compare-hint')).toContainText('Save a second version');
  await prompts.editor.replace(SECOND);
  await prompts.message.fill('JSON only');
  await prompts.save.click();
  await expect(prompts.versions).toHaveCount(2);
  await expect(prompts.version(2)).toHaveAttribute('data-status', 'draft');
  await expect(prompts.compare).toBeEnabled();
  await expect(prompts.compare).toHaveText('Compare v1 and v2');

  // The diff editor between them.
  await prompts.tickVersion(1).check();
  await prompts.tickVersion(2).check();
  await prompts.compare.click();
  await expect(prompts.diffDialog.locator('.monaco-diff-editor')).toBeVisible({ timeout: 30_000 });
  await expect(
    prompts.diffDialog.locator('.modified-in-monaco-diff-editor .view-lines:not(.line-delete)'),
  ).toContainText('Reply with JSON only.');
  await expect(
    prompts.diffDialog.locator('.original-in-monaco-diff-editor .view-lines:not(.line-delete)'),
  ).toContainText('Triage this support message as JSON.');
  await page.getByTestId('template-diff-close').click();
  await expect(prompts.diffDialog).toBeHidden();

  // Submitted by its author, who cannot approve it.
  await prompts.move('in-review').click();
  await expect(prompts.status).toHaveText('in review');
  await prompts.move('approved').click();
  await expect(prompts.statusError).toContainText('cannot approve it');
  await expect(prompts.status).toHaveText('in review');

  // Another user runs the checks and approves. The Owner (an admin) protects their profile before adding users;
  // Rita, an editor who approves, needs a passphrase too, and signing in to her profile asks for it.
  const users = new UsersMenu(page);
  await users.current.click();
  await expect(page.getByTestId('unprotected-admin')).toBeVisible();
  await expect(page.getByTestId('user-add')).toBeVisible();
  await page.keyboard.press('Escape');
  await users.setPassphrase('owner passphrase');
  await users.addUser('Rita', 'editor', 'rita passphrase');
  await users.current.click();
  await page.locator('[data-testid="user-option"][data-user="Rita"]').click();
  await page.getByTestId('passphrase-input').fill('not her passphrase');
  await page.getByTestId('passphrase-submit').click();
  await expect(page.getByTestId('passphrase-dialog')).toContainText('Wrong passphrase for Rita');
  await expect(users.current).toHaveText('Owner');
  await page.getByTestId('passphrase-input').fill('rita passphrase');
  await page.getByTestId('passphrase-submit').click();
  await expect(users.current).toHaveText('Rita');
  // An editor manages nobody: the menu has no user management.
  await users.current.click();
  await expect(page.getByTestId('user-set-passphrase')).toBeVisible();
  await expect(page.getByTestId('user-add')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await prompts.runChecks.click();
  await expect(prompts.checksReport).toHaveAttribute('data-passed', 'true', { timeout: 90_000 });
  await expect(prompts.checksReport).toContainText('All checks passed');
  await prompts.move('approved').click();
  await expect(prompts.status).toHaveText('approved');
  await expect(prompts.statusHistory).toContainText('approved by Rita');
  await expect(prompts.statusHistory).toContainText('in review by Owner');
  await expect(prompts.version(2)).toHaveAttribute('data-status', 'approved');
});

test('guided mode composes a template; a set picks the most similar example per input; analytics chart each example', async ({
  app,
  page,
  server,
  request,
}) => {
  // Several flows in one test (checks wait up to 90 s on their own); typing alone takes a minute on a busy 2-core box.
  test.setTimeout(240_000);
  await callApi(request, server, 'demo/openDemoWorkspace', {});
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  await supportTriageVersion(request, server);
  const prompts = new PromptsPage(page);
  await app.nav('prompts').click();
  await prompts.newTemplate.click();
  await prompts.choose('preview-dataset', 'Support triage v1');

  // Guided mode: a starter from the library, composed and opened in the editor.
  await page.getByTestId('template-guided').click();
  await page.getByTestId('guided-starter-classification').click();
  // The labels are the dataset's own (its label field, category), not an example list.
  await expect(page.getByTestId('guided-source')).toContainText(
    'Answer with exactly one of these labels: account, billing, feature_request, returns, shipping, technical.',
  );
  await expect(page.getByTestId('guided-source')).toContainText('{% for ex in examples %}Message: {{ ex.message }}');
  // The editor holds the dataset's starting template: opening asks before replacing it, and "Keep" keeps it.
  await page.getByTestId('guided-open').click();
  await page.getByTestId('guided-keep').click();
  await expect(page.getByTestId('guided-confirm')).toBeHidden();
  await page.getByTestId('guided-open').click();
  await page.getByTestId('guided-replace').click();
  await expect(page.getByTestId('guided-dialog')).toBeHidden();
  await expect(prompts.editor.lines).toContainText('Classify the message into one category.');
  await prompts.name.fill('Guided triage');
  await prompts.save.click();
  await expect(prompts.item('Guided triage')).toContainText('v1');

  // A set of two training rows that gives each input the one most similar to it.
  await prompts.setsTab.click();
  await prompts.newSet.click();
  await prompts.choose('demo-dataset', 'Support triage v1');
  await prompts.tickRow(1);
  await prompts.tickRow(2);
  await page.getByTestId('demo-selection-kind').click();
  await page.getByRole('option', { name: 'The k most similar' }).click();
  await page.getByTestId('demo-selection').getByLabel('k', { exact: true }).fill('1');
  await prompts.setName.fill('Nearest example');
  await prompts.saveSet.click();
  const set = prompts.sets.filter({ hasText: 'Nearest example' });
  await expect(set).toContainText('per input: the 1 most similar to the input');

  // Leave-one-out analytics on validation rows, as a chart with n per example.
  await set.getByTestId('demo-analytics-toggle').click();
  await set.getByTestId('demo-analytics-run').click();
  const result = set.getByTestId('demo-analytics-result');
  await expect(result).toContainText('n = 8 validation rows', { timeout: 60_000 });
  // Every example is a labelled row with its interval drawn and printed, not only on hover.
  const rows = result.getByTestId('forest-row');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText(/^#1 \S.*-?\d+\.\d \[-?\d+\.\d, -?\d+\.\d\] n=\d+$/);
});
