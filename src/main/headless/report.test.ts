// `dovetail report` through the composed app: a comparison on the demo model reported in all four formats (the PDF a
// real one, the JSON valid against the schema, the CSV a zip of the tables), verified against the workspace, and then
// one dataset row changed in SQLite makes `report verify` exit 1 naming the dataset, for the stored report and for
// its JSON export alike.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import { ReportDocument } from '../../shared/report';
import { UserError } from '../../shared/errors';
import { useDemoApp } from '../testing/demo-app';
import { runEval } from './eval';
import { runReport } from './report';

const ctx = useDemoApp('report-cli');
let dir: string;
let api: Api;

beforeAll(async () => {
  ({ dir, api } = ctx);
  const template = await api.templates.save({ name: 'Triage', source: 'Message: {{ message }}\nTicket: ' });
  await api.specializations.create({
    name: 'Templated',
    modelId: ctx.demo.modelIds[0] as string,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 8 },
  });
  const spec = path.join(dir, 'check.json');
  fs.writeFileSync(
    spec,
    JSON.stringify({
      name: 'Triage check',
      dataset: 'Support triage',
      limit: 4,
      specializations: ['Templated'],
      batchSize: 4,
      metrics: [{ kind: 'length', unit: 'chars', threshold: 100_000 }],
    }),
  );
  expect(await runEval(api, spec, { log: () => undefined })).toBe(0);
}, 180_000);

const run = async (positional: string[], flags: { format?: string; out?: string } = {}) => {
  const lines: string[] = [];
  const code = await runReport(api, {
    positional,
    format: flags.format,
    out: flags.out,
    against: undefined,
    log: (...l) => void lines.push(...l),
  });
  return { code, lines };
};

it('writes the experiment report in every format, by name, and lists it', async () => {
  const out = (ext: string) => path.join(dir, `triage.${ext}`);
  expect((await run(['experiment', 'Triage check'], { out: out('pdf') })).code).toBe(0);
  expect((await run(['experiment', 'triage check'], { format: 'html', out: out('html') })).code).toBe(0);
  expect((await run(['experiment', 'Triage check'], { out: out('json') })).code).toBe(0);
  expect((await run(['experiment', 'Triage check'], { format: 'csv', out: out('csv.zip') })).code).toBe(0);

  expect(fs.readFileSync(out('pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  expect(fs.readFileSync(out('html'), 'utf8')).toContain('<h1>Triage check</h1>');
  const doc = ReportDocument.parse(JSON.parse(fs.readFileSync(out('json'), 'utf8')));
  expect(doc.lineage.objects.find((o) => o.kind === 'datasetVersion')?.name).toBe('Support triage v1');
  const csv = unzipSync(fs.readFileSync(out('csv.zip')));
  expect(Object.keys(csv)).toEqual(['metrics-per-cell.csv', 'lineage.csv']);
  expect(strFromU8(csv['lineage.csv'] as Uint8Array)).toContain('Support triage v1');

  const listed = await api.reports.list({ kind: 'experiment' });
  expect(listed.map((r) => r.subject.name)).toEqual(Array(4).fill('Triage check'));
  await expect(run(['experiment', 'Nope'], { out: out('pdf') })).rejects.toThrow(/No experiment named "Nope"/);
  await expect(run(['experiment', 'Triage check'], { out: path.join(dir, 'x.docx') })).rejects.toThrow(UserError);
}, 120_000);

it('verifies a report against the workspace and fails, naming the dataset, once one of its rows changed', async () => {
  const json = path.join(dir, 'verify.json');
  expect((await run(['experiment', 'Triage check'], { out: json })).code).toBe(0);
  const ok = await run(['verify', 'Triage check']);
  expect(ok.code).toBe(0);
  expect(ok.lines[0]).toMatch(/^The report matches this workspace: \d+ parts with the same content hash\.$/);
  expect((await run(['verify', json])).code).toBe(0);

  ctx.app.workspace.active.db
    .prepare("UPDATE dataset_rows SET data = json_set(data, '$.message', 'changed after the report') WHERE rowid = 1")
    .run();
  for (const which of ['Triage check', json]) {
    const failed = await run(['verify', which]);
    expect(failed.code).toBe(1);
    expect(failed.lines.join('\n')).toMatch(/dataset Support triage v1 changed since the report was made/);
  }
  await expect(run(['verify', 'No such report'])).rejects.toThrow(/No report "No such report"/);
}, 120_000);

it('refuses to verify a .json path that is a folder or a named pipe, naming the path, without reading it', async () => {
  const folder = path.join(dir, 'folder.json');
  fs.mkdirSync(folder);
  await expect(run(['verify', folder])).rejects.toThrow(/folder\.json is a folder, not a regular file/);
  const fifo = path.join(dir, 'pipe.json');
  execFileSync('mkfifo', [fifo]);
  await expect(run(['verify', fifo])).rejects.toThrow(/pipe\.json is a named pipe/);
});
