// An experiment's weight format check through the composed app (real engine, SQLite, scoring): the cells generated
// again at 8-bit and 4-bit as one run beside the stored precision's outputs (which are reused), paired per row, the
// model's own setting and the cells' recorded formats untouched, and the main metric kept for the format picker.
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('format-check');
const TEMPLATE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
const ROWS = 6;

describe('weight format check', () => {
  it('generates the cells at 8-bit and 4-bit, pairs them with the stored precision and keeps the main metric', async () => {
    const { api, app, demo } = ctx;
    const modelId = demo.modelIds[0] as string;
    const triage = await ctx.triageVersionId();
    const template = await api.templates.save({ name: 'Format check', source: TEMPLATE });
    const spec = await api.specializations.create({
      name: 'Format check',
      modelId,
      templateVersionId: template.id,
      decoding: { do_sample: false, max_new_tokens: 12 },
    });
    const experiment = await api.experiments.create({
      name: 'Format check',
      datasetVersionId: triage,
      split: 'test',
      limit: ROWS,
      batchSize: 3,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'json_valid' }, { kind: 'length', unit: 'tokens' }],
    });
    await api.experiments.run({ id: experiment.id });
    await app.services.experiments.settled(experiment.id);
    const before = await api.experiments.results({ id: experiment.id });

    await api.experiments.checkFormats({ id: experiment.id, formats: ['q8', 'q4'] });
    await expect(api.experiments.run({ id: experiment.id })).rejects.toMatchObject({ code: 'experiment-running' });
    const checked = await app.services.experiments.settled(experiment.id);
    expect(checked.state).toBe('completed');
    // Stored-precision outputs were reused; 8-bit and 4-bit ones were generated.
    expect(checked.progress).toMatchObject({ done: 3 * ROWS, total: 3 * ROWS, reused: ROWS });
    expect(checked.cells.map((c) => c.weightFormat)).toEqual(['stored']);
    expect((await api.models.get({ id: modelId })).weightFormat).toBe('stored');
    // The recorded results still read the stored precision's outputs.
    expect(await api.experiments.results({ id: experiment.id })).toEqual(before);

    // The main metric per format is kept for the model's format picker by the time the check has settled.
    const kept = await api.models.taskQuality({ id: modelId });
    const comparison = await api.experiments.formatComparison({ id: experiment.id });
    expect(kept.map((q) => q.format).sort()).toEqual(['q4', 'q8']);
    for (const q of kept) {
      const metric = comparison.formats.find((f) => f.format === q.format)?.cells[0]?.metrics[0];
      expect(q).toMatchObject({
        experimentId: experiment.id,
        cell: 'Format check',
        metric: metric?.label,
        n: ROWS,
        rows: 'Support triage v1, test split',
        delta: metric?.diff,
      });
    }

    expect(comparison.rows).toBe(ROWS);
    expect(comparison.formats.map((f) => [f.format, f.complete])).toEqual([
      ['q8', true],
      ['q4', true],
    ]);
    for (const f of comparison.formats) {
      const cell = f.cells[0];
      expect(cell?.compared).toBe(ROWS);
      expect(cell?.changed).toBeLessThanOrEqual(ROWS);
      const [valid, length] = cell?.metrics ?? [];
      expect(valid).toMatchObject({ kind: 'json_valid', binary: true, higherIsBetter: true, n: ROWS });
      expect(valid?.stored).toBeCloseTo(before.cells[0]?.metrics[0]?.value ?? NaN, 10);
      expect(valid?.diff).toBeCloseTo((valid?.value ?? NaN) - (valid?.stored ?? NaN), 10);
      expect(valid?.p).toBeGreaterThan(0);
      expect(valid?.ci?.[0]).toBeLessThanOrEqual(valid?.diff ?? NaN);
      expect(valid?.ci?.[1]).toBeGreaterThanOrEqual(valid?.diff ?? NaN);
      expect(length).toMatchObject({ binary: false, p: null, n: ROWS });
    }

    // The same outputs are what a run at the model's 8-bit setting reads: nothing is generated again, and its
    // results match the comparison's 8-bit figures.
    await api.models.setWeightFormat({ id: modelId, format: 'q8' });
    try {
      await api.experiments.run({ id: experiment.id });
      const at8 = await app.services.experiments.settled(experiment.id);
      expect(at8.progress).toMatchObject({ done: ROWS, total: ROWS, reused: ROWS });
      const results8 = await api.experiments.results({ id: experiment.id });
      const q8 = comparison.formats.find((f) => f.format === 'q8');
      expect(results8.cells[0]?.metrics[0]?.value).toBeCloseTo(q8?.cells[0]?.metrics[0]?.value ?? NaN, 10);
    } finally {
      await api.models.setWeightFormat({ id: modelId, format: 'stored' });
    }
  }, 300_000);

  it('a cancelled check keeps what it made, shows it as incomplete, and a second check continues it', async () => {
    const { api, app, demo } = ctx;
    const triage = await ctx.triageVersionId();
    const spec = await api.specializations.create({
      name: 'Format check, cancelled',
      modelId: demo.modelIds[0] as string,
      decoding: { do_sample: false, max_new_tokens: 16, ignore_eos: true },
    });
    const experiment = await api.experiments.create({
      name: 'Format check, cancelled',
      datasetVersionId: triage,
      split: 'test',
      limit: ROWS,
      batchSize: 2,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'length', unit: 'tokens' }],
    });
    // Cancelled as soon as it starts: the first batch is still in the engine, so the run ends cancelled.
    await api.experiments.checkFormats({ id: experiment.id, formats: ['q4'] });
    const cancelled = await api.experiments.cancel({ id: experiment.id });
    expect(cancelled.state).toBe('cancelled');
    await app.services.experiments.settled(experiment.id);
    const partial = await api.experiments.formatComparison({ id: experiment.id });
    expect(partial.formats.every((f) => !f.complete)).toBe(true);
    expect(await api.models.taskQuality({ id: demo.modelIds[0] as string })).not.toContainEqual(
      expect.objectContaining({ experimentId: experiment.id }),
    );

    await api.experiments.checkFormats({ id: experiment.id, formats: ['q4'] });
    const done = await app.services.experiments.settled(experiment.id);
    expect(done.state).toBe('completed');
    // Exactly what the cancelled run stored is reused (the batch in flight when it was cancelled was not stored).
    expect(done.progress?.reused).toBe(cancelled.progress?.done ?? 0);
    expect(done.progress?.total).toBe(2 * ROWS);
    const full = await api.experiments.formatComparison({ id: experiment.id });
    expect(full.formats.map((f) => [f.format, f.complete])).toEqual([['q4', true]]);
    expect(full.formats[0]?.cells[0]?.metrics[0]).toMatchObject({ n: ROWS, diff: 0, p: null });
  }, 300_000);
});
