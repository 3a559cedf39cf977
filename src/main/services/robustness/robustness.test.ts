// Failure modes, robustness probes and drift audits end to end through the composed app (real dispatcher, SQLite,
// engine worker and the bundled demo model): categories with rates, a probe run through the experiments service,
// and drift audits of a release, one passing, one catching the release's model switched to 4-bit weights, and one the
// schedule starts, written to the workspace's audit log.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Api, DemoWorkspace, Specialization } from '../../../shared/contract';
import type { ComposedApp } from '../../compose';
import { runDriftAudit } from '../../headless/robustness';
import { useDemoApp } from '../../testing/demo-app';
import { perturb } from './perturb';

const ctx = useDemoApp('robustness');
let api: Api;
let demo: DemoWorkspace;
let app: ComposedApp;
let spec: Specialization;
let triage: string;

beforeAll(async () => {
  ({ api, demo, app } = ctx);
  triage = await ctx.triageVersionId();
  const template = await api.templates.save({
    name: 'Triage',
    source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
    message: 'first',
  });
  spec = await api.specializations.create({
    name: 'Template only',
    modelId: demo.modelIds[0] as string,
    templateVersionId: template.id,
    decoding: { do_sample: false, max_new_tokens: 12 },
  });
}, 120_000);

async function runToEnd(id: string) {
  await api.experiments.run({ id });
  return app.services.experiments.settled(id);
}

describe('failure modes', () => {
  it("gives each output its categories from the metrics and the workspace's rules, with rates and Wilson CIs", async () => {
    await api.robustness.saveRules({
      rules: [
        { kind: 'longer_than', name: 'rambles', chars: 20 },
        { kind: 'regex', name: 'mentions a ticket', pattern: 'ticket', flags: 'i' },
      ],
    });
    const experiment = await api.experiments.create({
      name: 'Failure modes',
      datasetVersionId: triage,
      limit: 6,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'json_valid' }, { kind: 'classification', field: 'category' }],
    });
    expect((await runToEnd(experiment.id)).state).toBe('completed');
    const modes = await api.robustness.failureModes({ id: experiment.id });
    const rows = (await api.experiments.outputs({ id: experiment.id, offset: 0, limit: 10, filter: 'all' })).rows;
    const cell = modes.cells[0];
    expect(cell?.n).toBe(6);
    const texts = rows.map((r) => r.outputs[0]?.text ?? '');
    const rambles = cell?.categories.find((c) => c.category === 'rambles');
    expect(rambles?.count ?? 0).toBe(texts.filter((t) => [...t].length > 20).length);
    expect(rambles?.source ?? 'rule').toBe('rule');
    const invalid = cell?.categories.find((c) => c.category === 'invalid JSON');
    const validShare = (await api.experiments.results({ id: experiment.id })).cells[0]?.metrics[0]?.value ?? 0;
    expect(invalid?.count ?? 0).toBe(Math.round((1 - validShare) * 6));
    for (const c of cell?.categories ?? []) {
      expect(c.ci[0]).toBeLessThanOrEqual(c.rate + 1e-12);
      expect(c.ci[1]).toBeGreaterThanOrEqual(c.rate - 1e-12);
      expect(c.count).toBe(modes.byExample[0]?.filter((cats) => cats.includes(c.category)).length);
    }
    // The slices are built in: input length and word rarity, three bins each, covering every scored output.
    const lengthSlices = cell?.slices.filter((s) => s.slice === 'input length') ?? [];
    expect(lengthSlices.map((s) => s.bin)).toEqual(['low', 'mid', 'high']);
    expect(lengthSlices.reduce((n, s) => n + s.n, 0)).toBe(6);
  }, 300_000);
});

describe('robustness probes', () => {
  it('runs recorded, seeded variants through the experiments and measures consistency and accuracy', async () => {
    const probe = await api.robustness.startProbe({
      name: 'Probe',
      specializationIds: [spec.id],
      datasetVersionId: triage,
      limit: 4,
      kinds: ['casing', 'long'],
      seed: 11,
      metrics: [{ kind: 'classification', field: 'category' }],
    });
    await app.services.robustness.probeSettled(probe.id);
    const variants = await api.datasets.get({ versionId: probe.variantsVersionId });
    expect(variants.lineage).toMatchObject({ kind: 'robustness-probe', sourceVersionId: triage, seed: 11, limit: 4 });
    expect(variants.rowCount).toBe(8);
    // The variants are the seeded perturbations of the clean rows, as recorded.
    const clean = (await api.datasets.rows({ versionId: triage, split: 'test', limit: 4 })).rows;
    const perturbed = (await api.datasets.rows({ versionId: variants.id, split: 'test', limit: 8 })).rows;
    expect(perturbed[0]?.data.message).toBe(
      perturb('casing', String(clean[0]?.data.message), 11, `${clean[0]?.key}\u0000message`),
    );
    const results = await api.robustness.probeResults({ id: probe.id });
    expect(results.complete).toBe(true);
    expect(results.rows.map((r) => [r.kind, r.consistency.n, r.accuracy.n])).toEqual([
      ['casing', 4, 4],
      ['long', 4, 4],
    ]);
    for (const r of results.rows) {
      expect(r.consistency.ci?.[0]).toBeLessThanOrEqual((r.consistency.rate ?? -1) + 1e-12);
      expect(r.examples.length).toBe(Math.min(3, r.consistency.n - r.consistency.k));
    }
  }, 300_000);
});

describe('drift audits', () => {
  it("pass on an unchanged release and flag drift when the release's model runs at 4 bits", async () => {
    // The audit set: the release's approved answers on 12 test rows (its golden set), scored by exact match.
    const golden = await api.experiments.create({
      name: 'Golden answers',
      datasetVersionId: triage,
      limit: 12,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'json_valid' }],
    });
    await runToEnd(golden.id);
    const rows = (await api.experiments.outputs({ id: golden.id, offset: 0, limit: 12, filter: 'all' })).rows;
    const file = path.join(ctx.dir, 'golden.jsonl');
    fs.writeFileSync(
      file,
      rows.map((r) => JSON.stringify({ message: r.input.message, approved: r.outputs[0]?.text })).join('\n'),
    );
    const { version } = await api.datasets.import({
      newName: 'Golden answers',
      files: [{ path: file, split: 'test' }],
      mapping: [
        { source: 'message', name: 'message', role: 'input' },
        { source: 'approved', name: 'approved', role: 'reference' },
      ],
      split: { kind: 'given' },
    });
    const release = await api.releases.create({
      specializationId: spec.id,
      name: 'Triage',
      version: '1.0.0',
      notes: '',
      experimentIds: [],
      roundIds: [],
    });
    const set = await api.robustness.setAuditSet({
      releaseId: release.id,
      datasetVersionId: version.id,
      metrics: [{ kind: 'exact_match', normalize: false }],
      everyDays: 30,
    });
    expect(set).toMatchObject({ recordedFormat: 'stored', due: false, lastAuditAt: null });

    const started = await api.robustness.startAudit({ releaseId: release.id });
    expect(started.state).toBe('running');
    const passed = await api.robustness.audit({ id: started.id });
    // Same outputs, same quality; only latency could differ on a busy machine (a warning, never drift).
    expect(passed.comparison).toMatchObject({ n: 12, changedOutputs: 0 });
    expect(passed.flags.filter((f) => f.aspect !== 'latency')).toEqual([]);
    expect(passed.state).toBe(passed.flags.length === 0 ? 'passed' : 'warning');
    // The audit generated every output again (kept apart), rather than reading the recorded ones.
    expect((await api.experiments.get({ id: started.experimentId })).progress).toMatchObject({ done: 12, reused: 0 });

    const modelId = demo.modelIds[0] as string;
    try {
      await api.models.setWeightFormat({ id: modelId, format: 'q4' });
      const degraded = await api.robustness.audit({
        id: (await api.robustness.startAudit({ releaseId: release.id })).id,
      });
      expect(degraded.state).toBe('drift');
      expect(degraded.flags.some((f) => f.severity === 'drift' && f.aspect === 'quality')).toBe(true);
      expect(degraded.comparison?.notes.join(' ')).toMatch(/q4 now; the recorded outputs were made as stored/);
      expect(degraded.comparison?.metrics[0]?.p ?? 1).toBeLessThan(0.05);
      expect((await api.robustness.audits({ releaseId: release.id })).map((a) => a.state)).toEqual([
        'drift',
        passed.state,
      ]);
      // The CLI for CI pipelines: exit 1 on drift, naming the metric that fell.
      const lines: string[] = [];
      const log = (...l: string[]): void => void lines.push(...l);
      expect(await runDriftAudit(api, 'Triage@1.0.0', { strict: false, log })).toBe(1);
      expect(lines.join('\n')).toMatch(/DRIFT \(quality\): Exact match \(verbatim\) fell from 100\.0%/);
    } finally {
      await api.models.setWeightFormat({ id: modelId, format: 'stored' });
    }
    // Back at the stored weights the release gives its recorded answers again: exit 0.
    expect(await runDriftAudit(api, release.id, { strict: false, log: () => undefined })).toBe(0);

    // A month later the schedule finds the audit due: the app starts it itself, and the workspace's audit log says
    // who (the app), what (the release audited, its audit and run) and the result, in the hash chain.
    const monthAgo = new Date(Date.now() - 31 * 86_400_000).toISOString();
    app.workspace.active.db
      .prepare('UPDATE drift_audits SET started_at = ? WHERE release_id = ?')
      .run(monthAgo, release.id);
    expect((await api.robustness.auditSets({})).find((s) => s.releaseId === release.id)?.due).toBe(true);
    const [scheduled, ...others] = await app.services.robustness.drift.runDue();
    expect(others).toEqual([]);
    expect(scheduled?.trigger).toBe('schedule');
    const result = await api.robustness.audit({ id: scheduled?.id ?? '' });
    const entries = (await api.audit.list({ filter: { actor: 'app' } })).entries.reverse();
    expect(entries.map((e) => [e.actor, e.method])).toEqual([
      [{ kind: 'app', transport: 'internal' }, 'robustness.startAudit'],
      [{ kind: 'app', transport: 'internal' }, 'robustness.auditFinished'],
    ]);
    expect(entries[0]?.args).toEqual({ releaseId: release.id, trigger: 'schedule' });
    expect(entries[0]?.objects.map((o) => o.id)).toEqual([release.id, result.id, result.experimentId]);
    expect(entries[1]?.args).toMatchObject({ releaseId: release.id, auditId: result.id, state: result.state });
    expect(result.state).toMatch(/^(passed|warning)$/);
    expect(await api.audit.verify({})).toMatchObject({ ok: true });

    // Due again, but its set names a dataset version that is gone: the audit cannot start, and the log says why.
    const db = app.workspace.active.db;
    db.prepare('UPDATE drift_audits SET started_at = ? WHERE release_id = ?').run(monthAgo, release.id);
    db.prepare(
      "UPDATE release_audit_sets SET spec = json_set(spec, '$.datasetVersionId', 'gone') WHERE release_id = ?",
    ).run(release.id);
    expect(await app.services.robustness.drift.runDue()).toEqual([]);
    const after = (await api.audit.list({ filter: { actor: 'app' } })).entries.reverse();
    expect(after).toHaveLength(3);
    expect(after[2]).toMatchObject({ actor: { kind: 'app', transport: 'internal' }, method: 'robustness.startAudit' });
    expect(after[2]?.args).toMatchObject({
      releaseId: release.id,
      trigger: 'schedule',
      error: expect.stringMatching(/^This dataset version is not in the open workspace/),
    });
    expect(after[2]?.objects.map((o) => o.id)).toEqual([release.id]);
    expect(await api.audit.verify({})).toMatchObject({ ok: true });
  }, 600_000);
});
