// The headless main job, short form (`demo --quick`: a few training steps, 12 test rows) through the composed app.
// Pins the demo's structure, not its timing or accuracy: three adapters trained separately (joint, LoRA alone, soft
// prompt alone), the 2^3 ablation of the joint one, the "prompt vs adapter vs both" comparison that reuses the
// ablation's outputs, the HTML summary, and a second run that reuses everything and checks the ablation at 8-bit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_RECIPES } from '../../shared/demo-recipes';
import { composeApp, type ComposedApp } from '../compose';
import { engineWorkerScript } from '../host/testing/engine-worker-script';
import { demoFormats, runDemo } from './demo';
import { localClient } from './local-client';

let dir: string;
let app: ComposedApp;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-demo-')));
  app = composeApp({
    shell: 'browser',
    version: 'test',
    userDataDir: path.join(dir, 'user'),
    engineWorkerScript: await engineWorkerScript(),
    log: () => undefined,
  });
});
afterAll(async () => {
  await app.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('trains the joint, LoRA-only and soft-prompt-only adapters, ablates, compares and reports; a second run reuses it all', async () => {
  const api = localClient(app.dispatcher);
  const lines: string[] = [];
  const workspace = path.join(dir, 'demo');
  const first = await runDemo(api, { workspace, quick: true, log: (...l) => lines.push(...l) });

  // Three jobs, one per method, each with an adapter of its own, all from the dataset's one recipe.
  const jobs = (await api.adapters.jobs({})).filter(
    (j) => j.name.startsWith('Demo adapter') && j.name.endsWith('(quick)'),
  );
  expect(jobs.map((j) => j.spec.method).sort()).toEqual(['both', 'lora', 'soft-prompt']);
  const adapterOf = (method: string): string => jobs.find((j) => j.spec.method === method)?.adapterId ?? 'missing';
  expect(new Set(jobs.map((j) => j.adapterId)).size).toBe(3);
  const recipe = DEMO_RECIPES['support-triage'];
  for (const j of jobs) expect(j.spec.hyper.lr).toBe(recipe?.lr[j.spec.method]);
  const adapters = await api.adapters.list({});
  expect(adapters.find((a) => a.id === adapterOf('lora'))?.method).toBe('lora');
  expect(adapters.find((a) => a.id === adapterOf('soft-prompt'))?.method).toBe('soft-prompt');

  // The ablation takes the joint specialization apart: 8 cells, the full one with the joint adapter for both parts.
  const experiments = await api.experiments.list({});
  const ablation = experiments.find((e) => e.name === 'Demo ablation (quick)');
  expect(ablation?.cells).toHaveLength(8);
  expect(ablation?.progress).toMatchObject({ total: 96, done: 96 });
  const specializations = await api.specializations.list({});
  const spec = (id: string | undefined) => specializations.find((s) => s.id === id);
  const full = spec(ablation?.cells.at(-1)?.specializationId);
  expect(full).toMatchObject({ loraAdapterId: adapterOf('both'), softPromptAdapterId: adapterOf('both') });

  // The comparison: template only, the LoRA trained alone, the soft prompt trained alone, both trained together.
  const comparison = experiments.find((e) => e.name === 'Demo: prompt vs adapter vs both (quick)');
  const parts = comparison?.cells
    .map((c) => spec(c.specializationId))
    .map((s) => [s?.loraAdapterId ?? null, s?.softPromptAdapterId ?? null, s?.templateVersionId !== null]);
  expect(parts).toEqual([
    [null, null, true],
    [adapterOf('lora'), null, true],
    [null, adapterOf('soft-prompt'), true],
    [adapterOf('both'), adapterOf('both'), true],
  ]);
  // Template-only and joint outputs are the ablation's, reused by content: only the two new cells are generated.
  expect(comparison?.progress).toMatchObject({ total: 48, done: 48, reused: 24 });
  expect(first.comparison.cells.map((c) => c.n)).toEqual([12, 12, 12, 12]);

  const html = fs.readFileSync(first.reportPath, 'utf8');
  expect(html).toContain('Verdict');
  expect(html).toContain('<svg');
  expect(html).toContain('How the adapters were trained');
  expect(html).toContain('Prompt vs adapter vs both');
  // The same report as PDF beside it, and listed in the workspace's reports with the demo's own sections.
  expect(
    fs
      .readFileSync(first.reportPath.replace(/\.html$/, '.pdf'))
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  const [record] = await api.reports.list({ kind: 'experiment' });
  const { document } = await api.reports.get({ id: record!.id });
  expect(document.blocks.map((b) => (b.type === 'text' ? b.title : null))).toContain('How the adapters were trained');
  const text = lines.join('\n');
  expect(text).toMatch(/base \+ template \+ LoRA adapter \+ soft prompt/);
  expect(text).toMatch(/template \+ LoRA trained alone/);
  expect(text).toMatch(/template \+ soft prompt trained alone/);
  expect(text).toMatch(/Verdict:/);

  lines.length = 0;
  const second = await runDemo(api, { workspace, quick: true, formats: ['q8'], log: (...l) => lines.push(...l) });
  expect(lines.filter((l) => l.startsWith('Reusing the trained adapter'))).toHaveLength(3);
  // --formats q8: every ablation cell again at 8-bit, paired with its stored-precision outputs, and printed.
  const [q8] = second.formats?.formats ?? [];
  expect(q8).toMatchObject({ format: 'q8', complete: true });
  expect(q8?.cells.map((c) => c.compared)).toEqual(Array(8).fill(12));
  expect((await api.experiments.get({ id: ablation?.id ?? '' })).progress).toMatchObject({ total: 192, reused: 96 });
  const table = lines.slice(lines.findIndex((l) => l.startsWith('Weight formats')));
  expect(table.filter((l) => l.startsWith('8-bit'))).toHaveLength(8);
  expect(table.join('\n')).toMatch(/n = 12 rows; paired bootstrap CIs/);
  expect((await api.adapters.jobs({})).filter((j) => j.name.endsWith('(quick)'))).toHaveLength(3);
  expect((await api.experiments.list({})).filter((e) => e.name.endsWith('(quick)'))).toHaveLength(2);
}, 600_000);

it('reads --formats as q8, q4 or both, and names a wrong one', () => {
  expect(demoFormats(undefined)).toBeUndefined();
  expect(demoFormats('q8,q4,q8')).toEqual(['q8', 'q4']);
  expect(() => demoFormats('q8,f16')).toThrow(/--formats: "f16" is not a weight format/);
});
