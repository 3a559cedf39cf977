// Retention through the composed app over a real workspace db: the preview counts what the policy would delete, a
// stale preview deletes nothing, applying deletes exactly the old outputs, comments and dataset rows (newer ones
// stay), a version without rows is refused by name, and the policy and its application are in the audit log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Api } from '../../../shared/contract';
import { composeApp, type ComposedApp } from '../../compose';
import { localClient } from '../../headless/local-client';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';

let dir: string;
let app: ComposedApp;
let api: Api;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-retention-')));
  app = composeApp({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(dir, 'user'),
    engineWorkerScript: await engineWorkerScript(),
    log: () => undefined,
  });
  api = localClient(app.dispatcher);
  await api.workspace.create({ path: path.join(dir, 'ws'), name: 'Retention' });
}, 120_000);
afterAll(async () => {
  await app?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

it('previews, refuses a stale preview, deletes exactly what it showed and records it', async () => {
  const file = path.join(dir, 'rows.jsonl');
  fs.writeFileSync(file, ['a', 'b', 'c'].map((x) => JSON.stringify({ text: x, output: x.toUpperCase() })).join('\n'));
  const mapping = [
    { source: 'text', name: 'text', role: 'input' as const },
    { source: 'output', name: 'output', role: 'reference' as const },
  ];
  const old = await api.datasets.import({ newName: 'Old', files: [{ path: file }], mapping });
  const fresh = await api.datasets.import({ newName: 'Fresh', files: [{ path: file }], mapping });
  const db = app.workspace.active.db;
  // Arrange ages directly: an old dataset version, outputs and votes of several ages.
  db.prepare('UPDATE dataset_versions SET created_at = ? WHERE id = ?').run(ago(400), old.version.id);
  const output = db.prepare(
    `INSERT INTO outputs (spec_hash, example_hash, decoding_hash, seed, text, finish_reason, prompt_tokens,
       generated_tokens, ttft_ms, total_ms, tokens_per_s, created_at)
     VALUES (?, 'e', 'd', 0, 'text', 'eos', 1, 1, NULL, 1, NULL, ?)`,
  );
  output.run('old-1', ago(40));
  output.run('old-2', ago(31));
  output.run('new', ago(1));
  db.prepare("INSERT INTO review_rounds VALUES ('r1', 'Round', 'x', 'closed', '{}', '{}', 'u', ?, NULL)").run(ago(50));
  const vote = db.prepare("INSERT INTO review_votes VALUES ('r1', ?, 'u', 'left', '[]', ?, 1, ?, ?)");
  vote.run('i1', 'names a customer', ago(45), 1);
  vote.run('i2', '', ago(45), 2);
  vote.run('i3', 'recent remark', ago(2), 3);

  expect(await api.audit.retention({})).toEqual({ outputsDays: null, reviewCommentDays: null, datasetRowDays: null });
  expect((await api.audit.previewRetention({})).counts).toEqual({ outputs: 0, reviewComments: 0, datasetRows: 0 });
  await api.audit.setRetention({ outputsDays: 30, reviewCommentDays: 30, datasetRowDays: 365 });
  const preview = await api.audit.previewRetention({});
  expect(preview.counts).toEqual({ outputs: 2, reviewComments: 1, datasetRows: 3 });
  expect(preview.datasetVersions).toEqual([{ id: old.version.id, name: 'Old', version: 1, rows: 3 }]);

  await expect(
    api.audit.applyRetention({ asOf: preview.asOf, expected: { ...preview.counts, outputs: 1 } }),
  ).rejects.toThrow(/changed since the preview: nothing was deleted/);
  await expect(
    api.audit.applyRetention({ asOf: new Date(Date.now() + DAY).toISOString(), expected: preview.counts }),
  ).rejects.toThrow(/time still to come/);
  expect(db.prepare<{ n: number }>('SELECT count(*) AS n FROM outputs').get()!.n).toBe(3);

  expect(await api.audit.applyRetention({ asOf: preview.asOf, expected: preview.counts })).toEqual(preview.counts);
  expect(db.prepare<{ spec_hash: string }>('SELECT spec_hash FROM outputs').all()).toEqual([{ spec_hash: 'new' }]);
  expect(
    db
      .prepare<{ item_id: string; comment: string; verdict: string }>(
        'SELECT item_id, comment, verdict FROM review_votes ORDER BY seq',
      )
      .all(),
  ).toEqual([
    { item_id: 'i1', comment: '', verdict: 'left' },
    { item_id: 'i2', comment: '', verdict: 'left' },
    { item_id: 'i3', comment: 'recent remark', verdict: 'left' },
  ]);
  await expect(api.datasets.rows({ versionId: old.version.id })).rejects.toThrow(
    /The rows of Old v1 were deleted on \d{4}-\d{2}-\d{2} by the workspace's retention policy/,
  );
  expect((await api.datasets.rows({ versionId: fresh.version.id })).total).toBe(3);
  expect((await api.datasets.get({ versionId: old.version.id })).contentHash).toBe(old.version.contentHash);
  // Applied again, nothing is left to delete.
  expect((await api.audit.previewRetention({})).counts).toEqual({ outputs: 0, reviewComments: 0, datasetRows: 0 });

  // The stand-in round has no real spec, which reading the log parses (to check the caller is not reviewing blind).
  db.prepare("DELETE FROM review_rounds WHERE id = 'r1'").run();
  const log = (await api.audit.list({ filter: { method: 'audit.' } })).entries.reverse();
  expect(log.map((e) => [e.method, e.args])).toEqual([
    ['audit.setRetention', { outputsDays: 30, reviewCommentDays: 30, datasetRowDays: 365 }],
    ['audit.applyRetention', { asOf: preview.asOf, expected: { outputs: 2, reviewComments: 1, datasetRows: 3 } }],
  ]);
  expect((await api.audit.verify({})).ok).toBe(true);
}, 120_000);
