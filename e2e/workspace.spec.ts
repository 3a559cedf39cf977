// Creating, opening, reopening, switching and forgetting workspaces, as a user does it in the picker.
import { rm } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { WorkspacePicker } from './pages/workspace-picker';

test('a new workspace opens at once and shows the sections', async ({ app }) => {
  await app.picker.expectVisible();
  await expect(app.picker.recentEmpty).toBeVisible();
  await app.createWorkspace('Contract review');
  await expect(app.picker.root).toBeHidden();
  await app.expectSection('models');
});

test('an empty name is refused with the message at the name field', async ({ app }) => {
  await app.picker.create('', app.folder('unnamed'));
  await expect(app.picker.createNameError).toHaveText('A name is required');
  await expect(app.picker.createName).toHaveAttribute('aria-invalid', 'true');
  await expect(app.picker.createPath).not.toHaveAttribute('aria-invalid', 'true');
  // Nothing was created: the picker is still there and the list of recent workspaces is empty.
  await expect(app.currentWorkspace).toBeHidden();
  await expect(app.picker.recentEmpty).toBeVisible();

  await app.createWorkspace('Named at last', 'unnamed');
});

test('an empty folder is refused at the folder field when opening', async ({ app }) => {
  await app.picker.openByPath('');
  await expect(app.picker.openPathError).toHaveText('A folder path is required');
});

test('the open workspace survives a reload', async ({ app, page }) => {
  await app.createWorkspace('Support tickets');
  await page.reload();
  await expect(app.currentWorkspace).toHaveText('Support tickets');
  await app.expectSection('models');
});

test('a closed workspace reopens from the recent list', async ({ app }) => {
  await app.createWorkspace('Claims triage');
  await app.workspaceMenu('close');
  await app.picker.expectVisible();
  await expect(app.picker.recentItem('Claims triage')).toContainText(app.folder('claims-triage'));

  await app.picker.openRecent('Claims triage');
  await expect(app.currentWorkspace).toHaveText('Claims triage');
});

test('a workspace reopens by typing its folder', async ({ app }) => {
  await app.createWorkspace('Typed path');
  await app.workspaceMenu('close');
  await app.picker.openByPath(app.folder('typed-path'));
  await expect(app.currentWorkspace).toHaveText('Typed path');
});

test('switching workspaces from the top bar', async ({ app, page }) => {
  await app.createWorkspace('First');
  await app.workspaceMenu('switch');
  const dialog = new WorkspacePicker(page, page.getByTestId('workspace-picker-dialog'));
  await expect(dialog.recentItem('First')).toBeVisible();
  await dialog.create('Second', app.folder('second'));
  await expect(app.currentWorkspace).toHaveText('Second');
  await expect(dialog.root).toBeHidden();

  await app.workspaceMenu('switch');
  await dialog.openRecent('First');
  await expect(app.currentWorkspace).toHaveText('First');
});

test('a recent workspace whose folder is gone is shown disabled and can be forgotten', async ({ app, page }) => {
  await app.createWorkspace('Short lived');
  await app.workspaceMenu('close');
  await rm(app.folder('short-lived'), { recursive: true, force: true });
  await page.reload();

  const item = app.picker.recentItem('Short lived');
  await expect(item).toContainText('folder not found');
  await expect(item.getByRole('button', { name: 'Open Short lived' })).toBeDisabled();

  await app.picker.forgetRecent('Short lived');
  await expect(item).toBeHidden();
  await expect(app.picker.recentEmpty).toBeVisible();
});
