// Files made by other tools, through the dispatcher with a real workspace: Parquet (found by its magic bytes
// whatever the name, rows numbered in errors, nothing imported on a bad row) and OpenAI chat fine-tuning JSONL
// (flattened by the chat mapping, bad conversations named by line), and a version exported back to that format.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  datasetsContract,
  type FileInspection,
  type ImportResult,
  type RowsPage,
} from '../../../shared/contract/datasets';
import type { ErrorShape } from '../../../shared/errors';
import { Dispatcher } from '../../api/dispatcher';
import { WorkspaceService } from '../workspace';
import { DatasetsService } from './datasets-service';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);

let dir: string;
let workspace: WorkspaceService;
let dispatcher: Dispatcher<{ datasets: typeof datasetsContract }>;

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-formats-')));
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  const service = new DatasetsService({
    workspace,
    clock: () => new Date('2026-01-02T03:04:05Z'),
    events: { emit: () => undefined },
    paths: { homeDir: dir, relativeTo: dir },
  });
  dispatcher = new Dispatcher({ datasets: datasetsContract }, { datasets: service }, { validateResults: true });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Formats test' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call<T>(
  method: string,
  arg: unknown,
): Promise<{ ok: true; result: T } | { ok: false; error: ErrorShape }> {
  const r = await dispatcher.handle({ service: 'datasets', method, arg }, { transport: 'test' });
  return r.ok ? { ok: true, result: r.result as T } : { ok: false, error: r.error };
}
async function ok<T>(method: string, arg: unknown): Promise<T> {
  const r = await call<T>(method, arg);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result;
}
async function failure(method: string, arg: unknown): Promise<ErrorShape> {
  const r = await call(method, arg);
  if (r.ok) throw new Error(`expected ${method} to fail`);
  return r.error;
}
function nothingImported(): void {
  const n = workspace.active.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM dataset_rows').get()?.n;
  expect(n).toBe(0);
  expect(workspace.active.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM datasets').get()?.n).toBe(0);
}

describe('Parquet', () => {
  it('inspects and imports a Parquet file with its types, row groups and split column', async () => {
    const info = await ok<FileInspection>('inspectFile', { path: fixture('qa.parquet') });
    expect(info.format).toBe('parquet');
    expect(info.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['question', 'string'],
      ['answer', 'string'],
      ['split', 'string'],
    ]);
    expect(info.sample.map((s) => s.line)).toEqual([1, 2, 3, 4, 5, 6]); // across both row groups
    expect(info.splitColumn).toBe('split');
    expect(info.suggestedMapping.map((m) => [m.source, m.role])).toEqual([
      ['id', 'key'],
      ['question', 'input'],
      ['answer', 'reference'],
    ]);
    const { version } = await ok<ImportResult>('import', {
      newName: 'QA from Parquet',
      files: [{ path: fixture('qa.parquet') }],
      mapping: info.suggestedMapping,
      split: { kind: 'column', field: 'split' },
    });
    expect(version.rowCount).toBe(6);
    expect(version.splits).toEqual({ train: 3, validation: 1, test: 2 });
    expect(version.source.files[0]?.format).toBe('parquet');
    expect(version.source.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const page = await ok<RowsPage>('rows', { versionId: version.id, split: 'test' });
    expect(page.rows.map((r) => [r.key, r.data.answer])).toEqual([
      ['5', 'William Shakespeare'],
      ['6', '144'],
    ]);
  });

  it('gives the row count the footer states, not an estimate from the sample', async () => {
    const file = path.join(dir, 'many.parquet');
    const n = 120;
    parquetWriteFile({
      filename: file,
      columnData: [{ name: 'text', data: Array.from({ length: n }, (_, i) => `row ${i}`), type: 'STRING' }],
    });
    const info = await ok<FileInspection>('inspectFile', { path: file });
    expect(info.sample).toHaveLength(50);
    expect([info.rowEstimate, info.exact]).toEqual([120, true]);
  });

  it('finds a Parquet file by its magic bytes under a .csv name', async () => {
    const disguised = path.join(dir, 'export.csv');
    fs.copyFileSync(fixture('qa.parquet'), disguised);
    const info = await ok<FileInspection>('inspectFile', { path: disguised });
    expect(info.format).toBe('parquet');
    expect(info.problems).toEqual([]);
  });

  it('refuses a .parquet file that is not Parquet, as a whole', async () => {
    const fake = path.join(dir, 'fake.parquet');
    fs.writeFileSync(fake, 'question,answer\nOne?,1\n');
    const info = await ok<FileInspection>('inspectFile', { path: fake });
    expect(info.problems).toEqual([
      expect.objectContaining({ line: 0, reason: expect.stringContaining('is not a Parquet file') }),
    ]);
  });

  it('refuses a footer that claims more metadata than the file holds, before reading it', async () => {
    const damaged = path.join(dir, 'damaged.parquet');
    const bytes = fs.readFileSync(fixture('qa.parquet'));
    bytes.writeUInt32LE(0x7fff_ffff, bytes.length - 8);
    fs.writeFileSync(damaged, bytes);
    const info = await ok<FileInspection>('inspectFile', { path: damaged });
    expect(info.problems[0]?.reason).toBe('has a damaged Parquet footer (it claims 2,147,483,647 bytes of metadata)');
  });

  it('names each bad row by its number and imports nothing', async () => {
    const error = await failure('import', {
      newName: 'Bad',
      files: [{ path: fixture('bad-rows.parquet') }],
      mapping: [
        { source: 'question', name: 'question', role: 'input' },
        { source: 'answer', name: 'answer', role: 'reference' },
        { source: 'score', name: 'score', role: 'none' },
      ],
    });
    expect(error.kind).toBe('user');
    expect(error.message).toContain('Row 3 of bad-rows.parquet has no value for "answer" (the reference field)');
    expect(error.message).toContain('Row 4 of bad-rows.parquet has Infinity (not a finite number) in column "score"');
    expect(error.kind === 'user' ? error.where : '').toMatch(/bad-rows\.parquet:3$/);
    nothingImported();
  });
});

describe('OpenAI chat JSONL', () => {
  it('detects chat rows and flattens them: first system message, last user turn, final answer, history kept', async () => {
    const info = await ok<FileInspection>('inspectFile', { path: fixture('openai-chat.jsonl') });
    expect(info.chat).toEqual({ mapping: { system: 'first', history: 'field' }, multiTurnRows: 1, systemRows: 4 });
    expect(info.columns.map((c) => c.name)).toEqual(['system', 'input', 'reference', 'history']);
    expect(info.suggestedMapping.map((m) => [m.source, m.role])).toEqual([
      ['system', 'none'],
      ['input', 'input'],
      ['reference', 'reference'],
      ['history', 'none'],
    ]);
    const multi = info.sample[3]?.data;
    expect(multi?.input).toBe('Can you be more sarcastic?');
    expect(multi?.history).toEqual([
      { role: 'user', content: "What's the capital of France?" },
      { role: 'assistant', content: 'Paris' },
    ]);
    expect(info.sample[4]?.data).toMatchObject({ system: null, input: 'How many legs does a spider have?' });
  });

  it('flattens conversations stored in a Parquet messages column the same way', async () => {
    const info = await ok<FileInspection>('inspectFile', { path: fixture('chat.parquet') });
    expect(info.format).toBe('parquet');
    expect(info.chat?.systemRows).toBe(1);
    expect(info.sample.map((s) => s.data)).toEqual([
      { system: 'Answer with the capital only.', input: 'France?', reference: 'Paris', history: [] },
      { system: null, input: 'Japan?', reference: 'Tokyo', history: [] },
    ]);
  });

  it('imports with the mapping chosen, recording it; history dropped or refused as asked', async () => {
    const mapping = [
      { source: 'system', name: 'system', role: 'none' },
      { source: 'input', name: 'question', role: 'input' },
      { source: 'reference', name: 'answer', role: 'reference' },
    ];
    const { version } = await ok<ImportResult>('import', {
      newName: 'Marv',
      files: [{ path: fixture('openai-chat.jsonl') }],
      mapping,
      chat: { system: 'first', history: 'drop' },
    });
    expect(version.rowCount).toBe(5);
    expect(version.source.chat).toEqual({ system: 'first', history: 'drop' });
    const refused = await failure('import', {
      newName: 'Marv single',
      files: [{ path: fixture('openai-chat.jsonl') }],
      mapping,
      chat: { system: 'none', history: 'refuse' },
    });
    expect(refused.message).toMatch(/^Line 4 of openai-chat\.jsonl has 2 earlier turn\(s\)/);
  });

  it('names every conversation it cannot use by line and imports nothing', async () => {
    const error = await failure('import', {
      newName: 'Bad chat',
      files: [{ path: fixture('openai-chat-bad.jsonl') }],
      mapping: [
        { source: 'input', name: 'input', role: 'input' },
        { source: 'reference', name: 'reference', role: 'reference' },
      ],
      chat: { system: 'first', history: 'field' },
    });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(
      'Line 2 of openai-chat-bad.jsonl has no user message (its text is the input). 5 problems. Nothing was imported.',
    );
    expect(error.message).toContain('Line 3 of openai-chat-bad.jsonl ends with an assistant message that calls tools');
    expect(error.message).toContain('Line 4 of openai-chat-bad.jsonl has no "messages" list');
    expect(error.message).toContain(
      'Line 5 of openai-chat-bad.jsonl has message 1 that has a "image_url" content part',
    );
    expect(error.message).toContain('Line 6 of openai-chat-bad.jsonl does not end with an assistant message');
    nothingImported();
  });

  it('exports a version as chat JSONL that imports back to the same rows', async () => {
    const { version } = await ok<ImportResult>('import', {
      newName: 'Round trip',
      files: [{ path: fixture('openai-chat.jsonl') }],
      mapping: [
        { source: 'system', name: 'system', role: 'none' },
        { source: 'input', name: 'input', role: 'input' },
        { source: 'reference', name: 'reference', role: 'reference' },
        { source: 'history', name: 'history', role: 'none' },
      ],
      chat: { system: 'first', history: 'field' },
    });
    const exported = await ok<{ fileName: string; text: string; count: number }>('exportChat', {
      versionId: version.id,
    });
    expect(exported.fileName).toBe('round-trip-v1.chat.jsonl');
    expect(exported.count).toBe(5);
    const lines = exported.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines[3]).toEqual({
      messages: [
        { role: 'system', content: 'Marv is a factual chatbot that is also sarcastic.' },
        { role: 'user', content: "What's the capital of France?" },
        { role: 'assistant', content: 'Paris' },
        { role: 'user', content: 'Can you be more sarcastic?' },
        { role: 'assistant', content: "Paris, as if everyone doesn't know that already." },
      ],
    });
    expect(lines[4]).toEqual({
      messages: [
        { role: 'user', content: 'How many legs does a spider have?' },
        { role: 'assistant', content: 'Eight. Counting them yourself was too hard?' },
      ],
    });
    const again = path.join(dir, exported.fileName);
    fs.writeFileSync(again, exported.text);
    const reimported = await ok<ImportResult>('import', {
      newName: 'Round trip again',
      files: [{ path: again }],
      mapping: version.fields.map((f) => ({ source: f.name, name: f.name, role: f.role })),
      chat: { system: 'first', history: 'field' },
    });
    expect(reimported.version.contentHash).toBe(version.contentHash);
  });

  it('refuses to export a version without a reference, and names an unknown system field', async () => {
    const file = path.join(dir, 'plain.jsonl');
    fs.writeFileSync(file, '{"text": "a"}\n{"text": "b"}\n');
    const { version } = await ok<ImportResult>('import', {
      newName: 'Plain',
      files: [{ path: file }],
      mapping: [{ source: 'text', name: 'text', role: 'input' }],
    });
    const noReference = await failure('exportChat', { versionId: version.id });
    expect(noReference.message).toBe("Plain v1 has no reference field to be the assistant's answer.");
    const chat = await ok<ImportResult>('import', {
      newName: 'Chat',
      files: [{ path: fixture('openai-chat.jsonl') }],
      mapping: [
        { source: 'input', name: 'input', role: 'input' },
        { source: 'reference', name: 'reference', role: 'reference' },
      ],
      chat: { system: 'none', history: 'drop' },
    });
    const unknown = await failure('exportChat', { versionId: chat.version.id, systemField: 'persona' });
    expect(unknown.message).toBe('Chat v1 has no field "persona".');
  });
});
