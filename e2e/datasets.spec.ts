// The Datasets screen in browser mode: a CSV imported through the dialog's field-mapping step shows up with its facts
// and rows in the grid (split and duplicate filters); a CSV with broken quoting shows the line and reason, and no
// dataset is added.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { DatasetsPage } from './pages/datasets-page';

test.beforeEach(async ({ app }) => {
  await app.createWorkspace('Datasets');
  await app.nav('datasets').click();
});

const ROWS = Array.from(
  { length: 60 },
  (_, i) => `${i},"Question ${i}, please",${i % 2 === 0 ? 'even' : 'odd'},${i % 3},note ${i}`,
);

test('imports a CSV through the mapping step and shows its rows', async ({ page, server }) => {
  const file = join(server.workspacesDir, 'questions.csv');
  // Row 61 repeats row 0's question in other spacing and case: a duplicate.
  writeFileSync(file, `id,question,gold,category,notes\n${ROWS.join('\n')}\n60,"  question 0,   PLEASE",even,0,dup\n`);
  const datasets = new DatasetsPage(page);
  await expect(datasets.empty.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();

  await datasets.chooseFile(file);
  await expect(datasets.mapping).toBeVisible();
  await expect(datasets.dialog.getByTestId('import-inspection')).toContainText('CSV');
  await expect(datasets.name).toHaveValue('questions');
  await datasets.setRole('gold', 'reference');
  await datasets.rename('category', 'topic');
  await datasets.keep('notes').uncheck();
  await datasets.name.fill('Questions');
  await datasets.submit.click();

  await expect(datasets.dialog).toBeHidden();
  await expect(datasets.item('Questions')).toBeVisible();
  await expect(datasets.details.getByTestId('dataset-details-name')).toContainText('Questions');
  await expect(datasets.fact('rows')).toContainText('61');
  await expect(datasets.fact('duplicates')).toContainText('1');
  await expect(datasets.fact('files')).toContainText('questions.csv (61 rows');
  await expect(datasets.fact('fields')).toContainText('topic: string (label)');
  await expect(datasets.fact('fields')).not.toContainText('notes');
  await expect(datasets.fact('hash').getByRole('cell')).toHaveText(/^[0-9a-f]{12}$/);
  await expect(page.getByTestId('import-warning-duplicates')).toBeVisible();

  // The grid pages on the server: 25 rows of 61, the next page, then the split and duplicate filters.
  await expect(datasets.grid).toContainText('Question 0, please');
  await expect(datasets.grid).toContainText('1–25 of 61');
  await datasets.grid.getByRole('button', { name: 'Go to next page' }).click();
  await expect(datasets.grid).toContainText('26–50 of 61');
  await expect(datasets.grid).toContainText('Question 25, please');
  const testChip = datasets.splitChip('test');
  const testCount = Number((await testChip.textContent())?.replace(/\D/g, ''));
  await testChip.click();
  await expect(datasets.grid).toContainText(`of ${testCount}`);
  await datasets.splitChip('all').click();
  await expect(datasets.grid).toContainText('1–25 of 61');
  await datasets.grid.getByTestId('duplicates-chip').click();
  await expect(datasets.grid).toContainText('1–2 of 2');
  await expect(datasets.gridRows()).toHaveCount(2);
  await expect(datasets.grid).toContainText('question 0, PLEASE');
});

test('a CSV with broken quoting shows the line and reason, and adds no dataset', async ({ page, server }) => {
  const file = join(server.workspacesDir, 'broken.csv');
  writeFileSync(
    file,
    'id,question,answer\n1,fine,yes\n2,"also fine",yes\n3,"broken "quote" here,no\n4,never read,no\n',
  );
  const datasets = new DatasetsPage(page);
  await datasets.chooseFile(file);
  await expect(datasets.dialog.getByTestId('import-sample-problems')).toContainText('line 4');
  await datasets.submit.click();
  await expect(datasets.errorMessage).toContainText('Line 4 of broken.csv has broken quoting');
  await expect(datasets.errorMessage).toContainText('Nothing was imported');
  await expect(datasets.errorWhere).toHaveText(`${file}:4`);
  await datasets.close.click();
  await expect(datasets.dialog).toBeHidden();
  await expect(datasets.empty).toBeVisible();
  await expect(datasets.items).toHaveCount(0);
});
