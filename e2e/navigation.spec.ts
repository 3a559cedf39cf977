// Moving around the shell: every section by mouse and keyboard, the shortcut help, and the theme.
import { expect, test } from './fixtures';
import { DARK_BACKGROUND, LIGHT_BACKGROUND, SECTIONS } from './pages/app-page';
import { TemplateEditor } from './pages/template-editor';

test.beforeEach(async ({ app }) => {
  await app.createWorkspace('Navigation');
});

test('every section opens from the navigation and says what it will do', async ({ app }) => {
  for (const section of SECTIONS) {
    await app.nav(section.id).click();
    await app.expectSection(section.id);
  }
});

test('Ctrl+1..9 and 0 jump to the sections after "Start here", also from inside the editor', async ({ app, page }) => {
  for (const [index, section] of [...SECTIONS.filter((s) => !('numbered' in s)).entries()].reverse()) {
    await page.keyboard.press(`Control+${(index + 1) % 10}`);
    await app.expectSection(section.id);
  }
  await page.keyboard.press('Control+3');
  const editor = new TemplateEditor(page);
  await editor.type('x');
  await page.keyboard.press('Control+1');
  await app.expectSection('models');
});

test('the section is kept in the address, so reload and back work', async ({ app, page }) => {
  await app.nav('experiments').click();
  await page.reload();
  await app.expectSection('experiments');
  await app.nav('audit').click();
  await page.goBack();
  await app.expectSection('experiments');
});

test('"?" shows the keyboard shortcuts', async ({ app, page }) => {
  await page.keyboard.press('?');
  await expect(app.shortcutHelp).toBeVisible();
  await expect(app.shortcutHelp).toContainText('Go to Experiments');
  await page.keyboard.press('Escape');
  await expect(app.shortcutHelp).toBeHidden();
});

test('the dark theme can be switched on and stays on after a reload', async ({ app, page }) => {
  await app.expectBackground(LIGHT_BACKGROUND);
  await app.themeToggle.click();
  await app.expectBackground(DARK_BACKGROUND);
  await page.reload();
  await expect(app.currentWorkspace).toBeVisible();
  await app.expectBackground(DARK_BACKGROUND);
  await app.themeToggle.click();
  await app.expectBackground(LIGHT_BACKGROUND);
});

test('without a choice the theme follows the system', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.expectBackground(DARK_BACKGROUND);
  await page.emulateMedia({ colorScheme: 'light' });
  await app.expectBackground(LIGHT_BACKGROUND);
});
