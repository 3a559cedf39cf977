// The template editor of the Prompts section (Monaco, bundled locally with its worker) takes typing.
import { expect, test } from './fixtures';
import { TemplateEditor } from './pages/template-editor';

test('typing a template into the editor shows the text and the fields it uses', async ({ app, page }) => {
  await app.createWorkspace('Editor');
  await app.nav('prompts').click();
  const editor = new TemplateEditor(page);
  await editor.type('Summarize for {{ audience }}: {{ document }}');
  await expect(editor.lines).toContainText('Summarize for {{ audience }}: {{ document }}');
  await expect(editor.fields).toContainText('audience');
  await expect(editor.fields).toContainText('document');
});
