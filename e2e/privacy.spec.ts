// Personal data in browser mode: a JSONL with planted values (written here) is imported with a warning, the warning's
// "Show the scan" runs the scan (counts and examples per field), Redact makes version 2 with placeholders and a
// lineage naming version 1, and a scan of version 2 finds nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { DatasetsPage } from './pages/datasets-page';

test.beforeEach(async ({ app }) => {
  await app.createWorkspace('Privacy');
  await app.nav('datasets').click();
});

const PLANTED = [
  {
    id: '1',
    text: 'Hi, I am ann.lee@example.com, card 4111 1111 1111 1111.',
    answer: 'Refund sent to GB82 WEST 1234 5698 7654 32.',
  },
  { id: '2', text: 'Call me on +44 20 7946 0958 or mail ann.lee@example.com', answer: 'We called +44 20 7946 0958.' },
  { id: '3', text: 'Login failed from 192.168.10.24 for bob@example.org', answer: 'Blocked 192.168.10.24.' },
  { id: '4', text: 'Nothing personal here, order 2024-11-03.', answer: 'Thanks.' },
];

test('scans an imported dataset, shows counts per field and redacts it into a new version', async ({
  page,
  server,
}) => {
  const file = join(server.workspacesDir, 'tickets.jsonl');
  writeFileSync(file, `${PLANTED.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const datasets = new DatasetsPage(page);
  await datasets.chooseFile(file);
  await expect(datasets.mapping).toBeVisible();
  await datasets.name.fill('Tickets');
  await datasets.submit.click();
  await expect(datasets.dialog).toBeHidden();

  const warning = page.getByTestId('import-warning-personal-data');
  await expect(warning).toContainText(
    'Personal data in Tickets: 3 email addresses, 2 phone numbers, 1 IBAN, 1 card number, 2 IPv4 addresses in text, answer',
  );
  await warning.getByTestId('import-warning-scan').click();

  await expect(datasets.privacy.getByTestId('privacy-total')).toContainText('9 findings in 4 rows');
  const text = datasets.privacyField('text');
  await expect(text.getByTestId('privacy-count-email')).toHaveAttribute('data-count', '3');
  await expect(text.getByTestId('privacy-count-card')).toHaveAttribute('data-count', '1');
  await expect(text).toContainText('ann.lee@example.com');
  const answer = datasets.privacyField('answer');
  await expect(answer.getByTestId('privacy-count-iban')).toHaveAttribute('data-count', '1');
  await expect(answer.getByTestId('privacy-count-ipv4')).toHaveAttribute('data-count', '1');

  await datasets.privacy.getByTestId('privacy-redact').click();
  await expect(datasets.details.getByTestId('dataset-details-name')).toContainText('v2');
  await expect(datasets.fact('lineage')).toContainText(
    'Redacted from version 1: 6 distinct values replaced 9 times by placeholders',
  );
  await expect(datasets.grid).toContainText('Hi, I am <EMAIL_1>, card <CARD_1>.');
  await expect(datasets.grid).toContainText('Call me on <PHONE_1> or mail <EMAIL_1>');
  await expect(datasets.grid).not.toContainText('ann.lee@example.com');

  await datasets.privacy.getByTestId('privacy-scan').click();
  await expect(datasets.privacy.getByTestId('privacy-clean')).toContainText('No personal data found in 4 rows');
});
