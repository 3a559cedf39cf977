// The Audit section in browser mode: changes made in the UI (a passphrase, a new user, a model added and renamed) are
// listed with who made them and without secrets, filtered, verified, exported as JSON Lines and CSV; an entry edited
// directly in the workspace's SQLite file is then named by verification. Retention: preview, apply, recorded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, test } from './fixtures';
import { AuditPage } from './pages/audit-page';
import { DatasetsPage } from './pages/datasets-page';
import { DEMO_MODEL, ModelsPage } from './pages/models-page';
import { UsersMenu } from './pages/users-menu';

const INSPECT_TIMEOUT = 60_000; // the engine worker may still be starting on a busy machine

test('changes made in the app are listed, filtered, verified and exported; an edited entry is named', async ({
  app,
  page,
}) => {
  await app.createWorkspace('Audited');
  const users = new UsersMenu(page);
  await users.setPassphrase('owner passphrase');
  await users.addUser('Rita', 'editor', 'rita passphrase');
  const models = new ModelsPage(page);
  await app.nav('models').click();
  await models.addDemo.click();
  await expect(models.item(DEMO_MODEL)).toBeVisible({ timeout: INSPECT_TIMEOUT });
  await models.rename('Tiny demo');

  await app.nav('audit').click();
  const audit = new AuditPage(page);
  await expect(audit.methods()).toHaveText([
    'models.rename',
    'models.add',
    'users.create',
    'users.setPassphrase',
    'workspace.create',
  ]);
  await expect(audit.row(5).getByTestId('audit-actor')).toHaveText('Owner');
  await expect(audit.row(1).getByTestId('audit-actor')).toHaveText('nobody (http)');
  await expect(audit.row(3)).toContainText('"passphrase":"[redacted]"');
  await expect(audit.root).not.toContainText('rita passphrase');
  await expect(audit.row(5)).toContainText('"name":"Tiny demo"');

  await audit.filter('method', 'models.');
  await expect(audit.methods()).toHaveText(['models.rename', 'models.add']);
  await expect(audit.count).toHaveText('2 matching entries');
  await audit.filter('method', '');
  await audit.filter('actor', 'nobody');
  await expect(audit.methods()).toHaveText(['workspace.create']);
  await audit.id('audit-filter-clear').click();
  await expect(audit.rows).toHaveCount(5);

  await audit.verify();
  await expect(audit.verifyResult).toContainText('The chain is intact: 5 entries');

  const jsonl = readFileSync((await (await audit.export('jsonl')).path())!, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { seq: number; method: string; hash: string; prevHash: string });
  expect(jsonl.map((e) => e.method)).toEqual([
    'workspace.create',
    'users.setPassphrase',
    'users.create',
    'models.add',
    'models.rename',
  ]);
  for (let i = 1; i < jsonl.length; i++) expect(jsonl[i]!.prevHash).toBe(jsonl[i - 1]!.hash);
  const csvDownload = await audit.export('csv');
  expect(csvDownload.suggestedFilename()).toMatch(/^Audited-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await csvDownload.path())!, 'utf8').split('\n');
  expect(csv[0]).toBe('seq,at,actor,actor_kind,actor_id,transport,method,objects,args,prev_hash,hash');
  expect(csv).toHaveLength(7); // header, 5 entries, final newline

  // Someone with the file changes who was created: verification names that entry.
  const db = new BetterSqlite3(join(app.folder('audited'), 'dovetail.sqlite'), { timeout: 10_000 });
  try {
    db.prepare("UPDATE audit_log SET args = json_set(args, '$.role', 'admin') WHERE seq = 3").run();
  } finally {
    db.close();
  }
  await audit.verify();
  await expect(audit.verifyResult).toContainText(
    'The chain is broken: Entry 3: its content was changed after it was written',
  );
  await expect(audit.row(3)).toHaveAttribute('data-broken', 'true');
});

test('a retention policy is previewed, applied and recorded in the log', async ({ app, page, server }) => {
  await app.createWorkspace('Kept');
  const file = join(server.workspacesDir, 'old-rows.jsonl');
  writeFileSync(file, ['a', 'b', 'c'].map((x) => JSON.stringify({ question: `q ${x}`, answer: x })).join('\n'));
  const datasets = new DatasetsPage(page);
  await app.nav('datasets').click();
  await datasets.chooseFile(file);
  await expect(datasets.mapping).toBeVisible();
  await datasets.name.fill('Old rows');
  await datasets.submit.click();
  await expect(datasets.item('Old rows')).toBeVisible();
  // The data's age is arranged in the file: two years old.
  const db = new BetterSqlite3(join(app.folder('kept'), 'dovetail.sqlite'), { timeout: 10_000 });
  try {
    db.prepare('UPDATE dataset_versions SET created_at = ?').run(new Date(Date.now() - 730 * 86_400_000).toISOString());
  } finally {
    db.close();
  }

  await app.nav('audit').click();
  const audit = new AuditPage(page);
  await audit.id('retention-datasetRowDays').fill('365');
  await audit.id('retention-save').click();
  await expect(audit.methods().first()).toHaveText('audit.setRetention');
  await audit.id('retention-preview').click();
  await expect(audit.id('retention-preview-result')).toContainText('deletes 3 dataset rows (Old rows v1: 3)');
  await audit.id('retention-apply').click();
  await expect(audit.id('retention-done')).toHaveText('Deleted 0 outputs, 0 review comments and 3 dataset rows.');
  await expect(audit.methods().first()).toHaveText('audit.applyRetention');
  await expect(audit.rows.first()).toContainText('"datasetRows":3');
  await audit.id('retention-preview').click();
  await expect(audit.id('retention-preview-result')).toHaveText(
    'Nothing is old enough to delete under the saved policy.',
  );
  await audit.verify();
  await expect(audit.verifyResult).toContainText('The chain is intact');
});
