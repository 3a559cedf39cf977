// The four report sources over the composed app on the demo workspace (real engine, SQLite, services): a LoRA trained
// for a few steps, an experiment of three specializations on the demo model, a blind round judged by two reviewers,
// two releases with evidence on a gated channel. Each report validates, names things as people named them, carries
// the lineage with content hashes, and shows the services' own numbers. The review export keeps its battles byte for
// byte and gains a lineage sidecar.
import { describe, expect, it } from 'vitest';
import type { Api } from '../../../../shared/contract';
import type { CallContext } from '../../../../shared/contract/define';
import type { User } from '../../../../shared/contract/users';
import { UserError } from '../../../../shared/errors';
import { ReportDocument, type ReportBlock } from '../../../../shared/report';
import { useDemoApp } from '../../../testing/demo-app';
import { specializationObjects } from '../../lineage/specialization-lineage';
import { ReviewsService } from '../../reviews';
import { createReportKinds, type ReportKindsDeps } from './index';

const demo = useDemoApp('report-kinds');
const TEMPLATE = 'Message: {{ message }}\nJSON:';
const PASS = 'correct horse battery';

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, failed: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (failed(v)) throw new Error(`ended: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The kinds' deps from the composed app: contract methods where there is one, the services' own methods otherwise. */
async function depsOf(api: Api, reviews: ReviewsService): Promise<ReportKindsDeps> {
  const { adapters } = demo.app.services;
  const users = await api.users.list({});
  return {
    appVersion: 'test',
    userName: (id) => users.find((u) => u.id === id)?.name,
    clock: () => new Date('2026-12-07T12:00:00Z'),
    datasetFacts: (versionId) => api.datasets.get({ versionId }),
    trainedOn: (id) => adapters.trainedOn(id),
    specializationLineage: async (id) => {
      const spec = await api.specializations.get({ id });
      const template = spec.templateVersionId && (await api.templates.version({ id: spec.templateVersionId }));
      return specializationObjects(spec, {
        model: (modelId) => api.models.get({ id: modelId }),
        adapter: (adapterId) => adapters.record(adapterId),
        adapterHash: (adapterId) => adapters.contentHash(adapterId),
        templateVersion: () => template as never,
        demonstrationSetVersion: () => {
          throw new Error('no demonstrations here');
        },
      });
    },
    reviews,
    experiment: (id) => api.experiments.get({ id }),
    adapters: {
      list: () => adapters.list(),
      job: (arg) => adapters.job(arg),
      get: (arg) => adapters.get(arg),
      contentHash: (id) => adapters.contentHash(id),
    },
    model: (id) => api.models.get({ id }),
    templateVersion: (id) => api.templates.version({ id }),
    releases: {
      list: () => api.releases.list({}),
      get: (arg) => api.releases.get(arg),
      channels: () => api.releases.channels({}),
      history: (arg) => api.releases.history(arg),
      check: (arg) => api.releases.check(arg),
    },
  };
}

const table = (doc: ReportDocument, id: string) => {
  const b = doc.blocks.find((x): x is Extract<ReportBlock, { type: 'table' }> => x.type === 'table' && x.id === id);
  if (!b) throw new Error(`no table ${id} in ${doc.blocks.map((x) => (x.type === 'table' ? x.id : x.type)).join()}`);
  return b.rows.map((r) => Object.fromEntries(b.columns.map((c, i) => [c, r[i]])));
};

describe('report kinds over the demo workspace', () => {
  it('reports a training run, a closed review round, a release and two releases compared', async () => {
    const { api, app } = demo;
    const triage = await demo.triageVersionId();
    const [model] = await api.models.list({});
    if (!model) throw new Error('no model');
    const owner = (await api.users.current({})) as User;
    await api.users.setPassphrase({ id: owner.id, next: PASS });
    const ann = await api.users.create({ name: 'Ann Reviewer', role: 'reviewer' });
    const bob = await api.users.create({ name: 'Bob Reviewer', role: 'reviewer' });

    // A training run: a few steps of LoRA on the demo dataset through a saved template, with a validation curve.
    const template = await api.templates.save({ name: 'Triage prompt', source: TEMPLATE });
    const job = await api.adapters.startTraining({
      modelId: model.id,
      data: { kind: 'dataset', datasetVersionId: triage },
      method: 'lora',
      name: 'Triage LoRA',
      template: {
        inputField: 'message',
        outputField: 'output',
        prompt: TEMPLATE,
        templateVersionId: template.id,
        maxRows: 16,
        validationRows: 4,
      },
      hyper: { lr: 5e-3, maxSteps: 4, batchSize: 4, evalEvery: 2, checkpointEvery: null, seed: 3 },
    });
    const done = await until(
      () => api.adapters.job({ id: job.id }),
      (j) => j.state === 'completed',
      (j) => ['failed', 'cancelled', 'interrupted'].includes(j.state),
    );
    const adapterId = done.adapterId as string;

    // Three specializations, one experiment on the demo model.
    const decoding = { max_new_tokens: 8 };
    const base = await api.specializations.create({ name: 'Plain model', modelId: model.id, decoding });
    const prompted = await api.specializations.create({
      name: 'Prompt only',
      modelId: model.id,
      templateVersionId: template.id,
      decoding,
    });
    const tuned = await api.specializations.create({
      name: 'Triage tuned',
      modelId: model.id,
      loraAdapterId: adapterId,
      templateVersionId: template.id,
      decoding,
    });
    const experiment = await api.experiments.create({
      name: 'Triage check',
      datasetVersionId: triage,
      split: 'test',
      limit: 6,
      design: { kind: 'compare', specializationIds: [base.id, prompted.id, tuned.id] },
      metrics: [{ kind: 'exact_match' }],
    });
    await api.experiments.run({ id: experiment.id });
    await until(
      () => api.experiments.get({ id: experiment.id }),
      (e) => e.state === 'completed',
      (e) => !['running', 'created'].includes(e.state),
    );

    // A blind round, judged by two reviewers signed in in turn, then closed by the owner.
    const round = await api.reviews.createRound({
      name: 'Triage blind check',
      experimentId: experiment.id,
      specializationIds: [base.id, prompted.id, tuned.id],
      reviewerIds: [ann.id, bob.id],
      itemsPerReviewer: 6,
      overlap: 2,
      tags: ['wrong label', 'verbose'],
      repeatShare: 0.2,
      seed: 11,
    });
    for (const reviewer of [ann, bob]) {
      await api.users.setCurrent({ id: reviewer.id });
      const queue = await api.reviews.queue({ roundId: round.id });
      for (const [i, entry] of queue.items.entries())
        await api.reviews.vote({
          roundId: round.id,
          itemId: entry.itemId,
          verdict: i % 3 === 2 ? 'tie' : i % 2 === 0 ? 'left' : 'right',
          tags: i % 3 === 2 ? ['verbose'] : [],
          comment: i === 0 ? `${reviewer.name}: the label is off` : '',
          ms: 900,
        });
    }
    await api.users.setCurrent({ id: owner.id, passphrase: PASS });
    const ownerCtx: CallContext = { transport: 'test', userId: owner.id };

    // A second reviews service over the same workspace, without the lineage compose.ts gives the app's: its methods
    // outside the contract feed the kinds here, and its export is what the app wrote before the sidecar.
    const users = await api.users.list({});
    const reviews = new ReviewsService({
      workspace: app.workspace,
      experiments: app.services.experiments,
      examples: () => [],
      specializationName: (id) => [base, prompted, tuned].find((s) => s.id === id)?.name,
      users: { currentUser: () => owner, user: (id) => users.find((u) => u.id === id) },
      events: { emit: () => undefined },
      clock: () => new Date(),
    });
    const kinds = createReportKinds(await depsOf(api, reviews));
    const [reviewSource, trainingSource, releaseSource, comparisonSource] = kinds.sources;
    if (!reviewSource || !trainingSource || !releaseSource || !comparisonSource) throw new Error('four sources');
    expect(kinds.sources.map((s) => s.kind)).toEqual(['review', 'training', 'release', 'release-comparison']);

    // An open round is no subject (its results would unblind its reviewers).
    expect(await reviewSource.subjects()).toEqual([]);
    await expect(reviewSource.resolve('Triage blind check')).rejects.toThrow(/No closed review round named "Triage/);
    await api.reviews.close({ id: round.id });
    expect(await reviewSource.resolve('triage blind CHECK')).toEqual({ id: round.id, name: 'Triage blind check' });

    const reviewDoc = ReportDocument.parse(await reviewSource.build(round.id, ownerCtx, null));
    const results = await api.reviews.results({ id: round.id });
    expect(table(reviewDoc, 'win-rates').map((r) => [r['A'], r['B'], r['n'], r['A wins']])).toEqual(
      results.winRates.map((w) => [w.a, w.b, w.n, w.winsA]),
    );
    expect(table(reviewDoc, 'bradley-terry').map((r) => r['Specialization'])).toEqual(
      (results.bradleyTerry ?? []).map((s) => s.name),
    );
    expect(table(reviewDoc, 'comments').map((r) => r['Comment'])).toEqual(
      expect.arrayContaining(['Ann Reviewer: the label is off', 'Bob Reviewer: the label is off']),
    );
    const reviewLineage = reviewDoc.lineage;
    expect(reviewLineage.subject).toEqual({ kind: 'reviewRound', id: round.id, name: 'Triage blind check' });
    expect(reviewLineage.actor.name).toBe(owner.name);
    const dataset = reviewLineage.objects.find((o) => o.kind === 'datasetVersion');
    const facts = await api.datasets.get({ versionId: triage });
    expect(dataset).toMatchObject({ name: `Support triage v${facts.version}`, hash: facts.contentHash });
    expect(dataset?.detail).toMatchObject({ split: 'test', 'rows in split': facts.splits.test });
    const adapterObject = reviewLineage.objects.find((o) => o.kind === 'adapter');
    expect(adapterObject?.hash).toBe(await app.services.adapters.contentHash(adapterId));
    expect(String(adapterObject?.detail['trained on'])).toMatch(
      /^Support triage v\d+ \(sha256 [0-9a-f]{64}\), train split, first 16 rows$/,
    );
    expect(reviewLineage.objects.find((o) => o.kind === 'model')?.hash).toBe(model.contentHash);
    expect(reviewLineage.objects.find((o) => o.kind === 'specialization')?.detail['decoding']).toBe(
      JSON.stringify(decoding),
    );

    // The FastChat export: the same bytes with or without the sidecar; the sidecar names the file and the lineage.
    const plain = await reviews.export({ id: round.id, format: 'fastchat' });
    const withSidecar = await api.reviews.export({ id: round.id, format: 'fastchat' });
    expect(plain.lineage).toBeNull();
    expect(withSidecar.text).toBe(plain.text);
    const battles = JSON.parse(withSidecar.text) as Record<string, unknown>[];
    expect(Object.keys(battles[0] ?? {})).toEqual([
      'question_id',
      'model_a',
      'model_b',
      'winner',
      'judge',
      'turn',
      'anony',
      'tstamp',
    ]);
    expect(withSidecar.lineage?.fileName).toBe('triage-blind-check-battles.json.lineage.json');
    const sidecar = JSON.parse(withSidecar.lineage?.text ?? '{}') as { describes: string; lineage: unknown };
    expect(sidecar.describes).toBe('triage-blind-check-battles.json');
    expect(sidecar.lineage).toMatchObject({ subject: reviewLineage.subject, objects: reviewLineage.objects });
    const csv = await api.reviews.export({ id: round.id, format: 'csv' });
    expect(csv.text).toBe((await reviews.export({ id: round.id, format: 'csv' })).text);
    expect(csv.lineage?.fileName).toBe('triage-blind-check-votes.csv.lineage.json');

    // The training run.
    expect(await trainingSource.subjects()).toContainEqual({ id: adapterId, name: 'Triage LoRA' });
    const trainingDoc = ReportDocument.parse(
      await trainingSource.build((await trainingSource.resolve('Triage LoRA')).id, ownerCtx, null),
    );
    expect(table(trainingDoc, 'data')[0]).toMatchObject({
      Name: `Support triage v${facts.version}`,
      Rows: Math.min(16, facts.splits.train),
    });
    expect(table(trainingDoc, 'data')[2]).toMatchObject({ Name: `Triage prompt v${template.version}` });
    const curves = trainingDoc.blocks.find((b) => b.type === 'lines');
    expect(curves?.type === 'lines' && curves.series.map((s) => [s.name, s.points.length])).toEqual([
      ['Training', 4],
      ['Validation', 2],
    ]);
    expect(trainingDoc.blocks.find((b) => b.type === 'text' && b.title === 'Is the adapter active?')).toBeTruthy();
    expect(trainingDoc.lineage.objects.map((o) => o.kind)).toEqual([
      'adapter',
      'model',
      'datasetVersion',
      'templateVersion',
    ]);
    expect(trainingDoc.lineage.objects[3]?.hash).toBe(template.contentHash);

    // An imported adapter has no training run here: not a subject, and asking for it says why.
    const imported = await api.adapters.importPeft({
      folder: app.services.adapters.record(adapterId).folder,
      modelId: model.id,
      name: 'Imported LoRA',
    });
    expect((await trainingSource.subjects()).map((s) => s.id)).not.toContain(imported.id);
    await expect(trainingSource.resolve('Imported LoRA')).rejects.toThrow(
      'The adapter "Imported LoRA" was imported: it has no training run in this workspace',
    );

    // Two releases with evidence, promoted through a gated channel and rolled back.
    const first = await api.releases.create({
      specializationId: prompted.id,
      name: 'triage',
      version: '1.0.0',
      experimentIds: [experiment.id],
      roundIds: [round.id],
    });
    const second = await api.releases.create({
      specializationId: tuned.id,
      name: 'triage',
      version: '1.1.0',
      experimentIds: [experiment.id],
    });
    const channel = await api.releases.createChannel({
      name: 'triage-live',
      gates: { metrics: [{ datasetVersionId: triage, split: 'test', metric: 'Exact match', min: 0 }] },
    });
    await api.releases.promote({ channelId: channel.id, releaseId: first.id });
    await api.releases.promote({ channelId: channel.id, releaseId: second.id });
    await api.releases.rollback({ channelId: channel.id });

    await expect(releaseSource.resolve('triage')).rejects.toThrow(UserError); // two versions have that name
    expect(await releaseSource.resolve('triage@1.1.0')).toEqual({ id: second.id, name: 'triage 1.1.0' });
    const releaseDoc = ReportDocument.parse(
      await releaseSource.build((await releaseSource.resolve('triage 1.0.0')).id, ownerCtx, null),
    );
    expect(releaseDoc.title).toBe('triage 1.0.0');
    expect(table(releaseDoc, 'channel-history').map((r) => [r['Move'], r['From'], r['To']])).toEqual([
      ['promotion', '—', 'triage 1.0.0'],
      ['promotion', 'triage 1.0.0', 'triage 1.1.0'],
      ['rollback', 'triage 1.1.0', 'triage 1.0.0'],
    ]);
    expect(table(releaseDoc, 'gates').filter((r) => r['Channel'] === 'triage-live')).toEqual([
      expect.objectContaining({ Gate: expect.stringMatching(/^Exact match on Support triage/), Met: 'yes' }),
    ]);
    expect(table(releaseDoc, 'evidence-reviews').length).toBeGreaterThan(0);
    expect(releaseDoc.lineage.objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining([
        'release',
        'specialization',
        'model',
        'templateVersion',
        'experiment',
        'datasetVersion',
        'reviewRound',
      ]),
    );

    await expect(comparisonSource.build(first.id, ownerCtx, null)).rejects.toThrow(/needs a second release/);
    const comparison = ReportDocument.parse(await comparisonSource.build(first.id, ownerCtx, second.id));
    expect(comparison.title).toBe('triage 1.0.0 vs triage 1.1.0');
    expect(table(comparison, 'parts').map((r) => [r['Part'], r['Same content']])).toEqual([
      ['Model', 'same'],
      ['Template', 'same'],
      ['Adapter (lora)', 'differs'],
      ['Decoding settings', 'same'],
    ]);
    expect(table(comparison, 'differences').map((r) => [r['Metric'], r['Same experiment']])).toEqual([
      ['Exact match', 'yes'],
    ]);
    // Through the app's reports service: each kind is generated, verifies against the workspace, and prints.
    // By the names people use on the command line.
    const made = [
      ['review', 'Triage blind check', null],
      ['training', 'Triage LoRA', null],
      ['release', 'triage@1.0.0', null],
      ['release-comparison', 'triage@1.0.0', 'triage@1.1.0'],
    ] as const;
    for (const [kind, subject, against] of made) {
      const record = await api.reports.generate({ kind, subject, against });
      expect(record.against?.name ?? null, kind).toBe(against === null ? null : 'triage 1.1.0');
      expect(await api.reports.verify({ id: record.id }), kind).toMatchObject({ ok: true, problems: [] });
      const pdf = await api.reports.export({ id: record.id, format: 'pdf' });
      expect(Buffer.from(pdf.data, 'base64').subarray(0, 5).toString(), kind).toBe('%PDF-');
    }
    for (const doc of [reviewDoc, trainingDoc, releaseDoc, comparison])
      expect(JSON.stringify(doc.blocks)).not.toContain(adapterId);
  }, 900_000);
});
