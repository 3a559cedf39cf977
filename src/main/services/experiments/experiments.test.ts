// Experiments end to end through the composed app (real dispatcher, services, SQLite and engine worker with the
// bundled demo model): an ablation's cells, batched outputs stored as they come, cancel mid-run and resume without
// recomputing, results with CIs and effects, the side-by-side rows and an example's rendered prompts.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Api, DemoWorkspace, ExperimentProgress } from '../../../shared/contract';
import type { ComposedApp } from '../../compose';
import { WORKER_CONFIG_FLAG } from '../../engine/protocol';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('experiments');
let api: Api;
let demo: DemoWorkspace;
let app: ComposedApp;
beforeAll(() => {
  ({ api, demo, app } = ctx);
});

async function triage() {
  const dataset = (await api.datasets.list({})).find((d) => d.name === 'Support triage');
  const version = dataset?.versions[0];
  if (!version) throw new Error('the demo workspace has no Support triage dataset');
  return version;
}

describe('experiments', () => {
  it('runs an ablation in batches, resumes after a cancel without recomputing, and reports effects with CIs', async () => {
    const version = await triage();
    const template = await api.templates.save({
      name: 'Triage',
      source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
      message: 'first',
    });
    const modelId = demo.modelIds[0] as string;
    const full = await api.specializations.create({
      name: 'Template only',
      modelId,
      templateVersionId: template.id,
      decoding: { do_sample: false, max_new_tokens: 16 },
    });
    expect(full.components).toEqual(['template']);
    // The same bundle again is the same specialization (content hash).
    expect(
      (
        await api.specializations.create({
          name: 'Again',
          modelId,
          templateVersionId: template.id,
          decoding: { max_new_tokens: 16, do_sample: false },
        })
      ).id,
    ).toBe(full.id);

    const experiment = await api.experiments.create({
      name: 'Template ablation',
      datasetVersionId: version.id,
      split: 'test',
      limit: 6,
      batchSize: 2,
      design: { kind: 'ablation', specializationId: full.id },
      metrics: [{ kind: 'json_valid' }, { kind: 'classification', field: 'category' }],
    });
    expect(experiment.cells.map((c) => [c.label, c.mask])).toEqual([
      ['base', 0],
      ['base + template', 1],
    ]);
    expect(experiment.cells[1]?.specializationId).toBe(full.id);

    // Cancel after the first stored batch.
    const progress: ExperimentProgress[] = [];
    const off = api.experiments.onProgress(({ id, progress: p }) => {
      if (id !== experiment.id) return;
      progress.push(p);
      if (progress.length === 1) void api.experiments.cancel({ id });
    });
    await api.experiments.run({ id: experiment.id });
    const cancelled = await app.services.experiments.settled(experiment.id);
    off();
    expect(cancelled.state).toBe('cancelled');
    const doneBefore = cancelled.progress?.done ?? 0;
    expect(doneBefore).toBeGreaterThanOrEqual(2);
    expect(doneBefore).toBeLessThan(12);
    const partial = await api.experiments.results({ id: experiment.id });
    expect(partial.complete).toBe(false);
    expect(partial.ablation).toBeNull();

    // Resume: only the missing outputs are generated.
    await api.experiments.run({ id: experiment.id });
    const finished = await app.services.experiments.settled(experiment.id);
    expect(finished.state).toBe('completed');
    expect(finished.progress).toMatchObject({ done: 12, total: 12, reused: doneBefore });
    const first = await api.experiments.outputs({ id: experiment.id, offset: 0, limit: 50, filter: 'all' });

    // A third run reuses everything and changes nothing.
    await api.experiments.run({ id: experiment.id });
    const again = await app.services.experiments.settled(experiment.id);
    expect(again.progress).toMatchObject({ done: 12, total: 12, reused: 12 });
    expect((await api.experiments.outputs({ id: experiment.id, offset: 0, limit: 50, filter: 'all' })).rows).toEqual(
      first.rows,
    );

    const results = await api.experiments.results({ id: experiment.id });
    expect(results).toMatchObject({ n: 6, complete: true });
    expect(results.cells).toHaveLength(2);
    for (const cell of results.cells) {
      expect(cell.n).toBe(6);
      const valid = cell.metrics[0];
      expect(valid?.value).not.toBeNull();
      expect(valid?.ci?.[0]).toBeLessThanOrEqual(valid?.value ?? NaN);
      expect(valid?.ci?.[1]).toBeGreaterThanOrEqual(valid?.value ?? NaN);
    }
    // The template costs context tokens.
    expect((results.cells[1]?.meanPromptTokens ?? 0) - (results.cells[0]?.meanPromptTokens ?? 0)).toBeGreaterThan(5);
    expect(results.ablation?.effects.map((e) => e.terms)).toEqual([['template']]);
    expect(results.ablation?.n).toBe(6);
    expect(results.ablation?.verdict.join(' ')).toMatch(/6 /);
    expect(results.ablation?.contextTokens.template).toBeGreaterThan(5);
    // The direct vs-base rows: the full cell against the all-off one, on both metrics.
    expect(results.versusBase?.base).toBe('base');
    expect(results.versusBase?.rows.map((r) => [r.cell, r.label])).toEqual([
      ['base + template', 'Valid JSON'],
      ['base + template', 'Classification accuracy (category)'],
    ]);

    expect(first.total).toBe(6);
    expect(first.rows[0]?.outputs).toHaveLength(2);
    const details = await api.experiments.example({ id: experiment.id, exampleIdx: 0 });
    const message = String(details.input.message);
    expect(details.cells[0]?.prompt).toBe(message);
    expect(details.cells[1]?.prompt).toBe(`Triage this support message as JSON.\nMessage: ${message}\nTicket: `);
    expect(details.reference).toMatch(/^\{"category"/);

    // Creating a cell's bundle by name makes it a specialization of its own (no longer hidden as a cell).
    const baseCell = await api.specializations.get({ id: experiment.cells[0]?.specializationId as string });
    expect(baseCell.derivedFrom).toBe(full.id);
    const promoted = await api.specializations.create({
      name: 'Base model',
      modelId,
      decoding: { do_sample: false, max_new_tokens: 16 },
    });
    expect(promoted).toMatchObject({ id: baseCell.id, name: 'Base model', derivedFrom: null });

    const record = await api.reports.generate({ kind: 'experiment', subject: experiment.id });
    const html = (await api.reports.export({ id: record.id, format: 'html' })).data;
    expect(html).toContain('<svg');
    expect(html).toContain('Template ablation');
    expect(html).toContain('Against the base model (base; paired, Holm-adjusted p)');
  }, 240_000);

  it('refuses an ablation of the base model alone and a metric that needs a missing reference', async () => {
    const version = await triage();
    const base = await api.specializations.create({ name: 'Base', modelId: demo.modelIds[0] as string });
    await expect(
      api.experiments.create({
        name: 'x',
        datasetVersionId: version.id,
        design: { kind: 'ablation', specializationId: base.id },
        metrics: [{ kind: 'json_valid' }],
      }),
    ).rejects.toThrow(/no components to ablate/);
    await expect(
      api.experiments.create({
        name: 'x',
        datasetVersionId: version.id,
        split: 'test',
        design: { kind: 'compare', specializationIds: ['nope'] },
        metrics: [{ kind: 'json_valid' }],
      }),
    ).rejects.toThrow(/No specialization nope/);
  });

  it('reads as interrupted after an engine crash, as a training job does, and resumes from its stored outputs', async () => {
    const version = await triage();
    const spec = await api.specializations.create({
      name: 'Crash run',
      modelId: demo.modelIds[0] as string,
      decoding: { do_sample: false, max_new_tokens: 8 },
    });
    const experiment = await api.experiments.create({
      name: 'Crash',
      datasetVersionId: version.id,
      split: 'test',
      limit: 6,
      batchSize: 2,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'json_valid' }],
    });
    const off = api.experiments.onProgress(({ id, progress }) => {
      if (id === experiment.id && progress.done === 2) killEngineWorker(); // as the OS's out-of-memory killer would
    });
    await api.experiments.run({ id: experiment.id });
    const cut = await app.services.experiments.settled(experiment.id);
    off();
    expect(cut.state).toBe('interrupted');
    expect(cut.error?.message).toMatch(/^The engine stopped unexpectedly while running generate/);
    await api.experiments.run({ id: experiment.id });
    const resumed = await app.services.experiments.settled(experiment.id);
    expect(resumed).toMatchObject({ state: 'completed', progress: { done: 6, total: 6 } });
    expect(resumed.progress?.reused).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it("keys outputs by the weights' precision and records it: results read the precision the run used; a model switched to 8-bit generates anew, and back at full precision reuses", async () => {
    const version = await triage();
    const modelId = demo.modelIds[0] as string;
    const spec = await api.specializations.create({
      name: 'Precision run',
      modelId,
      decoding: { do_sample: false, max_new_tokens: 6 },
    });
    const experiment = await api.experiments.create({
      name: 'Precision',
      datasetVersionId: version.id,
      split: 'test',
      limit: 4,
      batchSize: 2,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'json_valid' }],
    });
    const run = async () => {
      await api.experiments.run({ id: experiment.id });
      return (await app.services.experiments.settled(experiment.id)).progress;
    };
    const formats = async () => (await api.experiments.get({ id: experiment.id })).cells.map((c) => c.weightFormat);
    expect(await formats()).toEqual([undefined]);
    expect(await run()).toMatchObject({ done: 4, reused: 0 });
    expect(await formats()).toEqual(['stored']);
    const lineageWeights = async () =>
      (await app.services.experiments.reportDocument(experiment.id, [])).lineage.objects.find(
        (o) => o.kind === 'experiment',
      )?.detail['weights'];
    try {
      await api.models.setWeightFormat({ id: modelId, format: 'q8' });
      // Until it runs again, the experiment's results are those of the precision it ran at.
      const before = await api.experiments.results({ id: experiment.id });
      expect(before.complete).toBe(true);
      expect(before.cells[0]?.cell.weightFormat).toBe('stored');
      expect(await run()).toMatchObject({ done: 4, reused: 0 }); // full-precision outputs are not 8-bit ones
      expect(await formats()).toEqual(['q8']);
      expect(await lineageWeights()).toBe('8-bit');
    } finally {
      await api.models.setWeightFormat({ id: modelId, format: 'stored' });
    }
    expect((await api.experiments.results({ id: experiment.id })).cells[0]?.cell.weightFormat).toBe('q8');
    expect(await run()).toMatchObject({ done: 4, reused: 4 });
    expect(await formats()).toEqual(['stored']);
    expect(await lineageWeights()).toBe('as stored');
  }, 240_000);
});

/** SIGKILLs this process's engine worker child (found by its config flag in /proc). */
function killEngineWorker(): void {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(WORKER_CONFIG_FLAG))
        process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
}
