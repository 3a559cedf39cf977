// Prompt templates in the demo workspace: a parse error is shown and nothing saved, versions are kept and an old one
// restored, a row of 'Support triage' previews with its reference, and a demonstration set feeds `examples`.
import { expect, test } from './fixtures';
import { callApi, PromptsPage, supportTriageVersion } from './pages/prompts-page';

const FIXED = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
const SECOND = 'Triage this support message. Reply with JSON only.\nMessage: {{ message }}\nTicket: ';

test('write, break, fix and version a template, preview it on Support triage, and add a demonstration set', async ({
  app,
  page,
  server,
  request,
}) => {
  // Four flows in one test (versions, preview, restore, a demonstration set): on a busy 2-core machine the typing
  // alone takes a minute.
  test.setTimeout(240_000);
  await callApi(request, server, 'demo/openDemoWorkspace', {});
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  const versionId = await supportTriageVersion(request, server);
  const rows = await callApi<{ rows: { data: { message: string; ticket: string } }[] }>(
    request,
    server,
    'datasets/rows',
    { versionId, offset: 0, limit: 2 },
  );
  const [row1, row2] = rows.rows.map((r) => r.data);

  await app.nav('prompts').click();
  const prompts = new PromptsPage(page);
  // The demo workspace may bring templates of its own: start a new one either way.
  await expect(page.getByTestId('template-workbench')).toBeVisible();
  if (await prompts.newTemplate.isVisible()) await prompts.newTemplate.click();
  await prompts.choose('preview-dataset', 'Support triage v1');
  // A new template starts from the dataset's starting template.
  await expect(prompts.editor.lines).toContainText('Triage this support message as JSON.');
  await expect(prompts.name).toHaveValue('Support triage prompt');

  // A template that does not parse: the service's error with its hint, and nothing saved.
  await prompts.name.fill('Triage prompt');
  await prompts.editor.replace('Triage: {{ message');
  // The draft holds the broken text before Save is pressed (Save sends the draft, not the editor's screen).
  await expect(prompts.unparsed).toBeVisible();
  await prompts.save.click();
  await expect(prompts.saveError).toContainText('The template cannot be parsed');
  await expect(prompts.saveError).toContainText('Check that every {{ has its }}');
  await expect(prompts.item('Triage prompt')).toHaveCount(0);

  // A field the dataset lacks is flagged; fixed, it saves with Ctrl+S.
  await prompts.editor.replace('Message: {{ message }} {{ tone }}.');
  await expect(prompts.missingFields).toContainText('no field tone');
  await prompts.editor.replace(FIXED);
  await expect(prompts.missingFields).toBeHidden();
  await prompts.message.fill('First version');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(prompts.item('Triage prompt')).toContainText('v1 · First version');

  // A second version.
  await prompts.editor.replace(SECOND);
  await prompts.message.fill('Ask for JSON only');
  await prompts.save.click();
  await expect(prompts.item('Triage prompt')).toContainText('v2 · Ask for JSON only');
  await expect(prompts.versions).toHaveCount(2);

  // The preview of rows 1 and 2 with their references.
  await expect(prompts.previewRow).toHaveValue('1');
  await expect(prompts.previewText).toContainText('Reply with JSON only.');
  await expect(prompts.previewText).toContainText(firstLine(row1!.message));
  await expect(prompts.previewReference).toHaveText(row1!.ticket);
  await prompts.previewNext.click();
  await expect(prompts.previewRow).toHaveValue('2');
  await expect(prompts.previewText).toContainText(firstLine(row2!.message));
  await expect(prompts.previewReference).toHaveText(row2!.ticket);

  // Version 1, read-only, restored as version 3.
  await prompts.version(1).click();
  await expect(prompts.readOnly).toContainText('Triage this support message as JSON.');
  await prompts.restore.click();
  await expect(prompts.versions).toHaveCount(3);
  await expect(prompts.item('Triage prompt')).toContainText('v3 · Restored version 1');
  await expect(prompts.editor.lines).toContainText('Triage this support message as JSON.');

  // A demonstration set of two training rows, the second moved first.
  await prompts.setsTab.click();
  await prompts.newSet.click();
  await prompts.choose('demo-dataset', 'Support triage v1');
  await prompts.tickRow(1);
  await prompts.tickRow(2);
  await expect(prompts.picks).toHaveCount(2);
  const second = await prompts.picks.nth(1).getAttribute('data-row-key');
  await prompts.picks.nth(1).getByRole('button', { name: 'Move up' }).click();
  await expect(prompts.picks.first()).toHaveAttribute('data-row-key', second!);
  await prompts.setName.fill('Two triage examples');
  await prompts.setMessage.fill('Shipping first');
  await prompts.saveSet.click();
  await expect(prompts.sets.filter({ hasText: 'Two triage examples' })).toContainText(
    'v1 · 2 examples from Support triage v1',
  );

  // The template shows them through the examples loop.
  await prompts.templatesTab.click();
  await prompts.insertExamples.click();
  await expect(prompts.editor.lines).toContainText('{% for ex in examples %}');
  await prompts.choose('preview-examples', 'Two triage examples v1');
  await expect(prompts.previewText).toContainText(`Ticket: ${row2!.ticket}`);
  await expect(prompts.previewText).toContainText(`Ticket: ${row1!.ticket}`);
});

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 40);
}
