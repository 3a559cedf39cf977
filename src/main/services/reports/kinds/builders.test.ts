// The four report kinds' document builders on hand-made inputs: each document validates against the report schema,
// labels things with the names people gave them (never ids), prints the numbers with their intervals and n, and
// renders to HTML and CSV with the same cells.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { AdapterRecord, TrainingJob, TrainingSpec } from '../../../../shared/contract/adapters';
import type { Release } from '../../../../shared/contract/releases';
import type { ReviewResults, Round } from '../../../../shared/contract/reviews';
import type { LineageObject } from '../../../../shared/lineage';
import { ReportDocument } from '../../../../shared/report';
import { manifest } from '../../lineage/specialization-lineage';
import { renderCsv } from '../render-csv';
import { renderHtml } from '../render-html';
import { buildReleaseComparison, sharedMeasurements } from './release-comparison-report';
import { buildReleaseReport } from './release-report';
import { buildReviewReport, selectComments, type ReviewJudgment } from './review-report';
import { activeCheck, buildTrainingReport } from './training-report';

const H = (c: string): string => c.repeat(64);
const made = { appVersion: '1.2.3', actor: { id: 'u-1', name: 'Ana' }, at: new Date('2026-12-02T09:00:00Z') };
const lineage = (kind: 'reviewRound' | 'adapter' | 'release', name: string, objects: LineageObject[] = []) =>
  manifest({ kind, id: 'subject-id-0001', name }, objects, made);
const csvOf = (doc: ReportDocument, id: string) =>
  parse(renderCsv(doc).find((f) => f.fileName === `${id}.csv`)?.text ?? '', { columns: true }) as Record<
    string,
    string
  >[];

describe('review round report', () => {
  const round: Round = {
    id: 'round-id-0001',
    name: 'Triage blind check',
    mode: 'pairwise',
    state: 'closed',
    tags: ['wrong label', 'verbose'],
    reviewerIds: ['u-1', 'u-2'],
    assigned: 44,
    done: 44,
    createdAt: '2026-12-01T08:00:00.000Z',
    closedAt: '2026-12-01T12:00:00.000Z',
    spec: {
      name: 'Triage blind check',
      experimentId: 'exp-id-0001',
      specializationIds: ['spec-id-a', 'spec-id-b', 'spec-id-c'],
      sample: { kind: 'random' },
      reviewerIds: ['u-1', 'u-2'],
      itemsPerReviewer: 20,
      overlap: 2,
      tags: ['wrong label', 'verbose'],
      mode: 'pairwise',
      repeatShare: 0.1,
      seed: 42,
    },
    experimentName: 'Triage check',
    specializations: [
      { id: 'spec-id-a', name: 'Triage tuned' },
      { id: 'spec-id-b', name: 'Plain model' },
      { id: 'spec-id-c', name: 'Prompt only' },
    ],
    units: 20,
    perReviewer: [],
  };
  const results: ReviewResults = {
    roundId: round.id,
    mode: 'pairwise',
    n: 40,
    specializations: round.specializations,
    winRates: [
      {
        a: 'Triage tuned',
        b: 'Plain model',
        n: 20,
        winsA: 14,
        winsB: 4,
        ties: 1,
        bothBad: 1,
        rateA: 0.7,
        ciA: [0.481, 0.855],
        rateB: 0.2,
        ciB: [0.081, 0.416],
      },
    ],
    bradleyTerry: [
      { name: 'Triage tuned', strength: 1.2, ci: [0.8, 1.6], elo: 1080, eloCi: [1040, 1120] },
      { name: 'Plain model', strength: 0.4, ci: [0.2, 0.7], elo: 960, eloCi: [930, 990] },
    ],
    passRates: [],
    agreement: { method: 'cohen-kappa', value: 0.62, units: 20 },
    perReviewer: [
      { reviewerId: 'u-1', name: 'Ana', judgments: 20, kappa: 0.62, agreeRate: { rate: 0.8, ci: [0.58, 0.92], n: 20 } },
    ],
    positionBias: { rate: 0.55, ci: [0.4, 0.69], n: 40 },
    selfConsistency: { rate: 0.75, ci: [0.41, 0.93], n: 8 },
    tags: [
      { name: 'Triage tuned', counts: { verbose: 2 } },
      { name: 'Plain model', counts: { 'wrong label': 9, verbose: 1 } },
    ],
    metricAgreement: { metric: 'exact match', rate: 0.9, ci: [0.7, 0.97], n: 18 },
    seed: 42,
  };
  const judgment = (comment: string, tags: string[], at: string): ReviewJudgment => ({
    questionId: `${round.id}:row-${at}`,
    judge: 'Ana',
    modelA: 'Triage tuned',
    modelB: 'Plain model',
    winner: 'model_a',
    tags,
    comment,
    ms: 900,
    repeat: false,
    at,
  });
  const judgments = [
    judgment('', [], '2026-12-01T09:00:00.000Z'),
    judgment('B invents a category', ['wrong label'], '2026-12-01T09:01:00.000Z'),
    judgment('Both fine, A shorter', [], '2026-12-01T09:03:00.000Z'),
    judgment('b invents a category', ['wrong label'], '2026-12-01T09:04:00.000Z'),
  ];
  const doc = buildReviewReport({ round, results, judgments, lineage: lineage('reviewRound', round.name) });

  it('validates, names specializations and reviewers, and shows Wilson and Bradley-Terry intervals', () => {
    ReportDocument.parse(doc);
    const html = renderHtml(doc);
    expect(html).toContain('<h1>Triage blind check</h1>');
    expect(html).toContain('Triage tuned over Plain model');
    expect(html).not.toMatch(/spec-id-|round-id-|exp-id-/);
    expect(csvOf(doc, 'win-rates')[0]).toMatchObject({
      A: 'Triage tuned',
      B: 'Plain model',
      n: '20',
      'A win rate': '70.0%',
      'A 95% CI': '48.1% to 85.5%',
    });
    expect(csvOf(doc, 'bradley-terry').map((r) => [r['Rank'], r['Specialization'], r['Elo 95% CI']])).toEqual([
      ['1', 'Triage tuned', '1040 to 1120'],
      ['2', 'Plain model', '930 to 990'],
    ]);
    const reliability = csvOf(doc, 'reliability');
    expect(reliability.map((r) => r['Value'])).toEqual(['0.620', '55.0%', '75.0%', '90.0%']);
    expect(reliability[1]?.['Measure']).toMatch(/Position bias/);
    expect(csvOf(doc, 'tags')).toEqual([
      { Specialization: 'Triage tuned', 'wrong label': '0', verbose: '2' },
      { Specialization: 'Plain model', 'wrong label': '9', verbose: '1' },
    ]);
  });

  it('shows pass rates, not win rates or position bias, for a single-output round', () => {
    const single = buildReviewReport({
      round: { ...round, mode: 'single', spec: { ...round.spec, mode: 'single' } },
      results: {
        ...results,
        mode: 'single',
        winRates: [],
        bradleyTerry: null,
        passRates: [{ name: 'Triage tuned', rate: 0.8, ci: [0.58, 0.92], n: 20 }],
        positionBias: { rate: null, ci: null, n: 0 },
      },
      judgments: [{ ...judgments[1]!, modelB: '', winner: 'fail' }],
      lineage: lineage('reviewRound', round.name),
    });
    ReportDocument.parse(single);
    expect(single.blocks.some((b) => b.type === 'table' && ['win-rates', 'bradley-terry'].includes(b.id))).toBe(false);
    expect(single.blocks.find((b) => b.type === 'intervals')).toMatchObject({
      title: 'Pass rate per specialization (95% Wilson interval)',
      items: [{ label: 'Triage tuned', value: 0.8, ci: [0.58, 0.92], n: 20 }],
    });
    expect(csvOf(single, 'reliability').map((r) => r['Measure'])).not.toContainEqual(
      expect.stringMatching(/Position bias/),
    );
    expect(csvOf(single, 'comments')[0]).toMatchObject({ Compared: 'Triage tuned', Verdict: 'fail' });
  });

  it('quotes non-empty comments once each, tagged first, newest first', () => {
    expect(selectComments(judgments, 10).map((j) => j.comment)).toEqual([
      'b invents a category',
      'Both fine, A shorter',
    ]);
    const comments = csvOf(doc, 'comments');
    expect(comments[0]).toMatchObject({ Reviewer: 'Ana', Verdict: 'Triage tuned better', Tags: 'wrong label' });
  });
});

describe('training run report', () => {
  const spec = TrainingSpec.parse({
    modelId: 'model-id-1',
    data: { kind: 'dataset', datasetVersionId: 'dv-id-1' },
    template: { inputField: 'message', outputField: 'output', prompt: '{{ message }}', maxRows: 16 },
    hyper: { lr: 5e-3, maxSteps: 4, batchSize: 4, seed: 7 },
  });
  const job = TrainingJob.parse({
    id: 'job-id-1',
    name: 'Triage LoRA',
    modelId: 'model-id-1',
    state: 'completed',
    spec,
    progress: {
      step: 4,
      totalSteps: 4,
      epoch: 1,
      loss: 1.9,
      valLoss: 2.1,
      lr: 1e-4,
      tokensPerSecond: 812.4,
      etaSeconds: 0,
      peakRssBytes: 300 * 2 ** 20,
    },
    history: {
      train: [1, 2, 3, 4].map((step) => ({ step, loss: 3 - step * 0.3 })),
      validation: [
        { step: 2, loss: 2.6 },
        { step: 4, loss: 2.1 },
      ],
    },
    error: null,
    adapterId: 'adapter-id-1',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:02:05.000Z',
  });
  const adapter = AdapterRecord.parse({
    id: 'adapter-id-1',
    name: 'Triage LoRA',
    modelId: 'model-id-1',
    baseContentHash: H('b'),
    method: 'lora',
    source: 'trained',
    folder: '/tmp/x',
    jobId: 'job-id-1',
    finalLoss: 1.8,
    finalValLoss: 2.1,
    check: { active: true, maxAbsDelta: 0.0132, argmaxChanged: 3, positions: 24, threshold: 1e-4 },
    vllm: { compatible: true, problems: [] },
    createdAt: '2026-12-01T10:02:05.000Z',
  });
  const doc = buildTrainingReport({
    adapter,
    job,
    modelName: 'Demo 13M',
    data: { name: 'Support triage v1', hash: H('d'), trainRows: 16, validationRows: 8 },
    template: { name: 'Triage prompt v2', hash: H('t') },
    lineage: lineage('adapter', adapter.name),
  });

  it('validates and shows data, template, settings, both loss curves, and time and speed', () => {
    ReportDocument.parse(doc);
    expect(csvOf(doc, 'data').map((r) => [r['Name'], r['Rows'], r['Content hash']])).toEqual([
      ['Support triage v1', '16', 'dddddddddddd'],
      ['Support triage v1', '8', 'dddddddddddd'],
      ['Triage prompt v2', '', 'tttttttttttt'],
    ]);
    const settings = Object.fromEntries(csvOf(doc, 'settings').map((r) => [r['Setting'], r['Value']]));
    expect(settings).toMatchObject({ Method: 'LoRA', 'LoRA rank (r)': '8', 'Learning rate': '0.005', Seed: '7' });
    const curves = doc.blocks.find((b) => b.type === 'lines');
    expect(curves?.type === 'lines' && curves.series.map((s) => [s.name, s.points.length])).toEqual([
      ['Training', 4],
      ['Validation', 2],
    ]);
    const time = Object.fromEntries(csvOf(doc, 'time-and-speed').map((r) => [r['Measure'], r['Value']]));
    expect(time['Started']).toBe('2026-12-01 10:00 UTC');
    expect(time['Wall time (start to saved adapter, pauses included)']).toBe('2 min 05 s');
    expect(time['Training speed (tokens per second, last step)']).toBe('812');
    expect(renderHtml(doc)).toMatch(/<svg[^>]*aria-label="Loss per step/);
  });

  it('says in plain words whether the adapter changes the output', () => {
    expect(activeCheck(adapter.check).join(' ')).toMatch(/0\.0132.*Active: .*changed at 3 of 24 positions/);
    expect(activeCheck({ ...adapter.check, active: false, maxAbsDelta: 0 }).join(' ')).toMatch(/Not active: .*same/);
  });
});

describe('release reports', () => {
  const parts = (adapterHash: string): LineageObject[] => [
    {
      kind: 'specialization',
      id: 's',
      name: 'Triage tuned',
      hash: H('s'),
      detail: { decoding: '{"max_new_tokens":12}' },
    },
    { kind: 'model', id: 'm', name: 'Demo 13M', hash: H('m'), detail: {} },
    { kind: 'adapter', id: 'a', name: 'Triage LoRA', hash: adapterHash, detail: { method: 'lora' } },
  ];
  const release = (id: string, version: string, adapterHash: string, value: number): Release => ({
    id,
    name: 'triage',
    version,
    specializationId: `spec-${id}`,
    specializationName: 'Triage tuned',
    specializationHash: H(version === '1.0.0' ? '1' : '2'),
    manifest: manifest({ kind: 'release', id, name: `triage ${version}` }, parts(adapterHash), made),
    notes: 'first cut',
    authorId: 'u-1',
    authorName: 'Ana',
    createdAt: `2026-12-0${version === '1.0.0' ? 1 : 2}T00:00:00.000Z`,
    evidence: [
      {
        kind: 'experiment',
        experimentId: 'exp-id-1',
        name: 'Triage check',
        datasetVersionId: 'dv-id-1',
        datasetName: 'Support triage v1',
        split: 'test',
        n: 50,
        metrics: [{ label: 'exact match', value, ci: [value - 0.1, value + 0.1], n: 50, pass: true }],
        meanTotalMs: 120,
        meanTokensPerSecond: 41,
        verdict: [],
        addedAt: '2026-12-03T00:00:00.000Z',
        addedBy: 'Ana',
      },
    ],
    approvals: [{ userId: 'u-2', name: 'Ben', at: '2026-12-03T01:00:00.000Z' }],
  });
  const a = release('rel-id-1', '1.0.0', H('x'), 0.5);
  const b = release('rel-id-2', '1.1.0', H('y'), 0.62);

  it('shows contents, evidence, gates and the channel history by release labels', () => {
    const doc = buildReleaseReport({
      release: b,
      gates: [
        { channel: 'production', serves: true, checks: [{ gate: 'Approval', met: true, detail: 'Approved by Ben' }] },
      ],
      history: [
        {
          channel: 'production',
          move: {
            seq: 1,
            channelId: 'c',
            kind: 'promote',
            fromReleaseId: 'rel-id-1',
            toReleaseId: 'rel-id-2',
            actorName: 'Ben',
            at: '2026-12-04T00:00:00.000Z',
          },
        },
      ],
      releaseLabel: (id) => (id === a.id ? 'triage 1.0.0' : 'triage 1.1.0'),
      lineage: lineage('release', 'triage 1.1.0'),
    });
    ReportDocument.parse(doc);
    expect(doc.title).toBe('triage 1.1.0');
    expect(csvOf(doc, 'contents').map((r) => r['Name'])).toEqual(['Triage tuned', 'Demo 13M', 'Triage LoRA']);
    expect(csvOf(doc, 'evidence-metrics')[0]).toMatchObject({ Value: '62.0%', '95% CI': '52.0% to 72.0%', n: '50' });
    expect(csvOf(doc, 'gates')[0]).toMatchObject({ Channel: 'production', Gate: 'Approval', Met: 'yes' });
    expect(csvOf(doc, 'channel-history')[0]).toMatchObject({ From: 'triage 1.0.0', To: 'triage 1.1.0', By: 'Ben' });
    expect(renderHtml(doc)).not.toMatch(/rel-id-/);
  });

  it('compares two releases part by part and gives the difference where both measured the same thing', () => {
    const doc = buildReleaseComparison({ a, b, lineage: lineage('release', 'triage 1.0.0 vs triage 1.1.0') });
    ReportDocument.parse(doc);
    expect(csvOf(doc, 'parts').map((r) => [r['Part'], r['Same content']])).toEqual([
      ['Model', 'same'],
      ['Adapter (lora)', 'differs'],
      ['Decoding settings', 'same'],
    ]);
    expect(csvOf(doc, 'differences')[0]).toMatchObject({
      Dataset: 'Support triage v1',
      Metric: 'exact match',
      Difference: "'+12.0 points", // a leading + is neutralised against formula injection in CSV
      'Same experiment': 'yes',
    });
    expect(csvOf(doc, 'evidence-metrics').map((r) => r['Release'])).toEqual(['triage 1.0.0', 'triage 1.1.0']);
    const decided = buildReleaseReport({
      release: {
        ...b,
        evidence: [
          {
            kind: 'decision',
            decisionId: 'decision-id-1',
            projectId: 'project-id-1',
            option: 'adapter (higher mean)',
            decidedBy: 'Ben',
            hash: H('e'),
            metric: 'Exact match',
            mean: 0.62,
            ci: [0.52, 0.72],
            explanation: [],
            decidedAt: '2026-12-03T00:00:00.000Z',
            addedAt: '2026-12-03T00:00:00.000Z',
            addedBy: 'Ana',
          },
        ],
      },
      gates: [],
      history: [],
      releaseLabel: () => 'triage 1.1.0',
      lineage: lineage('release', 'triage 1.1.0'),
    });
    expect(csvOf(decided, 'evidence-decisions')[0]).toMatchObject({
      'Option chosen': 'adapter (higher mean)',
      Mean: '62.0%',
      'Decided by': 'Ben, 2026-12-03 00:00 UTC',
      'Decision hash (sha256)': H('e'),
    });
    const other = { ...b, evidence: b.evidence.map((e) => ({ ...e, datasetVersionId: 'dv-id-2' })) };
    expect(sharedMeasurements(a, other)).toEqual([]);
  });
});
