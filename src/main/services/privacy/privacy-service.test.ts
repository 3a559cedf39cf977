// The privacy service through the dispatcher with a real workspace: a seeded dataset with planted personal data
// (generated here) is imported with a warning, scanned (every planted value counted, with progress), redacted into a
// new version with lineage and consistent placeholders; a blocking policy refuses the import; a scan cancels.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  datasetsContract,
  type DatasetVersion,
  type ImportResult,
  type RowsPage,
} from '../../../shared/contract/datasets';
import { privacyContract, type RedactResult, type ScanReport } from '../../../shared/contract/privacy';
import type { ErrorShape } from '../../../shared/errors';
import { Dispatcher } from '../../api/dispatcher';
import { DatasetsService } from '../datasets';
import { WorkspaceService } from '../workspace';
import { detect } from './detectors';
import { plantedRows } from './planted';
import { PrivacyService } from './privacy-service';

let dir: string;
let workspace: WorkspaceService;
let events: { event: string; payload: unknown }[];
let dispatcher: Dispatcher<{ datasets: typeof datasetsContract; privacy: typeof privacyContract }>;

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-privacy-')));
  events = [];
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  const sink = { emit: (event: string, payload: unknown) => events.push({ event, payload }) };
  const datasets: DatasetsService = new DatasetsService({
    workspace,
    clock: () => new Date('2026-01-02T03:04:05Z'),
    events: sink,
    paths: { homeDir: dir, relativeTo: dir },
    privacyCheck: async (subject, rows) =>
      (await privacy.guardRows('import', subject, rows, 'See the Personal data panel.')).warning,
  });
  const privacy: PrivacyService = new PrivacyService({
    workspace,
    datasets,
    events: sink,
    clock: () => new Date('2026-01-02T03:04:05Z'),
  });
  dispatcher = new Dispatcher(
    { datasets: datasetsContract, privacy: privacyContract },
    { datasets, privacy },
    { validateResults: true },
  );
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Privacy test' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(service: 'datasets' | 'privacy', method: string, arg: unknown = {}): Promise<T> {
  const r = await dispatcher.handle({ service, method, arg }, { transport: 'test' });
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result as T;
}
async function failure(service: 'datasets' | 'privacy', method: string, arg: unknown): Promise<ErrorShape> {
  const r = await dispatcher.handle({ service, method, arg }, { transport: 'test' });
  if (r.ok) throw new Error(`expected ${method} to fail`);
  return r.error;
}

const MAPPING = [
  { source: 'id', name: 'id', role: 'key' },
  { source: 'text', name: 'text', role: 'input' },
  { source: 'answer', name: 'answer', role: 'reference' },
] as const;

function seeded(n: number): { file: string; planted: ReturnType<typeof plantedRows>['planted'] } {
  const { rows, planted } = plantedRows(11, n);
  const file = path.join(dir, 'seeded.jsonl');
  fs.writeFileSync(file, rows.map((r, i) => JSON.stringify({ id: `r${i}`, ...r })).join('\n') + '\n');
  return { file, planted };
}

describe('scan and redact a seeded dataset', () => {
  it('warns at import, counts every planted value per field, and redacts into a new version with lineage', async () => {
    const { file, planted } = seeded(60);
    const imported = await ok<ImportResult>('datasets', 'import', {
      newName: 'Seeded',
      files: [{ path: file }],
      mapping: MAPPING,
    });
    const warning = imported.warnings.find((w) => w.code === 'personal-data');
    expect(warning?.message).toMatch(/^Personal data in Seeded: 120 email addresses, 60 phone numbers/);

    const report = await ok<ScanReport>('privacy', 'scan', { versionId: imported.version.id, scanId: 'scan-1' });
    expect(report.rowsScanned).toBe(60);
    // Recall on the planted set: each planted value is counted once, under its kind (ipv4 and ipv6 separately).
    expect(report.total).toBe(planted.length);
    const counted = (kind: string) => report.fields.reduce((n, f) => n + (f.counts[kind] ?? 0), 0);
    for (const kind of ['email', 'phone', 'iban', 'card', 'ipv4', 'ipv6', 'national-id'])
      expect(counted(kind)).toBe(planted.filter((p) => p.kind === kind).length);
    expect(report.fields.map((f) => f.field)).toEqual(['text', 'answer']);
    expect(report.fields[0]?.examples.filter((e) => e.kind === 'email')).toHaveLength(3);
    const progress = events
      .filter((e) => e.event === 'onScanProgress')
      .map((e) => e.payload as { rowsScanned: number; rowsTotal: number });
    expect(progress.at(-1)).toEqual({ scanId: 'scan-1', rowsScanned: 60, rowsTotal: 60 });

    const redacted = await ok<RedactResult>('privacy', 'redact', { versionId: imported.version.id });
    expect(redacted).toMatchObject({ version: 2, replacements: planted.length });
    const version = await ok<DatasetVersion>('datasets', 'get', { versionId: redacted.datasetVersionId });
    expect(version.lineage).toEqual({
      kind: 'redaction',
      sourceVersionId: imported.version.id,
      sourceVersion: 1,
      values: redacted.values,
      replacements: planted.length,
    });
    expect(version.datasetId).toBe(imported.version.datasetId);
    expect(version.splits).toEqual(imported.version.splits);
    const rows = (await ok<RowsPage>('datasets', 'rows', { versionId: version.id, limit: 1000 })).rows;
    const texts = rows.flatMap((r) => [String(r.data.text), String(r.data.answer)]);
    expect(texts.flatMap((t) => detect(t))).toEqual([]);
    for (const p of planted) expect(texts.some((t) => t.includes(p.value))).toBe(false);
    expect(texts.join(' ')).toMatch(/<EMAIL_\d+>.*<IBAN_\d+>/s);
    expect((await ok<ScanReport>('privacy', 'scan', { versionId: version.id })).total).toBe(0);
  });

  it('gives one value one placeholder across rows and fields', async () => {
    const file = path.join(dir, 'same.jsonl');
    fs.writeFileSync(
      file,
      [
        { id: 'a', text: 'Write to ann@example.com', answer: 'ok' },
        { id: 'b', text: 'or bob@example.com', answer: 'ANN@example.com replied' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const imported = await ok<ImportResult>('datasets', 'import', {
      newName: 'Same',
      files: [{ path: file }],
      mapping: MAPPING,
      split: { kind: 'hash', seed: 0, fractions: { train: 1, validation: 0, test: 0 } },
    });
    const redacted = await ok<RedactResult>('privacy', 'redact', { versionId: imported.version.id });
    expect(redacted).toMatchObject({ values: 2, replacements: 3 });
    const rows = (await ok<RowsPage>('datasets', 'rows', { versionId: redacted.datasetVersionId })).rows;
    expect(rows.map((r) => [r.data.text, r.data.answer])).toEqual([
      ['Write to <EMAIL_1>', 'ok'],
      ['or <EMAIL_2>', '<EMAIL_1> replied'],
    ]);
  });
});

describe('policy', () => {
  it('blocks an import with personal data when set to block, writing nothing, and names what it found', async () => {
    await ok('privacy', 'setPolicy', { onFinding: 'block', patterns: [{ name: 'ticket', pattern: 'TCK-[0-9]{6}' }] });
    const file = path.join(dir, 'tickets.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ id: '1', text: 'see TCK-123456', answer: 'x' })}\n`);
    const error = await failure('datasets', 'import', {
      newName: 'Tickets',
      files: [{ path: file }],
      mapping: MAPPING,
    });
    expect(error).toMatchObject({ kind: 'user', code: 'personal-data-blocked' });
    expect(error.message).toContain('1 match of TICKET in text');
    expect(workspace.active.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM dataset_versions').get()?.n).toBe(0);
  });

  it('refuses a pattern the linear-time engine cannot run, naming it', async () => {
    const error = await failure('privacy', 'setPolicy', {
      onFinding: 'warn',
      patterns: [{ name: 'back', pattern: '(a)\\1' }],
    });
    expect(error).toMatchObject({ kind: 'user', code: 'privacy-pattern' });
    expect(error.message).toContain('Pattern "back"');
  });
});

describe('cancel', () => {
  it('stops a scan of a large version between chunks', async () => {
    const file = path.join(dir, 'big.jsonl');
    fs.writeFileSync(
      file,
      Array.from({ length: 5000 }, (_, i) =>
        JSON.stringify({ id: `r${i}`, text: `row ${i} mail r${i}@example.com`, answer: 'a' }),
      ).join('\n'),
    );
    const imported = await ok<ImportResult>('datasets', 'import', {
      newName: 'Big',
      files: [{ path: file }],
      mapping: MAPPING,
    });
    const scanning = dispatcher.handle(
      { service: 'privacy', method: 'scan', arg: { versionId: imported.version.id, scanId: 'big' } },
      { transport: 'test' },
    );
    // Cancel once the first chunk reported progress (the scan yields between chunks, so this call is answered).
    while (!events.some((e) => e.event === 'onScanProgress')) await new Promise((resolve) => setImmediate(resolve));
    expect(await ok('privacy', 'cancelScan', { scanId: 'big' })).toEqual({ cancelled: true });
    const result = await scanning;
    expect(result.ok ? 'finished' : result.error.kind).toBe('cancelled');
  });
});
