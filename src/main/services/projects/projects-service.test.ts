// The projects service over a real workspace db (migrations included), with the services it drives standing in as
// recorders: each stage proposes and runs one change through them, the prompt stage keeps the better prompt, the
// decision reads the ablation's per-example scores with real statistics and is recorded immutably with its hash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Experiment, ExperimentResults, ExperimentSpec, OutputRow } from '../../../shared/contract/experiments';
import type { ProjectSpec } from '../../../shared/contract/projects';
import { ProjectSpec as ProjectSpecSchema } from '../../../shared/contract/projects';
import type { Component, Specialization, SpecializationParts } from '../../../shared/contract/specializations';
import { UserError } from '../../../shared/errors';
import { Database, workspaceMigrations } from '../../platform/db';
import type { WorkspaceAccess } from '../workspace';
import { ProjectsService, type ProjectsServiceDeps } from './projects-service';

let dir: string;
let db: Database;
let service: ProjectsService;
let experiments: Map<string, Experiment>;
let specs: Map<string, Specialization>;
let saved: { source: string }[];
let trainings: unknown[];

const N = 60;
/** Per-example 0/1 scores by the components switched on: the prompt 30% (40% with demonstrations), the adapter 60%,
 * both 90%. */
function score(components: readonly Component[], i: number): number {
  const prompt = components.includes('template');
  const adapter = components.includes('lora');
  const demos = components.includes('demonstrations');
  const k = prompt && adapter ? 54 : adapter ? 36 : prompt ? (demos ? 24 : 18) : 0;
  return i < k ? 1 : 0;
}

function componentsOf(p: Partial<SpecializationParts>): Component[] {
  return [
    ...(p.templateVersionId ? (['template'] as const) : []),
    ...(p.demonstrationSetVersionId ? (['demonstrations'] as const) : []),
    ...(p.loraAdapterId ? (['lora'] as const) : []),
  ];
}

function deps(): ProjectsServiceDeps {
  let ids = 0;
  return {
    workspace: { active: { info: { id: 'ws', path: dir }, db } } as unknown as WorkspaceAccess,
    experiments: {
      create: async (spec: ExperimentSpec) => {
        const id = `e-${++ids}`;
        const cells =
          spec.design.kind === 'compare'
            ? spec.design.specializationIds.map((s) => specs.get(s) as Specialization)
            : ablationCells(specs.get(spec.design.specializationId) as Specialization);
        const e = {
          id,
          name: spec.name,
          spec,
          cells: cells.map((c, mask) => ({
            specializationId: c.id,
            label: c.name,
            components: c.components,
            mask: spec.design.kind === 'ablation' ? mask : null,
          })),
          state: 'created',
          progress: null,
          error: null,
          createdAt: '',
          updatedAt: '',
        } as Experiment;
        experiments.set(id, e);
        return e;
      },
      run: async ({ id }) => {
        const e = { ...(experiments.get(id) as Experiment), state: 'completed' as const };
        experiments.set(id, e);
        return e;
      },
      get: async ({ id }) => {
        const e = experiments.get(id);
        if (!e) throw new UserError(`No experiment ${id}`);
        return e;
      },
      results: async ({ id }) => results(experiments.get(id) as Experiment),
      outputs: async ({ id }) => {
        const e = experiments.get(id) as Experiment;
        const rows = Array.from(
          { length: N },
          (_, i) =>
            ({
              exampleIdx: i,
              outputs: e.cells.map((c) => ({ score: score(c.components, i) })),
            }) as unknown as OutputRow,
        );
        return { total: N, rows };
      },
    },
    specializations: {
      create: async (arg) => {
        const s = { ...arg, id: `s-${arg.name}`, hash: arg.name, components: componentsOf(arg) } as Specialization;
        specs.set(s.id, s);
        return { ...s, warnings: [] };
      },
    },
    adapters: {
      startTraining: async (spec) => {
        trainings.push(spec);
        return { id: 'job-1' } as never;
      },
      job: async () =>
        ({
          id: 'job-1',
          state: 'completed',
          adapterId: 'ad-1',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:01:30.000Z',
          progress: { peakRssBytes: 500 * 2 ** 20 },
        }) as never,
      record: () => ({ id: 'ad-1', method: 'lora', jobId: 'job-1', folder: path.join(dir, 'no-such-folder') }) as never,
    },
    templates: {
      templateVersion: (id) =>
        ({
          id,
          templateId: 't-1',
          source: 'Message: {{ message }}\nTicket: ',
          system: null,
          chat: false,
          fields: id === 'tv-1' ? ['message'] : ['examples', 'message'],
        }) as never,
      save: async (arg) => {
        saved.push(arg);
        return { id: 'tv-2' } as never;
      },
      saveDemonstrations: async () => ({ id: 'demo-1' }) as never,
    },
    datasets: {
      versionFacts: () =>
        ({
          name: 'Support triage',
          version: 1,
          splits: { train: 10, validation: 0, test: N },
          roles: { input: ['message'], reference: 'ticket', key: 'id', label: null },
        }) as never,
      readRows: () => [{ key: 'r1' }, { key: 'r2' }, { key: 'r3' }] as never,
    },
    events: { emit: () => undefined },
    clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, ids)),
    newId: () => `id-${++ids}`,
  };
}

function ablationCells(full: Specialization): Specialization[] {
  const comps = full.components;
  return Array.from({ length: 2 ** comps.length }, (_, mask) => {
    const on = comps.filter((_, j) => (mask & (1 << j)) !== 0);
    return { ...full, id: `${full.id}/${mask}`, name: on.join('+') || 'none', components: on };
  }).map((s) => (specs.set(s.id, s), s));
}

function results(e: Experiment): ExperimentResults {
  const value = (c: Experiment['cells'][number]) =>
    Array.from({ length: N }, (_, i) => score(c.components, i)).reduce((a, b) => a + b, 0) / N;
  const [first, ...rest] = e.cells;
  return {
    experimentId: e.id,
    n: N,
    complete: true,
    cells: e.cells.map((cell) => ({
      cell,
      n: N,
      metrics: [],
      meanPromptTokens: 20 + 40 * Number(cell.components.includes('demonstrations')),
      meanOutputTokens: 10,
      meanTimeToFirstTokenMs: 5,
      meanTotalMs: 100,
      meanTokensPerSecond: 100,
      performance: {
        n: N,
        p95LatencyMs: 100,
        p95TimeToFirstTokenMs: 5,
        meanTokensPerSecond: 100,
        maxContextTokens: 20 + 40 * Number(cell.components.includes('demonstrations')),
        peakMemoryBytes: null,
      },
      budget: [],
    })),
    ablation: null,
    versusBase: {
      base: first?.label ?? '',
      rows: rest.map((c) => ({
        cell: c.label,
        metric: 0,
        label: 'Exact match',
        baseValue: value(first as Experiment['cells'][number]),
        value: value(c),
        estimate: value(c) - value(first as Experiment['cells'][number]),
        ci: [0, 0],
        p: 1,
        pHolm: 1,
        test: 'mcnemar',
        significant: false,
        direction: 'higher',
      })),
    },
    passed: null,
    budgetPassed: null,
  };
}

const SPEC: ProjectSpec = ProjectSpecSchema.parse({
  name: 'Triage',
  modelId: 'm-1',
  datasetVersionId: 'dv-1',
  evalRows: 40,
  templateVersionId: 'tv-1',
  metrics: [{ kind: 'exact_match', threshold: 0.8 }],
  budgets: { latencyMs: 1000 },
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-projects-'));
  db = Database.create(path.join(dir, 'ws.sqlite'), { migrations: workspaceMigrations });
  experiments = new Map();
  specs = new Map();
  saved = [];
  trainings = [];
  service = new ProjectsService(deps());
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a specialization project', () => {
  it('needs a threshold on its main metric', async () => {
    const error = await service
      .create({ ...SPEC, metrics: [{ kind: 'exact_match', normalize: true }] as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).where).toBe('metrics[0].threshold');
  });

  it('walks the stages one change at a time to a recorded, immutable decision', async () => {
    let p = await service.create(SPEC);
    const step = async (action: string) => {
      expect((await service.proposal({ id: p.id })).action).toBe(action);
      p = await service.runNext({ id: p.id });
    };
    // Baseline: the raw input, then the baseline prompt.
    await step('run');
    const baseline = experiments.get(p.stages[0]?.runs[0]?.id ?? '') as Experiment;
    expect(baseline.cells.map((c) => c.components)).toEqual([[], ['template']]);
    expect(baseline.spec.limit).toBe(40);
    await step('advance');
    expect(p.stages[0]?.status).toBe('done');
    // Prompt: a version showing demonstrations, adopted since it scored higher.
    await step('run');
    expect(saved[0]?.source).toMatch(/^\{% for e in examples %\}message: \{\{ e\["message"\] \}\}\nticket:/);
    await step('advance');
    expect(p.best).toMatchObject({ templateVersionId: 'tv-2', demonstrationSetVersionId: 'demo-1' });
    // Adapter: trained on the best prompt, then compared with the prompt alone.
    expect((await service.proposal({ id: p.id })).title).toBe('Train an adapter (LoRA, rank 4, 30 steps)');
    await step('run');
    expect(trainings[0]).toMatchObject({ template: { templateVersionId: 'tv-2' }, hyper: { maxSteps: 30 } });
    await step('run');
    expect(p.best.adapterId).toBe('ad-1');
    await step('advance');
    // Hybrid: the ablation of the best prompt with the adapter.
    await step('run');
    await step('advance');
    // Decision: the prompt's 40% misses 80% by far, both beats the adapter by 30 points: both.
    expect((await service.proposal({ id: p.id })).action).toBe('decide');
    const decision = await service.decide({ id: p.id });
    expect(decision).toMatchObject({ option: 'both', decidedBy: 'combination', n: N });
    expect(decision.options.find((o) => o.option === 'adapter')?.costs).toMatchObject({
      trainingSeconds: 90,
      memoryBytes: 500 * 2 ** 20,
      diskBytes: null,
    });
    expect(decision.options.find((o) => o.option === 'both')?.costs.contextTokens).toBe(60);
    expect(decision.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await service.decisions({ id: p.id })).toEqual([decision]);
    expect((await service.proposal({ id: p.id })).action).toBe('finished');
    expect(() => db.prepare("UPDATE project_decisions SET option = 'prompt'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM project_decisions').run()).toThrow(/kept/);
  });

  it("trains the adapter the project names, a dataset's recipe included", async () => {
    const adapter = {
      method: 'both',
      r: 16,
      alpha: 32,
      targets: ['q_proj', 'v_proj', 'down_proj'],
      virtualTokens: 8,
      softPromptInit: 'Triage this support message as JSON.',
      epochs: 1,
      maxSteps: null,
      batchSize: 8,
      lr: 2e-3,
      warmupSteps: 10,
      schedule: 'cosine',
    } as const;
    const p = await service.create(ProjectSpecSchema.parse({ ...SPEC, adapter }));
    await service.moveStage({ id: p.id, stage: 'adapter', to: 0 });
    expect((await service.proposal({ id: p.id })).title).toBe(
      'Train an adapter (LoRA + soft prompt, rank 16, 8 virtual tokens, 1 epoch)',
    );
    await service.runNext({ id: p.id });
    expect(trainings[0]).toMatchObject({
      method: 'both',
      lora: { r: 16, alpha: 32, targets: ['q_proj', 'v_proj', 'down_proj'] },
      softPrompt: { n: 8, init: 'text', initText: 'Triage this support message as JSON.' },
      hyper: { epochs: 1, maxSteps: null, batchSize: 8, lr: 2e-3, warmupSteps: 10, schedule: 'cosine' },
    });
  });

  it('lets an expert skip and reorder stages, but keeps the decision last', async () => {
    const p = await service.create(SPEC);
    const moved = await service.moveStage({ id: p.id, stage: 'adapter', to: 0 });
    expect(moved.stages.map((s) => s.stage)).toEqual(['adapter', 'baseline', 'prompt', 'hybrid', 'decision']);
    expect((await service.proposal({ id: p.id })).stage).toBe('adapter');
    await service.setStage({ id: p.id, stage: 'adapter', status: 'skipped' });
    expect((await service.proposal({ id: p.id })).stage).toBe('baseline');
    const error = await service.moveStage({ id: p.id, stage: 'hybrid', to: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    await expect(service.decide({ id: p.id })).rejects.toThrow('Nothing to decide from yet');
  });
});
