// `dovetail eval <experiment.json>` through the composed app: names resolve, the experiment runs, a threshold that
// fails gives exit code 1 and one that passes 0 (reusing the stored outputs), a bad file is a UserError naming it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { composeApp, type ComposedApp } from '../compose';
import { engineWorkerScript } from '../host/testing/engine-worker-script';
import { runEval } from './eval';
import { localClient } from './local-client';

let dir: string;
let app: ComposedApp;
let api: Api;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-eval-')));
  app = composeApp({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(dir, 'user'),
    engineWorkerScript: await engineWorkerScript(),
    log: () => undefined,
  });
  api = localClient(app.dispatcher);
  const demo = await api.demo.openDemoWorkspace({ path: path.join(dir, 'ws') });
  const template = await api.templates.save({ name: 'Triage', source: 'Message: {{ message }}\nTicket: ' });
  await api.specializations.create({
    name: 'Templated',
    modelId: demo.modelIds[0] as string,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 8 },
  });
}, 120_000);
afterAll(async () => {
  await app.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

it('exits 1 when a threshold fails and 0 when it passes, and writes the report', async () => {
  const lines: string[] = [];
  const log = (...l: string[]): void => void lines.push(...l);
  const base = { name: 'CI gate', dataset: 'Support triage', limit: 4, specializations: ['Templated'], batchSize: 4 };
  const failing = file('fail.json', { ...base, metrics: [{ kind: 'length', unit: 'chars', threshold: 0 }] });
  expect(await runEval(api, failing, { log })).toBe(1);
  expect(lines.join('\n')).toMatch(/Thresholds: FAIL/);
  const report = path.join(dir, 'report.html');
  const passing = file('pass.json', {
    ...base,
    name: 'CI gate 2',
    metrics: [{ kind: 'length', unit: 'chars', threshold: 100_000 }],
  });
  expect(await runEval(api, passing, { log, report })).toBe(0);
  expect(fs.readFileSync(report, 'utf8')).toContain('CI gate 2');
}, 120_000);

it('names the file and the field when the experiment file is wrong', async () => {
  const bad = file('bad.json', {
    name: 'x',
    dataset: 'Support triage',
    specializations: ['Templated'],
    metrics: [{ kind: 'nope' }],
  });
  await expect(runEval(api, bad, { log: () => undefined })).rejects.toThrow(UserError);
  await expect(runEval(api, file('broken.json', '{'), { log: () => undefined })).rejects.toThrow(/broken\.json/);
  const unknown = file('unknown.json', {
    name: 'x',
    dataset: 'Nope',
    specializations: ['Templated'],
    metrics: [{ kind: 'json_valid' }],
  });
  await expect(runEval(api, unknown, { log: () => undefined })).rejects.toThrow(/No dataset "Nope"/);
});

it('exits 1 when a performance budget is missed, naming the limit, and 0 when it holds', async () => {
  const lines: string[] = [];
  const log = (...l: string[]): void => void lines.push(...l);
  const base = {
    dataset: 'Support triage',
    limit: 4,
    specializations: ['Templated'],
    batchSize: 4,
    metrics: [{ kind: 'length', unit: 'chars', threshold: 100_000 }],
  };
  // The context-token limit is deterministic: every rendered prompt is longer than 2 tokens.
  const tight = file('tight.json', { ...base, name: 'Budget gate', budget: { maxContextTokens: 2 } });
  expect(await runEval(api, tight, { log })).toBe(1);
  const text = lines.join('\n');
  expect(text).toMatch(/Thresholds: PASS/);
  expect(text).toMatch(/Budget: FAIL/);
  expect(text).toMatch(/Context tokens FAIL: \d+ tokens over 4 calls; needs at most 2 tokens/);

  const roomy = file('roomy.json', {
    ...base,
    name: 'Budget gate 2',
    budget: { maxContextTokens: 100_000, maxMemoryMiB: 1_000_000, p95LatencyMs: 3_600_000 },
  });
  lines.length = 0;
  expect(await runEval(api, roomy, { log })).toBe(0);
  expect(lines.join('\n')).toMatch(/Budget: PASS/);
  // Memory was measured in the engine worker while it generated (the same outputs, reused by content).
  const experiment = (await api.experiments.list({})).find((e) => e.name === 'Budget gate 2');
  const results = await api.experiments.results({ id: experiment?.id ?? '' });
  const figures = results.cells[0]?.performance;
  expect(figures?.n).toBe(4);
  expect(figures?.peakMemoryBytes).toBeGreaterThan(10 * 1024 * 1024);
  expect(figures?.p95TimeToFirstTokenMs).toBeGreaterThan(0);
  expect(results.cells[0]?.budget.map((b) => b.name)).toEqual(['p95 latency', 'Context tokens', 'Memory']);
}, 120_000);
