// DatasetsService through the dispatcher with a real workspace (better-sqlite3) in a temp folder: CSV and JSONL
// imports with the field mapping, bad rows named by file and line with nothing imported, deterministic and
// order-independent splits, duplicates and cross-split leakage, paging, versions, cancel, a 50k-row stream, and the
// write on the import writer's own thread and connection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  datasetsContract,
  ImportDataset as ImportDatasetSchema,
  type DatasetSummary,
  type DatasetVersion,
  type FileInspection,
  type ImportDataset,
  type ImportResult,
  type RowsPage,
} from '../../../shared/contract/datasets';
import type { ErrorShape } from '../../../shared/errors';
import { Dispatcher } from '../../api/dispatcher';
import { WorkspaceService } from '../workspace';
import { ImportWriterHost } from '../../host/import-writer';
import { taskWorkerScript } from '../../host/testing/engine-worker-script';
import { DatasetsService } from './datasets-service';
import { recomputeDatasetHash } from './verify-content';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const QA_MAPPING = [
  { source: 'id', name: 'id', role: 'key' },
  { source: 'question', name: 'question', role: 'input' },
  { source: 'answer', name: 'answer', role: 'reference' },
  { source: 'category', name: 'topic', role: 'label' },
] as const;
const TEXT_MAPPING = [
  { source: 'text', name: 'text', role: 'input' },
  { source: 'output', name: 'output', role: 'reference' },
] as const;

let dir: string;
let workspace: WorkspaceService;
let service: DatasetsService;
let events: { event: string; payload: unknown }[];
let dispatcher: Dispatcher<{ datasets: typeof datasetsContract }>;

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-datasets-')));
  events = [];
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  service = new DatasetsService({
    workspace,
    clock: () => new Date('2025-01-02T03:04:05Z'),
    events: { emit: (event, payload) => events.push({ event, payload }) },
    paths: { homeDir: dir, relativeTo: dir },
  });
  dispatcher = new Dispatcher({ datasets: datasetsContract }, { datasets: service }, { validateResults: true });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Datasets test' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, arg: unknown) =>
  dispatcher.handle({ service: 'datasets', method, arg }, { transport: 'test' });
async function ok<T>(method: string, arg: unknown = {}): Promise<T> {
  const r = await call(method, arg);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result as T;
}
async function failure(method: string, arg: unknown): Promise<ErrorShape> {
  const r = await call(method, arg);
  if (r.ok) throw new Error(`expected ${method} to fail, it returned ${JSON.stringify(r.result).slice(0, 300)}`);
  return r.error;
}
const importData = (arg: ImportDataset) => ok<ImportResult>('import', arg);

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

function tableCounts(): { datasets: number; versions: number; rows: number } {
  const db = workspace.active.db;
  const n = (table: string) => db.prepare<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? -1;
  return { datasets: n('datasets'), versions: n('dataset_versions'), rows: n('dataset_rows') };
}
function expectNothingImported(): void {
  expect(tableCounts()).toEqual({ datasets: 0, versions: 0, rows: 0 });
  expect(fs.readdirSync(path.join(dir, 'ws', 'imports'))).toEqual([]); // the spool is gone too
}

describe('inspectFile', () => {
  it('reads the CSV header (BOM removed), types, the first rows and suggests roles', async () => {
    const info = await ok<FileInspection>('inspectFile', { path: path.join(FIXTURES, 'qa.csv') });
    expect(info.format).toBe('csv');
    expect(info.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'string'],
      ['question', 'string'],
      ['answer', 'string'],
      ['category', 'string'],
    ]);
    expect(info.sample.map((s) => s.line)).toEqual([2, 3, 4, 5, 7]);
    expect(info.sample[3]?.data.question).toBe('A two\nline question');
    expect(info.exact).toBe(true);
    expect(info.rowEstimate).toBe(5);
    expect(info.suggestedMapping.map((m) => m.role)).toEqual(['key', 'input', 'reference', 'label']);
  });

  it('reads JSONL types and the split column, and reports bad lines in the sample', async () => {
    const info = await ok<FileInspection>('inspectFile', { path: path.join(FIXTURES, 'small.jsonl') });
    expect(info.format).toBe('jsonl');
    expect(info.splitColumn).toBe('split');
    expect(info.suggestedMapping.map((m) => m.source)).toEqual(['text', 'output']);
    const bad = await ok<FileInspection>('inspectFile', { path: path.join(FIXTURES, 'bad-lines.jsonl') });
    expect(bad.problems.map((p) => p.line)).toEqual([3, 4]);
  });

  it('estimates the rows of a file larger than the sample', async () => {
    const file = writeFile(
      'many.jsonl',
      jsonl(Array.from({ length: 1000 }, (_, i) => ({ text: `row ${i % 10}`, n: i % 7 === 0 ? 1.5 : i }))),
    );
    const info = await ok<FileInspection>('inspectFile', { path: file });
    expect(info.sample).toHaveLength(50);
    expect(info.exact).toBe(false);
    expect(info.rowEstimate).toBeGreaterThan(800);
    expect(info.rowEstimate).toBeLessThan(1200);
    expect(info.columns.find((c) => c.name === 'n')?.type).toBe('number');
  });

  it('names a missing file', async () => {
    const error = await failure('inspectFile', { path: 'nope.csv' });
    expect(error).toMatchObject({ kind: 'user', code: 'file-missing', where: 'datasets.inspectFile: path' });
    expect(error.message).toMatch(/nope\.csv does not exist/);
  });
});

describe('import', () => {
  it('imports a CSV with quoted fields, multi-line cells and a BOM under the mapping, and marks duplicates', async () => {
    const file = path.join(FIXTURES, 'qa.csv');
    const { version, warnings } = await importData({
      importId: 'csv-1',
      newName: 'QA',
      message: 'first',
      files: [{ path: file }],
      mapping: [...QA_MAPPING],
    });
    expect(version).toMatchObject({
      name: 'QA',
      version: 1,
      message: 'first',
      rowCount: 5,
      duplicateCount: 1,
      createdAt: '2025-01-02T03:04:05.000Z',
    });
    expect(version.roles).toEqual({ input: ['question'], reference: 'answer', key: 'id', label: 'topic' });
    expect(version.fields.map((f) => [f.name, f.source, f.type, f.role])).toContainEqual([
      'topic',
      'category',
      'string',
      'label',
    ]);
    expect(version.source.files[0]).toMatchObject({
      path: file,
      name: 'qa.csv',
      format: 'csv',
      rows: 5,
      bytes: fs.statSync(file).size,
    });
    expect(version.source.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(version.splits.train + version.splits.validation + version.splits.test).toBe(5);
    expect(warnings.map((w) => w.code)).toContain('duplicates');

    const rows = service.readRows(version.id, null);
    expect(rows.map((r) => [r.idx, r.key, r.line])).toEqual([
      [0, '1', 2],
      [1, '2', 3],
      [2, '3', 4],
      [3, '4', 5],
      [4, '5', 7],
    ]);
    expect(rows[1]?.data).toEqual({ id: '2', question: 'Capital of France, please', answer: 'Paris', topic: 'geo' });
    expect(rows[2]?.data.answer).toBe('"hi"');
    expect(rows[4]?.duplicateOf).toBe(0); // "  what is 2+2?  " repeats "What is 2+2?"
    expect(
      events.some((e) => e.event === 'onImportProgress' && (e.payload as { importId: string }).importId === 'csv-1'),
    ).toBe(true);
    expect(events).toContainEqual({ event: 'onChanged', payload: { change: 'added', id: version.datasetId } });

    const list = await ok<DatasetSummary[]>('list');
    expect(list).toEqual([
      expect.objectContaining({
        name: 'QA',
        versions: [expect.objectContaining({ id: version.id, version: 1, rowCount: 5 })],
      }),
    ]);
    expect(service.versionFacts(version.id)).toMatchObject({
      name: 'QA',
      version: 1,
      rowCount: 5,
      contentHash: version.contentHash,
      roles: version.roles,
    });
    expect(service.latestVersionByName('QA')?.id).toBe(version.id);
    expect(service.latestVersionByName('nope')).toBeNull();
    expect(service.readRowsByKey(version.id, ['3', 'x', '1']).map((r) => r.idx)).toEqual([2, 0]);
  });

  it('rejects a CSV with broken quoting, naming the line, and imports nothing', async () => {
    const file = path.join(FIXTURES, 'broken-quote.csv');
    const error = await failure('import', {
      newName: 'Broken',
      files: [{ path: file }],
      mapping: [{ source: 'question', name: 'question', role: 'input' }],
    });
    expect(error).toMatchObject({ kind: 'user', code: 'dataset-rows', where: `${file}:4` });
    expect(error.message).toMatch(/^Line 4 of broken-quote\.csv has broken quoting/);
    expect(error.message).toContain('Nothing was imported');
    expectNothingImported();
  });

  it('rejects a CSV row with the wrong number of columns and an empty reference, with their lines', async () => {
    const file = writeFile('ragged.csv', 'q,a\nfine,yes\ntoo,many,cells\nempty answer,\n');
    const error = await failure('import', {
      newName: 'Ragged',
      files: [{ path: file }],
      mapping: [
        { source: 'q', name: 'q', role: 'input' },
        { source: 'a', name: 'a', role: 'reference' },
      ],
    });
    expect(error.where).toBe(`${file}:3`);
    expect(error.message).toContain('Line 3 of ragged.csv has 3 columns, the header has 2');
    expect(error.message).toContain('Line 4 of ragged.csv has an empty reference "a"');
    expectNothingImported();
  });

  it('rejects JSONL lines that are not JSON objects or miss a mapped field, listing each', async () => {
    const file = path.join(FIXTURES, 'bad-lines.jsonl');
    const error = await failure('import', { newName: 'Bad', files: [{ path: file }], mapping: [...TEXT_MAPPING] });
    expect(error).toMatchObject({ kind: 'user', where: `${file}:3` });
    expect(error.message.split('\n')).toEqual([
      'Line 3 of bad-lines.jsonl is not valid JSON. 3 problems. Nothing was imported.',
      '- Line 4 of bad-lines.jsonl is an array, not a JSON object',
      '- Line 5 of bad-lines.jsonl has no value for "output" (the reference field)',
    ]);
    expectNothingImported();
  });

  it('rejects a mapped column that the CSV header lacks, and a mapping without an input', async () => {
    const file = path.join(FIXTURES, 'qa.csv');
    const missing = await failure('import', {
      newName: 'QA',
      files: [{ path: file }],
      mapping: [{ source: 'prompt', name: 'prompt', role: 'input' }],
    });
    expect(missing.message).toBe('Line 1 of qa.csv has no column "prompt" in its header. Nothing was imported.');
    const noInput = await failure('import', {
      newName: 'QA',
      files: [{ path: file }],
      mapping: [{ source: 'id', name: 'id', role: 'key' }],
    });
    expect(noInput).toMatchObject({ code: 'dataset-mapping', where: 'datasets.import: mapping' });
    expectNothingImported();
  });

  it('rejects repeated keys with both lines, inside the transaction', async () => {
    const file = writeFile(
      'keys.jsonl',
      jsonl([
        { id: 'a', text: 'x', output: '1' },
        { id: 'b', text: 'y', output: '2' },
        { id: 'a', text: 'z', output: '3' },
      ]),
    );
    const error = await failure('import', {
      newName: 'Keys',
      files: [{ path: file }],
      mapping: [{ source: 'id', name: 'id', role: 'key' }, ...TEXT_MAPPING],
    });
    expect(error.message).toBe(
      'Line 3 of keys.jsonl repeats the key "a" (field "id") of line 1. Nothing was imported.',
    );
    expectNothingImported();
  });

  it('places rows by hash of seed and key, the same whatever the row order', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({ id: `k${i}`, text: `text ${i}`, output: `out ${i}` }));
    const shuffled = rows
      .map((r, i) => ({ r, at: (i * 157) % 400 }))
      .sort((x, y) => x.at - y.at)
      .map((x) => x.r);
    const mapping = [{ source: 'id', name: 'id', role: 'key' }, ...TEXT_MAPPING] as const;
    const split = { kind: 'hash', seed: 7, fractions: { train: 0.8, validation: 0.1, test: 0.1 } } as const;
    const a = await importData({
      newName: 'A',
      files: [{ path: writeFile('a.jsonl', jsonl(rows)) }],
      mapping: [...mapping],
      split,
    });
    const b = await importData({
      newName: 'B',
      files: [{ path: writeFile('b.jsonl', jsonl(shuffled)) }],
      mapping: [...mapping],
      split,
    });
    const c = await importData({
      newName: 'C',
      files: [{ path: writeFile('c.jsonl', jsonl(rows)) }],
      mapping: [...mapping],
      split: { ...split, seed: 8 },
    });
    const byKey = (id: string) => new Map(service.readRows(id, null).map((r) => [r.key, r.split]));
    expect(byKey(b.version.id)).toEqual(byKey(a.version.id));
    expect(byKey(c.version.id)).not.toEqual(byKey(a.version.id));
    expect(a.version.splits).toEqual(b.version.splits);
    expect(a.version.splits.train).toBeGreaterThan(280);
    expect(a.version.splits.test).toBeGreaterThan(15);
    // Same rows in another order: a different content hash (row order is content), same per-key splits.
    expect(b.version.contentHash).not.toBe(a.version.contentHash);
    const again = await importData({
      newName: 'A again',
      files: [{ path: path.join(dir, 'a.jsonl') }],
      mapping: [...mapping],
      split,
    });
    expect(again.version.contentHash).toBe(a.version.contentHash);
  });

  it('takes splits from the files or from a split column (dev means validation)', async () => {
    const train = writeFile(
      'train.jsonl',
      jsonl([
        { text: 'a', output: '1' },
        { text: 'b', output: '2' },
      ]),
    );
    const test = writeFile('test.jsonl', jsonl([{ text: 'c', output: '3' }]));
    const given = await importData({
      newName: 'Given',
      files: [
        { path: train, split: 'train' },
        { path: test, split: 'test' },
      ],
      mapping: [...TEXT_MAPPING],
      split: { kind: 'given' },
    });
    expect(given.version.splits).toEqual({ train: 2, validation: 0, test: 1 });
    expect(service.readRows(given.version.id, 'test').map((r) => [r.file, r.line, r.data.text])).toEqual([
      ['test.jsonl', 1, 'c'],
    ]);

    const noSplit = await failure('import', {
      newName: 'Given 2',
      files: [{ path: train }],
      mapping: [...TEXT_MAPPING],
      split: { kind: 'given' },
    });
    expect(noSplit.where).toBe('datasets.import: files.0.split');

    const column = await importData({
      newName: 'Column',
      files: [{ path: path.join(FIXTURES, 'small.jsonl') }],
      mapping: [...TEXT_MAPPING],
      split: { kind: 'column', field: 'split' },
    });
    expect(service.readRows(column.version.id, null).map((r) => [r.split, r.line])).toEqual([
      ['train', 1],
      ['validation', 2],
      ['test', 4],
    ]);
    expect(column.version.fields.map((f) => f.name)).toEqual(['text', 'output']); // the split column is not kept
  });

  it('warns about inputs repeated across splits, keeps the rows and filters them', async () => {
    const train = writeFile(
      'train.jsonl',
      jsonl([
        { text: 'Reset my password', output: 'account' },
        { text: 'unique', output: 'x' },
        { text: 'reset  my PASSWORD ', output: 'account' },
      ]),
    );
    const test = writeFile(
      'test.jsonl',
      jsonl([
        { text: 'other', output: 'y' },
        { text: 'RESET my password', output: 'account' },
      ]),
    );
    const { version, warnings } = await importData({
      newName: 'Leaky',
      files: [
        { path: train, split: 'train' },
        { path: test, split: 'test' },
      ],
      mapping: [...TEXT_MAPPING],
      split: { kind: 'given' },
    });
    expect(version.rowCount).toBe(5);
    expect(version.duplicateCount).toBe(2);
    expect(version.leaks).toEqual([{ splits: ['train', 'test'], rows: 1 }]);
    expect(warnings.find((w) => w.code === 'leakage')?.message).toContain(
      '1 row in test repeats the input of a row in train',
    );
    const dups = await ok<RowsPage>('rows', { versionId: version.id, onlyDuplicates: true });
    expect(dups.total).toBe(3);
    expect(dups.rows.map((r) => [r.idx, r.duplicateOf])).toEqual([
      [0, null],
      [2, 0],
      [4, 0],
    ]);
    // Identical content without a key field: keys stay unique.
    const keys = service.readRows(version.id, null).map((r) => r.key);
    expect(new Set(keys).size).toBe(5);
  });

  it('pages rows by split and adds versions to an existing dataset', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ text: `t${i}`, output: `o${i}` }));
    const first = await importData({
      newName: 'Paged',
      files: [{ path: writeFile('p.jsonl', jsonl(rows)) }],
      mapping: [...TEXT_MAPPING],
    });
    const page = await ok<RowsPage>('rows', { versionId: first.version.id, offset: 100, limit: 50 });
    expect(page.total).toBe(250);
    expect(page.rows.map((r) => r.idx)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    const train = await ok<RowsPage>('rows', { versionId: first.version.id, split: 'train', offset: 0, limit: 1000 });
    expect(train.total).toBe(first.version.splits.train);
    expect(train.rows.every((r) => r.split === 'train')).toBe(true);
    expect(service.readRows(first.version.id, 'train', { offset: 10, limit: 5 }).map((r) => r.idx)).toEqual(
      train.rows.slice(10, 15).map((r) => r.idx),
    );

    const second = await importData({
      datasetId: first.version.datasetId,
      message: 'more rows',
      files: [{ path: path.join(dir, 'p.jsonl') }],
      mapping: [...TEXT_MAPPING],
    });
    expect(second.version).toMatchObject({ version: 2, name: 'Paged', datasetId: first.version.datasetId });
    expect((await ok<DatasetVersion>('get', { versionId: first.version.id })).version).toBe(1);
    const [summary] = await ok<DatasetSummary[]>('list');
    expect(summary?.versions.map((v) => v.version)).toEqual([2, 1]);

    const taken = await failure('import', {
      newName: 'Paged',
      files: [{ path: path.join(dir, 'p.jsonl') }],
      mapping: [...TEXT_MAPPING],
    });
    expect(taken).toMatchObject({ code: 'dataset-name-taken', where: 'datasets.import: newName' });

    await ok('remove', { id: first.version.datasetId });
    expect(tableCounts()).toEqual({ datasets: 0, versions: 0, rows: 0 });
    expect((await failure('get', { versionId: first.version.id })).code).toBe('dataset-version-not-found');
  });

  it('streams a 50,000-row file into one version', async () => {
    const file = path.join(dir, 'big.csv');
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, 'id,prompt,completion\n');
    for (let start = 0; start < 50_000; start += 5_000) {
      const chunk = Array.from(
        { length: 5_000 },
        (_, j) => `${start + j},"prompt number ${start + j}, with a comma","answer ${(start + j) % 97}"`,
      ).join('\n');
      fs.writeSync(out, `${chunk}\n`);
    }
    fs.closeSync(out);
    const { version } = await importData({
      newName: 'Big',
      files: [{ path: file }],
      mapping: [
        { source: 'id', name: 'id', role: 'key' },
        { source: 'prompt', name: 'prompt', role: 'input' },
        { source: 'completion', name: 'completion', role: 'reference' },
      ],
    });
    expect(version.rowCount).toBe(50_000);
    expect(version.duplicateCount).toBe(0);
    const [last] = service.readRows(version.id, null, { offset: 49_999, limit: 1 });
    expect(last).toMatchObject({
      idx: 49_999,
      key: '49999',
      line: 50_001,
      data: { prompt: 'prompt number 49999, with a comma' },
    });
  }, 120_000);

  it('cancels an import in progress, keeping nothing', async () => {
    const file = writeFile(
      'cancel.jsonl',
      jsonl(Array.from({ length: 20_000 }, (_, i) => ({ text: `row ${i}`, output: 'x' }))),
    );
    const cancelling: DatasetsService = new DatasetsService({
      workspace,
      clock: () => new Date(),
      events: {
        emit: (event) =>
          event === 'onImportProgress' ? void cancelling.cancelImport({ importId: 'to-cancel' }) : undefined,
      },
    });
    const local = new Dispatcher({ datasets: datasetsContract }, { datasets: cancelling });
    const r = await local.handle(
      {
        service: 'datasets',
        method: 'import',
        arg: { importId: 'to-cancel', newName: 'Cancelled', files: [{ path: file }], mapping: [...TEXT_MAPPING] },
      },
      { transport: 'test' },
    );
    const error = r.ok ? null : r.error;
    expect(error?.kind).toBe('cancelled');
    expectNothingImported();
    expect(await cancelling.cancelImport({ importId: 'to-cancel' })).toEqual({ cancelled: false });
  });
});

describe('lineage', () => {
  it('records the review round a version was made from, returns it by get and versionFacts, and none for a plain import', async () => {
    const file = writeFile(
      'preferred.jsonl',
      jsonl([
        { text: 'a', output: 'A' },
        { text: 'b', output: 'B' },
      ]),
    );
    const arg: ImportDataset = { newName: 'Preferred', files: [{ path: file }], mapping: [...TEXT_MAPPING] };
    const plain = await importData({ ...arg, newName: 'Plain' });
    expect(plain.version.lineage).toBeNull();
    const lineage = {
      kind: 'review-round',
      roundId: 'round-7',
      roundName: 'Blind round',
      experimentId: 'exp-3',
    } as const;
    const made = await service.importWithLineage(ImportDatasetSchema.parse(arg), lineage);
    expect(made.version.lineage).toEqual(lineage);
    expect((await ok<DatasetVersion>('get', { versionId: made.version.id })).lineage).toEqual(lineage);
    expect(service.versionFacts(made.version.id).lineage).toEqual(lineage);
    expect(service.versionFacts(plain.version.id).lineage).toBeNull();
    const row = workspace.active.db
      .prepare<{ source_round_id: string; source_round_name: string; source_experiment_id: string }>(
        'SELECT source_round_id, source_round_name, source_experiment_id FROM dataset_versions WHERE id = ?',
      )
      .get(made.version.id);
    expect(row).toEqual({
      source_round_id: 'round-7',
      source_round_name: 'Blind round',
      source_experiment_id: 'exp-3',
    });
  });

  it('is not something a caller of the contract can claim', async () => {
    const file = writeFile('claimed.jsonl', jsonl([{ text: 'a', output: 'A' }]));
    const error = await failure('import', {
      newName: 'Claimed',
      files: [{ path: file }],
      mapping: [...TEXT_MAPPING],
      lineage: { kind: 'review-round', roundId: 'r', roundName: 'r', experimentId: 'e' },
    });
    expect(error.kind).toBe('user');
    expect(tableCounts().versions).toBe(0);
  });
});

describe('content verification', () => {
  it('recomputes the stored hash from the rows, and a row changed in the database gives another', async () => {
    const { version } = await importData({
      newName: 'QA',
      files: [{ path: path.join(FIXTURES, 'qa.csv') }],
      mapping: [...QA_MAPPING],
    });
    const db = workspace.active.db;
    expect(recomputeDatasetHash(db, version.id)).toEqual({
      computed: version.contentHash,
      stored: version.contentHash,
    });
    db.prepare(
      "UPDATE dataset_rows SET data = json_set(data, '$.answer', 'edited') WHERE version_id = ? AND idx = 1",
    ).run(version.id);
    expect(recomputeDatasetHash(db, version.id)?.computed).not.toBe(version.contentHash);
    expect(recomputeDatasetHash(db, 'no-such-version')).toBeUndefined();
  });
});

describe('import on the import writer worker', () => {
  let writer: ImportWriterHost;
  beforeEach(async () => {
    writer = new ImportWriterHost(await taskWorkerScript('importWriter'));
    service = new DatasetsService({
      workspace,
      clock: () => new Date('2025-01-02T03:04:05Z'),
      events: { emit: () => undefined },
      paths: { homeDir: dir, relativeTo: dir },
      writer,
    });
    dispatcher = new Dispatcher({ datasets: datasetsContract }, { datasets: service }, { validateResults: true });
  });
  afterEach(() => writer.dispose());

  it('writes the rows on its own connection, and the main connection reads them at once', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: `k${i}`,
      text: `text ${i % 2900}`,
      output: `out ${i}`,
    }));
    const { version } = await importData({
      newName: 'Threaded',
      files: [{ path: writeFile('t.jsonl', jsonl(rows)) }],
      mapping: [{ source: 'id', name: 'id', role: 'key' }, ...TEXT_MAPPING],
    });
    expect(version).toMatchObject({ version: 1, rowCount: 3000, duplicateCount: 100 });
    expect(tableCounts()).toEqual({ datasets: 1, versions: 1, rows: 3000 });
    const [last] = service.readRows(version.id, null, { offset: 2999, limit: 1 });
    expect(last).toMatchObject({ idx: 2999, key: 'k2999', data: { text: 'text 99' }, duplicateOf: 99 });
    // A second version of the same dataset: the worker sees what it wrote before.
    const again = await importData({
      datasetId: version.datasetId,
      files: [{ path: writeFile('t2.jsonl', jsonl(rows.slice(0, 10))) }],
      mapping: [{ source: 'id', name: 'id', role: 'key' }, ...TEXT_MAPPING],
    });
    expect(again.version.version).toBe(2);
  });

  it('refuses repeated keys with both lines, as the user sees them, and writes nothing', async () => {
    const file = writeFile(
      'keys.jsonl',
      jsonl([
        { id: 'a', text: 'x', output: '1' },
        { id: 'b', text: 'y', output: '2' },
        { id: 'a', text: 'z', output: '3' },
      ]),
    );
    const error = await failure('import', {
      newName: 'Keys',
      files: [{ path: file }],
      mapping: [{ source: 'id', name: 'id', role: 'key' }, ...TEXT_MAPPING],
    });
    expect(error).toMatchObject({
      kind: 'user',
      message: 'Line 3 of keys.jsonl repeats the key "a" (field "id") of line 1. Nothing was imported.',
    });
    expectNothingImported();
  });
});
