// The releases service over a real workspace db (migrations included): a release is frozen with its lineage and
// refused any later change by the database itself; versions are semantic and rising; evidence is a snapshot of the
// release's own cell; a promotion lists every unmet gate, passes once they are met, and rollback goes one step back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../shared/contract/define';
import type { Experiment, ExperimentResults } from '../../../shared/contract/experiments';
import type { Decision } from '../../../shared/contract/projects';
import type { ReviewResults, Round } from '../../../shared/contract/reviews';
import type { Specialization } from '../../../shared/contract/specializations';
import type { TemplateStatus } from '../../../shared/contract/templates';
import { UserError } from '../../../shared/errors';
import { Database, workspaceMigrations } from '../../platform/db';
import type { WorkspaceAccess } from '../workspace';
import { specializationObjects } from '../lineage/specialization-lineage';
import { SpecializationStore } from '../specializations/specialization-store';
import { ReleasesService, type ReleasesServiceDeps } from './releases-service';

const spec: Specialization = {
  id: 'spec-1',
  name: 'Triage tuned',
  modelId: 'model-1',
  loraAdapterId: null,
  softPromptAdapterId: null,
  templateVersionId: 'tv-1',
  demonstrationSetVersionId: null,
  decoding: {},
  hash: 'spec-hash-1',
  components: ['template'],
  derivedFrom: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const base: Specialization = {
  ...spec,
  id: 'spec-0',
  name: 'Base',
  templateVersionId: null,
  hash: 'spec-hash-0',
  components: [],
};

const experiment: Experiment = {
  id: 'exp-1',
  name: 'Triage check',
  spec: {
    name: 'Triage check',
    datasetVersionId: 'dv-1',
    split: 'test',
    limit: null,
    design: { kind: 'compare', specializationIds: [base.id, spec.id] },
    metrics: [{ kind: 'exact_match' } as Experiment['spec']['metrics'][number]],
    seed: 0,
    batchSize: 8,
    budget: null,
  },
  cells: [base, spec].map((s) => ({ specializationId: s.id, label: s.name, components: s.components, mask: null })),
  state: 'completed',
  progress: null,
  error: null,
  createdAt: '',
  updatedAt: '',
};
const cell = (s: Specialization, value: number): ExperimentResults['cells'][number] => ({
  cell: { specializationId: s.id, label: s.name, components: s.components, mask: null },
  n: 100,
  metrics: [{ metric: 0, label: 'exact match', value, ci: [value - 0.08, value + 0.08], n: 100, pass: null }],
  meanPromptTokens: 40,
  meanOutputTokens: 5,
  meanTimeToFirstTokenMs: 20,
  meanTotalMs: 120,
  meanTokensPerSecond: 41,
  performance: {
    n: 100,
    p95LatencyMs: 150,
    p95TimeToFirstTokenMs: 30,
    meanTokensPerSecond: 41,
    maxContextTokens: 60,
    peakMemoryBytes: 300 * 1024 * 1024,
  },
  budget: [],
});
const results: ExperimentResults = {
  experimentId: 'exp-1',
  n: 100,
  complete: true,
  cells: [cell(base, 0.1), cell(spec, 0.62)],
  ablation: null,
  passed: null,
  budgetPassed: null,
};

const round = (state: 'open' | 'closed'): Round => ({
  id: 'round-1',
  name: 'Blind triage',
  mode: 'pairwise',
  state,
  tags: [],
  reviewerIds: [],
  assigned: 40,
  done: 40,
  createdAt: '',
  closedAt: null,
  spec: { experimentId: 'exp-1', specializationIds: [base.id, spec.id] } as Round['spec'],
  experimentName: 'Triage check',
  specializations: [
    { id: base.id, name: base.name },
    { id: spec.id, name: spec.name },
  ],
  units: 40,
  perReviewer: [],
});
const reviewResults = {
  roundId: 'round-1',
  n: 40,
  specializations: [
    { id: base.id, name: base.name },
    { id: spec.id, name: spec.name },
  ],
  winRates: [
    {
      a: 'Base',
      b: 'Triage tuned',
      n: 40,
      winsA: 6,
      winsB: 30,
      ties: 4,
      bothBad: 0,
      rateA: 0.15,
      ciA: [0.07, 0.29],
      rateB: 0.75,
      ciB: [0.6, 0.86],
    },
  ],
  bradleyTerry: null,
} as unknown as ReviewResults;

let dir: string;
let db: Database;
let service: ReleasesService;
let roundState: 'open' | 'closed';
let templateStatus: TemplateStatus;
let tick: number;
const alice: CallContext = { transport: 'test', userId: 'u-alice' };
const bob: CallContext = { transport: 'test', userId: 'u-bob' };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-releases-'));
  db = Database.create(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
  const store = new SpecializationStore(db);
  store.insert(base);
  store.insert(spec);
  roundState = 'closed';
  templateStatus = 'draft';
  tick = 0;
  let ids = 0;
  service = new ReleasesService({
    workspace: { active: { info: { id: 'ws', path: dir }, db } } as unknown as WorkspaceAccess,
    specialization: (id) =>
      [base, spec].find((s) => s.id === id) ??
      (() => {
        throw new UserError(`No specialization ${id}`);
      })(),
    lineage: (id) =>
      specializationObjects([base, spec].find((s) => s.id === id) as Specialization, {
        model: async () => ({ id: 'model-1', name: 'Demo 13M', contentHash: 'model-hash' }) as never,
        adapter: () => {
          throw new Error('no adapters here');
        },
        adapterHash: async () => 'never',
        templateVersion: () =>
          ({ id: 'tv-1', name: 'Triage', version: 3, contentHash: 'template-hash', status: templateStatus }) as never,
        demonstrationSetVersion: () => {
          throw new Error('no demonstrations here');
        },
      }),
    experiments: { get: async () => experiment, results: async () => results },
    reviews: { get: async () => round(roundState), results: async () => reviewResults },
    datasetName: async () => 'Support triage',
    decision: (id) => {
      const found = [decisionFor(spec, 'd-1'), decisionFor(base, 'd-2')].find((d) => d.id === id);
      if (!found) throw new UserError(`No recorded decision ${id}`);
      return found;
    },
    templateStatus: () => templateStatus,
    userName: (id) => ({ 'u-alice': 'Alice', 'u-bob': 'Bob' })[id],
    appVersion: '9.9.9',
    bundles: { resolvePath: (p: string) => p } as ReleasesServiceDeps['bundles'],
    events: { emit: () => undefined },
    clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)),
    newId: () => `id-${++ids}`,
  });
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A recorded project decision that chose `chosen` (both sides on). */
function decisionFor(chosen: Specialization, id: string): Decision {
  const costs = {
    contextTokens: 60,
    latencyMs: 100,
    tokensPerSecond: 50,
    memoryBytes: null,
    trainingSeconds: 90,
    diskBytes: 1,
  };
  return {
    id,
    projectId: 'p-1',
    option: 'both',
    decidedBy: 'combination',
    explanation: ['Prompt + adapter against the adapter alone: 20.0 points.'],
    metric: 'Exact match',
    threshold: 0.8,
    n: 40,
    options: [
      { option: 'both', cell: 'all', specializationId: chosen.id, mean: 0.9, ci: [0.8, 0.95], costs, overBudget: [] },
    ],
    interaction: { estimate: 0, ci: [0, 0], p: 1 },
    bothVsAdapter: { estimate: 0.2, ci: [0.1, 0.3], p: 0.001 },
    bothVsPrompt: { estimate: 0.5, ci: [0.4, 0.6], p: 0.001 },
    criteria: { escalationMargin: 0.05, minCombinationGain: 0.02, enforceBudgets: true },
    budgets: { contextTokens: null, latencyMs: null, memoryBytes: null, trainingSeconds: null },
    experimentId: 'exp-1',
    hash: 'f'.repeat(64),
    decidedAt: '2026-01-01T00:00:00.000Z',
    actor: 'Alice',
  };
}

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('releases', () => {
  it('cite a recorded project decision that chose their specialization, and refuse one that chose another', async () => {
    const cited = { experimentIds: [], roundIds: [], decisionIds: ['d-1'] };
    const r = await service.create(
      { specializationId: spec.id, name: 'triage', version: '1.0.0', notes: '', ...cited },
      alice,
    );
    expect(r.evidence[0]).toMatchObject({
      kind: 'decision',
      decisionId: 'd-1',
      option: 'both',
      hash: 'f'.repeat(64),
      mean: 0.9,
    });
    const other = await refusal(
      service.attachEvidence({ id: r.id, experimentIds: [], roundIds: [], decisionIds: ['d-2'] }, alice),
    );
    expect(other.where).toBe('decisionIds');
    expect(other.message).toBe('The decision chose "all", not "Triage tuned"');
  });

  it('freezes the specialization with its lineage and evidence; the database refuses edits and deletions', async () => {
    const r = await service.create(
      {
        specializationId: spec.id,
        name: 'triage',
        version: '1.0.0',
        notes: 'first',
        experimentIds: ['exp-1'],
        roundIds: [],
      },
      alice,
    );
    expect(r.authorName).toBe('Alice');
    expect(r.specializationHash).toBe('spec-hash-1');
    expect(r.manifest.objects.map((o) => [o.kind, o.hash])).toEqual([
      ['specialization', 'spec-hash-1'],
      ['model', 'model-hash'],
      ['templateVersion', 'template-hash'],
    ]);
    expect(r.manifest.appVersion).toBe('9.9.9');
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]).toMatchObject({
      kind: 'experiment',
      datasetName: 'Support triage',
      n: 100,
      metrics: [{ label: 'exact match', value: 0.62 }],
    });
    expect(() => db.prepare('UPDATE releases SET notes = ? WHERE id = ?').run('changed', r.id)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM releases WHERE id = ?').run(r.id)).toThrow(/kept/);
  });

  it('takes only semantic versions, each above the newest of that name', async () => {
    expect(
      (
        await refusal(
          service.create(
            { specializationId: spec.id, name: 'triage', version: 'one', notes: '', experimentIds: [], roundIds: [] },
            alice,
          ),
        )
      ).where,
    ).toBe('version');
    await service.create(
      { specializationId: spec.id, name: 'triage', version: '1.2.0', notes: '', experimentIds: [], roundIds: [] },
      alice,
    );
    const lower = await refusal(
      service.create(
        { specializationId: spec.id, name: 'triage', version: '1.1.9', notes: '', experimentIds: [], roundIds: [] },
        alice,
      ),
    );
    expect(lower.message).toContain('1.2.0');
    expect(lower.hint).toContain('1.3.0');
  });

  it('refuses evidence that does not concern the release: an open round, an experiment without its cell', async () => {
    roundState = 'open';
    expect(
      (
        await refusal(
          service.create(
            {
              specializationId: spec.id,
              name: 't',
              version: '1.0.0',
              notes: '',
              experimentIds: [],
              roundIds: ['round-1'],
            },
            alice,
          ),
        )
      ).message,
    ).toContain('still open');
    const other = { ...results, cells: [cell(base, 0.1)] };
    const svc = service as unknown as { deps: { experiments: { results: () => Promise<ExperimentResults> } } };
    svc.deps.experiments.results = async () => other;
    expect(
      (
        await refusal(
          service.create(
            {
              specializationId: spec.id,
              name: 't',
              version: '1.0.0',
              notes: '',
              experimentIds: ['exp-1'],
              roundIds: [],
            },
            alice,
          ),
        )
      ).message,
    ).toContain('did not evaluate');
    expect(await service.list()).toEqual([]);
  });

  it('an author cannot approve their own release', async () => {
    const r = await service.create(
      { specializationId: spec.id, name: 'triage', version: '1.0.0', notes: '', experimentIds: [], roundIds: [] },
      alice,
    );
    expect((await refusal(service.approve({ id: r.id }, alice))).code).toBe('release-self-approval');
    expect((await service.approve({ id: r.id }, bob)).approvals.map((a) => a.name)).toEqual(['Bob']);
  });
});

describe('channels', () => {
  it('are dev, staging and production in a new workspace', async () => {
    expect((await service.channels()).map((c) => c.name).sort()).toEqual(['dev', 'production', 'staging']);
  });

  it('refuse a promotion with every unmet gate in plain words, then pass once they are met; rollback goes back one step', async () => {
    const production = (await service.channels()).find((c) => c.name === 'production');
    if (!production) throw new Error('no production channel');
    await service.setGates({
      channelId: production.id,
      gates: {
        approvalByOther: true,
        approvedTemplate: true,
        metrics: [{ datasetVersionId: 'dv-1', split: 'test', metric: 'exact match', min: 0.6 }],
        budget: {
          p95LatencyMs: 200,
          p95TimeToFirstTokenMs: null,
          minTokensPerSecond: null,
          maxContextTokens: null,
          maxMemoryMiB: null,
        },
        reviewWin: true,
      },
    });
    const v1 = await service.create(
      {
        specializationId: base.id,
        name: 'triage',
        version: '1.0.0',
        notes: '',
        experimentIds: ['exp-1'],
        roundIds: [],
      },
      alice,
    );
    const v2 = await service.create(
      {
        specializationId: spec.id,
        name: 'triage',
        version: '1.1.0',
        notes: '',
        experimentIds: ['exp-1'],
        roundIds: [],
      },
      alice,
    );

    const refused = await refusal(service.promote({ channelId: production.id, releaseId: v2.id }, alice));
    expect(refused.code).toBe('gates-unmet');
    expect(refused.message).toContain('3 gates not met');
    expect(refused.message).toContain('Approval: Needs an approval by someone other than its author, Alice');
    expect(refused.message).toContain('Approved template: Its template version is draft, not approved');
    expect(refused.message).toContain('Blind review: No closed review round is attached');
    const checks = await service.check({ channelId: production.id, releaseId: v2.id });
    expect(checks.find((c) => c.gate === 'exact match on Support triage (test)')).toMatchObject({ met: true });
    expect(checks.find((c) => c.gate === 'p95 latency')).toMatchObject({
      met: true,
      detail: '150 ms over 100 calls; needs at most 200 ms (in "Triage check")',
    });

    await service.approve({ id: v2.id }, bob);
    templateStatus = 'approved';
    await service.attachEvidence({ id: v2.id, experimentIds: [], roundIds: ['round-1'] }, alice);
    expect((await service.promote({ channelId: production.id, releaseId: v2.id }, alice)).releaseId).toBe(v2.id);

    // v1 scored 10%: below the metric gate, so it cannot be promoted over v2 ...
    await service.approve({ id: v1.id }, bob);
    const low = await refusal(service.promote({ channelId: production.id, releaseId: v1.id }, alice));
    expect(low.message).toContain('exact match on Support triage (test): 10.0%');
    // ... and rollback has nowhere to go: v2 was the channel's first release.
    expect((await refusal(service.rollback({ channelId: production.id }, alice))).code).toBe('rollback-none');

    const dev = (await service.channels()).find((c) => c.name === 'dev');
    if (!dev) throw new Error('no dev channel');
    await service.promote({ channelId: dev.id, releaseId: v1.id }, alice);
    await service.promote({ channelId: dev.id, releaseId: v2.id }, bob);
    expect((await service.rollback({ channelId: dev.id }, bob)).releaseId).toBe(v1.id);
    expect((await service.promote({ channelId: dev.id, releaseId: v2.id }, bob)).releaseId).toBe(v2.id);
    expect(
      (await service.history({ channelId: dev.id })).map((m) => [m.kind, m.fromReleaseId, m.toReleaseId, m.actorName]),
    ).toEqual([
      ['promote', v1.id, v2.id, 'Bob'],
      ['rollback', v2.id, v1.id, 'Bob'],
      ['promote', v1.id, v2.id, 'Bob'],
      ['promote', null, v1.id, 'Alice'],
    ]);
  });

  it('gates are set by name once: a second channel with the same name is refused', async () => {
    expect(
      (
        await refusal(
          service.createChannel({
            name: 'dev',
            gates: {
              approvalByOther: false,
              approvedTemplate: false,
              metrics: [],
              budget: null,
              reviewWin: false,
            },
          }),
        )
      ).code,
    ).toBe('channel-exists');
  });
});

describe('channel budgets', () => {
  const budget = {
    p95LatencyMs: 100,
    p95TimeToFirstTokenMs: null,
    minTokensPerSecond: 20,
    maxContextTokens: null,
    maxMemoryMiB: 256,
  };

  it('refuse a release whose evidence misses a limit, naming each, and show it against the served figures', async () => {
    const staging = (await service.channels()).find((c) => c.name === 'staging');
    if (!staging) throw new Error('no staging channel');
    await service.setGates({
      channelId: staging.id,
      gates: { approvalByOther: false, approvedTemplate: false, metrics: [], budget, reviewWin: false },
    });
    const v1 = await service.create(
      {
        specializationId: spec.id,
        name: 'triage',
        version: '1.0.0',
        notes: '',
        experimentIds: ['exp-1'],
        roundIds: [],
      },
      alice,
    );
    const refused = await refusal(service.promote({ channelId: staging.id, releaseId: v1.id }, alice));
    expect(refused.message).toContain('2 gates not met');
    expect(refused.message).toContain('p95 latency: 150 ms over 100 calls; needs at most 100 ms (in "Triage check")');
    expect(refused.message).toContain('Memory: 300 MiB over 100 calls; needs at most 256 MiB');
    expect(refused.message).not.toContain('Speed');

    // Once the limits are met the release goes; the budget view shows its evidence and, unconnected, no serving.
    await service.setGates({
      channelId: staging.id,
      gates: {
        approvalByOther: false,
        approvedTemplate: false,
        metrics: [],
        budget: { ...budget, p95LatencyMs: 200, maxMemoryMiB: 512 },
        reviewWin: false,
      },
    });
    await service.promote({ channelId: staging.id, releaseId: v1.id }, alice);
    const view = await service.budget({ channelId: staging.id });
    expect(view.releaseId).toBe(v1.id);
    expect(view.evidence?.checks.every((c) => c.met)).toBe(true);
    expect(view.serving).toBeNull();
  });

  it('read channels saved with the former latency and speed limits as a budget', async () => {
    const dev = (await service.channels()).find((c) => c.name === 'dev');
    if (!dev) throw new Error('no dev channel');
    const old = { approvalByOther: false, approvedTemplate: false, metrics: [], reviewWin: false };
    db.prepare('UPDATE channels SET gates = ? WHERE id = ?').run(
      JSON.stringify({ ...old, maxLatencyMs: 300, minTokensPerSecond: null }),
      dev.id,
    );
    const read = (await service.channels()).find((c) => c.id === dev.id);
    expect(read?.gates.budget).toEqual({
      p95LatencyMs: 300,
      p95TimeToFirstTokenMs: null,
      minTokensPerSecond: null,
      maxContextTokens: null,
      maxMemoryMiB: null,
    });
    db.prepare('UPDATE channels SET gates = ? WHERE id = ?').run(
      JSON.stringify({ ...old, maxLatencyMs: null, minTokensPerSecond: null }),
      dev.id,
    );
    expect((await service.channels()).find((c) => c.id === dev.id)?.gates.budget).toBeNull();
  });
});
