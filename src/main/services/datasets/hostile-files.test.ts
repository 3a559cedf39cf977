// Imports of files that try to break the app, through the service with a real workspace: converted encodings carry
// a warning into the result, reserved field names are refused or kept under another name without touching any
// prototype, and whole-file refusals (JSON array, NUL path, FIFO) name the file with a hint and import nothing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetsContract, type FileInspection, type ImportDataset } from '../../../shared/contract/datasets';
import { Dispatcher } from '../../api/dispatcher';
import { UserError } from '../../../shared/errors';
import { WorkspaceService } from '../workspace';
import { DatasetsService } from './datasets-service';

let dir: string;
let workspace: WorkspaceService;
let service: DatasetsService;

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-hostile-')));
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  service = new DatasetsService({
    workspace,
    clock: () => new Date(),
    events: { emit: () => undefined },
    paths: { homeDir: dir, relativeTo: dir },
  });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Hostile' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function put(name: string, content: string | Buffer): string {
  fs.writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
}
const importOf = (file: string, mapping: ImportDataset['mapping'], name = 'D') =>
  service.import({
    newName: name,
    files: [{ path: file }],
    mapping,
    message: '',
    split: { kind: 'hash', seed: 0, fractions: { train: 1, validation: 0, test: 0 } },
  });
async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}
async function expectNothingImported(): Promise<void> {
  expect(await service.list()).toEqual([]);
  const imports = path.join(dir, 'ws', 'imports'); // made by the first import that got as far as spooling
  expect(fs.existsSync(imports) ? fs.readdirSync(imports) : []).toEqual([]);
}

describe('hostile files', () => {
  it('imports a UTF-16 CSV and a Latin-1 JSONL with an encoding warning each', async () => {
    const utf16 = put(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('text,output\nJosé,ok\n', 'utf16le')]),
    );
    const inspection = await service.inspectFile({ path: utf16 });
    expect(inspection.warnings).toEqual([
      { code: 'encoding', message: expect.stringMatching(/UTF-16 \(little-endian\); Dovetail converted it/) },
    ]);
    const result = await importOf(utf16, [
      { source: 'text', name: 'text', role: 'input' },
      { source: 'output', name: 'output', role: 'reference' },
    ]);
    expect(result.warnings[0]).toEqual({
      code: 'encoding',
      message: expect.stringMatching(/^utf16\.csv: The file is encoded as UTF-16/),
    });
    const rows = await service.rows({
      versionId: result.version.id,
      split: null,
      offset: 0,
      limit: 10,
      onlyDuplicates: false,
    });
    expect(rows.rows[0]?.data).toEqual({ text: 'José', output: 'ok' });

    const latin1 = put('latin1.jsonl', Buffer.from('{"text": "Françoise à Zürich", "output": "ok"}\n', 'latin1'));
    const second = await importOf(
      latin1,
      [
        { source: 'text', name: 'text', role: 'input' },
        { source: 'output', name: 'output', role: 'reference' },
      ],
      'L',
    );
    expect(second.warnings.map((w) => w.code)).toEqual(['encoding']);
  });

  it('refuses a stored field named __proto__ or constructor, keeps the column under another name', async () => {
    const file = put('proto.jsonl', '{"__proto__": {"polluted": true}, "constructor": "c", "text": "t"}\n');
    const inspection = await service.inspectFile({ path: file });
    expect(inspection.suggestedMapping.map((m) => m.name)).toEqual(['proto_field', 'constructor_field', 'text']);
    const named = await refusal(
      importOf(file, [
        { source: '__proto__', name: '__proto__', role: 'none' },
        { source: 'text', name: 'text', role: 'input' },
      ]),
    );
    expect(named.message).toBe('A field cannot be named "__proto__": JavaScript reserves that name on every object.');
    expect(named.hint).toMatch(/"proto_field"/);
    await expectNothingImported();

    const kept = await importOf(file, inspection.suggestedMapping);
    const rows = await service.rows({
      versionId: kept.version.id,
      split: null,
      offset: 0,
      limit: 10,
      onlyDuplicates: false,
    });
    expect(rows.rows[0]?.data).toEqual({ proto_field: { polluted: true }, constructor_field: 'c', text: 't' });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('keeps a __proto__ column in the inspection sample through the contract check', async () => {
    const file = put('proto-sample.jsonl', '{"__proto__": "kept", "text": "t"}\n');
    const dispatcher = new Dispatcher({ datasets: datasetsContract }, { datasets: service }, { validateResults: true });
    const response = await dispatcher.handle(
      { service: 'datasets', method: 'inspectFile', arg: { path: file } },
      { transport: 'test' },
    );
    const sample = response.ok ? (response.result as FileInspection).sample[0]?.data : undefined;
    expect(sample && Object.getOwnPropertyDescriptor(sample, '__proto__')?.value).toBe('kept');
  });

  it('does not read Object.prototype for a mapped column the row lacks', async () => {
    const file = put('plain.jsonl', '{"text": "t"}\n');
    const error = await refusal(
      importOf(file, [
        { source: 'text', name: 'text', role: 'input' },
        { source: 'constructor', name: 'ctor', role: 'reference' },
      ]),
    );
    expect(error.message).toMatch(/^Line 1 of plain\.jsonl has no value for "constructor" \(the reference field\)/);
    await expectNothingImported();
  });

  it('refuses a JSON array file as a whole, with the conversion hint', async () => {
    const file = put('rows.json', '[{"text": "a"}, {"text": "b"}]');
    const error = await refusal(importOf(file, [{ source: 'text', name: 'text', role: 'input' }]));
    expect(error.message).toMatch(/^rows\.json is a JSON array, not JSON Lines\. Nothing was imported\./);
    expect(error.where).toBe(file);
    expect(error.hint).toMatch(/jq -c/);
    await expectNothingImported();
  });

  it.runIf(process.platform === 'linux')('refuses a FIFO and a NUL in the path before reading anything', async () => {
    const fifo = path.join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal(importOf(fifo, [{ source: 'text', name: 'text', role: 'input' }]))).message).toMatch(
      /is a named pipe \(FIFO\), not a regular file/,
    );
    expect((await refusal(service.inspectFile({ path: `${dir}/a\u0000b.csv` }))).code).toBe('bad-path');
    await expectNothingImported();
  });
});
