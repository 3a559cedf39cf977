// The headless main job, short form (`demo --quick`: a few training steps, 12 test rows) through the composed app:
// it trains the joint adapter, runs the 2^3 ablation, writes the HTML summary, and a second run reuses everything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { composeApp, type ComposedApp } from '../compose';
import { engineWorkerScript } from '../host/testing/engine-worker-script';
import { runDemo } from './demo';
import { localClient } from './local-client';

let dir: string;
let app: ComposedApp;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-demo-')));
  app = composeApp({ shell: 'browser', version: 'test', userDataDir: path.join(dir, 'user'), engineWorkerScript: await engineWorkerScript(), log: () => undefined });
});
afterAll(async () => {
  await app.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('trains, ablates and reports; a second run reuses the adapter and the outputs', async () => {
  const api = localClient(app.dispatcher);
  const lines: string[] = [];
  const workspace = path.join(dir, 'demo');
  const first = await runDemo(api, { workspace, quick: true, log: (...l) => lines.push(...l) });
  const html = fs.readFileSync(first.reportPath, 'utf8');
  expect(html).toContain('Verdict');
  expect(html).toContain('<svg');
  expect(html).toContain('How the adapter was trained');
  const text = lines.join('\n');
  expect(text).toMatch(/base \+ template \+ LoRA adapter \+ soft prompt/);
  expect(text).toMatch(/Verdict:/);
  const experiment = (await api.experiments.list({})).find((e) => e.name === 'Demo ablation (quick)');
  expect(experiment?.cells).toHaveLength(8);
  expect(experiment?.progress).toMatchObject({ total: 96, done: 96 });

  lines.length = 0;
  await runDemo(api, { workspace, quick: true, log: (...l) => lines.push(...l) });
  expect(lines.join('\n')).toMatch(/Reusing the trained adapter/);
  expect((await api.adapters.jobs({})).filter((j) => j.name === 'Demo adapter (quick)')).toHaveLength(1);
}, 300_000);
