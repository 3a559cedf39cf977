// Specialization projects: the guided method over the existing services. A stage's proposal (propose.ts) is carried
// out here by creating specializations and experiments (experiments service), template versions and demonstration
// sets (templates service) or a training job (adapters service); the decision (decide.ts) reads the hybrid stage's
// ablation and its measured costs, and is recorded immutably with its evidence.
import { createHash, randomUUID } from 'node:crypto';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import { TrainingSpec } from '../../../shared/contract/adapters';
import { ExperimentSpec, type Experiment } from '../../../shared/contract/experiments';
import type {
  Decision,
  DecisionCriteria,
  DecisionOption,
  OptionCosts,
  Project,
  ProjectBudgets,
  ProjectSpec,
  Proposal,
  Recommendation,
  Stage,
  StageRun,
  StageState,
  projectsContract,
} from '../../../shared/contract/projects';
import { STAGES } from '../../../shared/contract/projects';
import type { Specialization, SpecializationParts } from '../../../shared/contract/specializations';
import { METRIC_BINARY, METRIC_DIRECTION, metricLabel } from '../../../shared/metrics';
import { BugError, UserError } from '../../../shared/errors';
import type { AdaptersService } from '../adapters';
import { canonicalJson } from '../audit/chain';
import type { DatasetsService } from '../datasets';
import type { ExperimentsService } from '../experiments';
import type { SpecializationsService } from '../specializations';
import type { TemplatesService } from '../templates';
import type { WorkspaceAccess } from '../workspace';
import { recommend } from './decide';
import { ProjectStore } from './project-store';
import { propose, type Plan } from './propose';
import { adapterCosts, promptVariantSource, sideCells } from './project-parts';

type Contract = typeof projectsContract;

export interface ProjectsServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly experiments: Pick<ExperimentsService, 'create' | 'run' | 'get' | 'results' | 'outputs'>;
  readonly specializations: Pick<SpecializationsService, 'create'>;
  readonly adapters: Pick<AdaptersService, 'startTraining' | 'job' | 'record'>;
  readonly templates: Pick<TemplatesService, 'templateVersion' | 'save' | 'saveDemonstrations'>;
  readonly datasets: Pick<DatasetsService, 'versionFacts' | 'readRows'>;
  readonly userName?: (id: string) => string | undefined;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export class ProjectsService implements ServiceImpl<Contract> {
  private readonly newId: () => string;

  constructor(private readonly deps: ProjectsServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  async list(): Promise<Project[]> {
    return this.store().all();
  }

  async get({ id }: { id: string }): Promise<Project> {
    return this.find(id);
  }

  async create(spec: ProjectSpec): Promise<Project> {
    const primary = spec.metrics[0];
    if (primary?.threshold === undefined)
      throw new UserError(`The main metric (${primary ? metricLabel(primary) : 'first'}) needs a threshold`, {
        code: 'project-threshold',
        where: 'metrics[0].threshold',
        hint: 'The decision asks whether a prompt reaches it; 0.8 means 80%.',
      });
    const facts = this.deps.datasets.versionFacts(spec.datasetVersionId);
    if (facts.splits[spec.evalSplit] === 0)
      throw new UserError(`${facts.name} v${facts.version} has no ${spec.evalSplit} rows to evaluate on`, {
        code: 'project-split',
        where: 'evalSplit',
        hint: 'Choose the other split, or re-import the dataset with that split.',
      });
    if (facts.roles.reference === null)
      throw new UserError(`${facts.name} v${facts.version} has no reference field`, {
        code: 'project-reference',
        where: 'datasetVersionId',
        hint: 'Metrics and training need the expected output: mark a field as the reference when importing.',
      });
    this.deps.templates.templateVersion(spec.templateVersionId); // a clear error for an unknown template
    const at = this.now();
    const project: Project = {
      id: this.newId(),
      spec,
      stages: STAGES.map((stage) => ({ stage, status: 'todo', runs: [] })),
      best: { templateVersionId: spec.templateVersionId, demonstrationSetVersionId: null, adapterId: null },
      createdAt: at,
      updatedAt: at,
    };
    this.store().insert(project);
    this.changed(project.id);
    return project;
  }

  async update(arg: {
    id: string;
    budgets?: ProjectBudgets | undefined;
    criteria?: DecisionCriteria | undefined;
    failureCategories?: string[] | undefined;
    task?: string | undefined;
  }): Promise<Project> {
    const p = this.find(arg.id);
    const spec = {
      ...p.spec,
      ...(arg.budgets ? { budgets: arg.budgets } : {}),
      ...(arg.criteria ? { criteria: arg.criteria } : {}),
      ...(arg.failureCategories ? { failureCategories: arg.failureCategories } : {}),
      ...(arg.task !== undefined ? { task: arg.task } : {}),
    };
    return this.save({ ...p, spec });
  }

  async setStage(arg: { id: string; stage: Stage; status: StageState['status'] }): Promise<Project> {
    const p = this.find(arg.id);
    return this.save({ ...p, stages: p.stages.map((s) => (s.stage === arg.stage ? { ...s, status: arg.status } : s)) });
  }

  async moveStage(arg: { id: string; stage: Stage; to: number }): Promise<Project> {
    const p = this.find(arg.id);
    if (arg.stage === 'decision' || arg.to >= p.stages.length - 1)
      throw new UserError('The decision stays the last stage', {
        code: 'project-order',
        where: 'to',
        hint: 'It reads what the stages before it measured.',
      });
    const moving = p.stages.find((s) => s.stage === arg.stage) as StageState;
    const rest = p.stages.filter((s) => s.stage !== arg.stage);
    rest.splice(arg.to, 0, moving);
    return this.save({ ...p, stages: rest });
  }

  async proposal({ id }: { id: string }): Promise<Proposal> {
    return (await this.next(this.find(id))).proposal;
  }

  async runNext({ id }: { id: string }): Promise<Project> {
    const p = this.find(id);
    const { proposal, plan } = await this.next(p);
    if (proposal.action !== 'run' && proposal.action !== 'advance')
      throw new UserError(`Nothing to run now: ${proposal.title}`, {
        code: 'project-nothing',
        where: proposal.stage ?? 'stages',
        hint: proposal.why || undefined,
      });
    const stage = proposal.stage as Stage;
    if (plan.kind === 'advance') return this.advance(p, stage);
    const run = await this.carryOut(p, plan, proposal.change);
    const latest = this.find(id); // carrying out awaited other services: keep what changed meanwhile
    const best =
      run.kind === 'training' || !run.candidate?.adapterId
        ? latest.best
        : { ...latest.best, adapterId: run.candidate.adapterId };
    return this.save({
      ...latest,
      best,
      stages: latest.stages.map((s) => (s.stage === stage ? { ...s, runs: [...s.runs, run] } : s)),
    });
  }

  async recommend({ id, criteria }: { id: string; criteria?: DecisionCriteria | undefined }): Promise<Recommendation> {
    const p = this.find(id);
    const run = p.stages.find((s) => s.stage === 'hybrid')?.runs.at(-1);
    if (!run || (await this.stateOf(run)) !== 'completed')
      throw new UserError('Nothing to decide from yet', {
        code: 'project-no-ablation',
        where: 'hybrid',
        hint: 'Run the Prompt + adapter stage first: the decision reads its ablation.',
      });
    const experiment = await this.deps.experiments.get({ id: run.id });
    const [results, outputs] = await Promise.all([
      this.deps.experiments.results({ id: run.id }),
      this.deps.experiments.outputs({ id: run.id, offset: 0, limit: Number.MAX_SAFE_INTEGER, filter: 'all' }),
    ]);
    const cells = sideCells(experiment);
    const scores = { base: [] as number[], prompt: [] as number[], adapter: [] as number[], both: [] as number[] };
    for (const row of outputs.rows) {
      const got = (['base', 'prompt', 'adapter', 'both'] as const).map(
        (k) => row.outputs[cells[k].index]?.score ?? null,
      );
      if (got.some((v) => v === null)) continue;
      (['base', 'prompt', 'adapter', 'both'] as const).forEach((k, i) => scores[k].push(got[i] as number));
    }
    const primary = experiment.spec.metrics[0];
    if (!primary || primary.threshold === undefined || scores.base.length === 0)
      throw new BugError('a completed project ablation without scores or a thresholded main metric');
    const adapter = p.best.adapterId === null ? null : await adapterCosts(this.deps.adapters, p.best.adapterId);
    const cost = (option: DecisionOption): OptionCosts => {
      const r = results.cells.find((c) => c.cell.specializationId === cells[option].cell.specializationId);
      const trained = option !== 'prompt' && adapter;
      return {
        contextTokens: r?.meanPromptTokens ?? 0,
        latencyMs: r?.meanTotalMs ?? null,
        tokensPerSecond: r?.meanTokensPerSecond ?? null,
        memoryBytes: trained ? adapter.memoryBytes : null,
        trainingSeconds: trained ? adapter.trainingSeconds : 0,
        diskBytes: trained ? adapter.diskBytes : 0,
      };
    };
    return recommend({
      scores,
      binary: METRIC_BINARY[primary.kind],
      direction: METRIC_DIRECTION[primary.kind],
      metric: metricLabel(primary),
      threshold: primary.threshold,
      seed: experiment.spec.seed,
      cells: {
        prompt: { label: cells.prompt.cell.label, specializationId: cells.prompt.cell.specializationId },
        adapter: { label: cells.adapter.cell.label, specializationId: cells.adapter.cell.specializationId },
        both: { label: cells.both.cell.label, specializationId: cells.both.cell.specializationId },
      },
      costs: { prompt: cost('prompt'), adapter: cost('adapter'), both: cost('both') },
      criteria: criteria ?? p.spec.criteria,
      budgets: p.spec.budgets,
      experimentId: run.id,
    });
  }

  async decide({ id }: { id: string }, ctx?: CallContext): Promise<Decision> {
    const recommendation = await this.recommend({ id });
    const p = this.find(id);
    const userId = ctx?.userId ?? null;
    const body = {
      ...recommendation,
      id: this.newId(),
      projectId: id,
      decidedAt: this.now(),
      actor: userId === null ? 'local user' : (this.deps.userName?.(userId) ?? userId),
    };
    const decision: Decision = { ...body, hash: createHash('sha256').update(canonicalJson(body)).digest('hex') };
    this.deps.workspace.active.db.transaction(() => {
      this.store().insertDecision(decision);
      this.store().update({
        ...p,
        stages: p.stages.map((s) => (s.stage === 'decision' ? { ...s, status: 'done' } : s)),
        updatedAt: this.now(),
      });
    });
    this.changed(id);
    return decision;
  }

  /** A recorded decision by id (the releases service cites it as evidence). */
  decision(id: string): Decision {
    const found = this.store().decision(id);
    if (!found)
      throw new UserError(`No recorded decision ${id} in this workspace`, {
        code: 'not-found',
        where: 'decisionIds',
        hint: "Record the decision in its project's Decision stage first.",
      });
    return found;
  }

  async decisions({ id }: { id: string }): Promise<Decision[]> {
    this.find(id);
    return this.store().decisions(id);
  }

  private async next(p: Project) {
    const states = new Map<string, string | undefined>();
    for (const stage of p.stages) for (const run of stage.runs) states.set(run.id, await this.stateOf(run));
    const template = this.deps.templates.templateVersion(p.best.templateVersionId);
    return propose(p, {
      state: (run) => states.get(run.id),
      templateShowsExamples: template.fields.includes('examples'),
    });
  }

  /** The state of a run as its service reports it now (undefined: it was removed). */
  private async stateOf(run: { kind: 'experiment' | 'training'; id: string }): Promise<string | undefined> {
    try {
      return run.kind === 'experiment'
        ? (await this.deps.experiments.get({ id: run.id })).state
        : (await this.deps.adapters.job({ id: run.id })).state;
    } catch (error) {
      if (error instanceof UserError) return undefined;
      throw error;
    }
  }

  private async advance(p: Project, stage: Stage): Promise<Project> {
    let best = p.best;
    const last = p.stages.find((s) => s.stage === stage)?.runs.at(-1);
    if (stage === 'prompt' && last?.kind === 'experiment' && last.candidate) {
      const results = await this.deps.experiments.results({ id: last.id });
      const row = results.versusBase?.rows.find((r) => r.metric === 0);
      const ahead = row !== undefined && (row.direction === 'higher' ? row.estimate > 0 : row.estimate < 0);
      if (ahead) best = { ...best, ...last.candidate };
    }
    return this.save({ ...p, best, stages: p.stages.map((s) => (s.stage === stage ? { ...s, status: 'done' } : s)) });
  }

  private async carryOut(p: Project, plan: Plan, change: string): Promise<StageRun> {
    const at = this.now();
    const best = p.best;
    switch (plan.kind) {
      case 'baseline': {
        const base = await this.spec(p, 'base model, no prompt', { templateVersionId: null });
        const prompt = await this.spec(p, 'baseline prompt', {});
        return { kind: 'experiment', id: await this.experiment(p, 'baseline', [base, prompt]), change, at };
      }
      case 'prompt-variant': {
        const tv = this.deps.templates.templateVersion(best.templateVersionId);
        const facts = this.deps.datasets.versionFacts(p.spec.datasetVersionId);
        const variant = tv.fields.includes('examples')
          ? tv
          : await this.deps.templates.save({
              templateId: tv.templateId,
              source: promptVariantSource(tv.source, facts.roles),
              system: tv.system,
              chat: tv.chat,
              message: `${p.spec.name}: shows solved examples before the input`,
            });
        const rows = this.deps.datasets.readRows(p.spec.datasetVersionId, 'train', { limit: 64 });
        const demos = await this.deps.templates.saveDemonstrations({
          name: `${p.spec.name} examples`,
          datasetVersionId: p.spec.datasetVersionId,
          rowKeys: rows.map((r) => r.key),
          selection: { kind: 'similar', k: 3 },
          message: `${p.spec.name}: the 3 most similar of the first ${rows.length} training rows`,
        });
        const before = await this.spec(p, 'best prompt', {});
        const after = await this.spec(p, 'prompt with examples', {
          templateVersionId: variant.id,
          demonstrationSetVersionId: demos.id,
        });
        const candidate = { templateVersionId: variant.id, demonstrationSetVersionId: demos.id };
        return {
          kind: 'experiment',
          id: await this.experiment(p, 'prompt refinement', [before, after]),
          change,
          at,
          candidate,
        };
      }
      case 'train': {
        const tv = this.deps.templates.templateVersion(best.templateVersionId);
        const facts = this.deps.datasets.versionFacts(p.spec.datasetVersionId);
        const a = p.spec.adapter;
        const job = await this.deps.adapters.startTraining(
          TrainingSpec.parse({
            modelId: p.spec.modelId,
            data: { kind: 'dataset', datasetVersionId: p.spec.datasetVersionId },
            template: {
              inputField: facts.roles.input[0] ?? 'input',
              outputField: facts.roles.reference ?? 'output',
              prompt: tv.source,
              chat: tv.chat,
              templateVersionId: tv.id,
              maxRows: a.maxRows,
            },
            method: a.method,
            lora: { r: a.r, alpha: a.alpha ?? 2 * a.r, ...(a.targets ? { targets: a.targets } : {}) },
            softPrompt:
              a.softPromptInit === null
                ? { n: a.virtualTokens }
                : { n: a.virtualTokens, init: 'text', initText: a.softPromptInit },
            hyper: {
              epochs: a.epochs,
              maxSteps: a.maxSteps,
              batchSize: a.batchSize,
              lr: a.lr,
              warmupSteps: a.warmupSteps,
              schedule: a.schedule,
            },
            name: `${p.spec.name} adapter`,
          }),
        );
        return { kind: 'training', id: job.id, change, at };
      }
      case 'adapter-compare': {
        const last = p.stages.find((s) => s.stage === 'adapter')?.runs.at(-1);
        const job = last ? await this.deps.adapters.job({ id: last.id }) : null;
        if (!job?.adapterId) throw new BugError('an adapter comparison without a finished training job');
        const without = await this.spec(p, 'best prompt', {});
        const withAdapter = await this.spec(p, 'best prompt + adapter', this.adapterParts(job.adapterId));
        return {
          kind: 'experiment',
          id: await this.experiment(p, 'adapter', [without, withAdapter]),
          change,
          at,
          candidate: { adapterId: job.adapterId },
        };
      }
      case 'ablation': {
        if (best.adapterId === null) throw new BugError('an ablation proposed without an adapter');
        const full = await this.spec(p, 'best prompt + adapter', this.adapterParts(best.adapterId));
        const spec = this.experimentSpec(p, 'prompt + adapter', { kind: 'ablation', specializationId: full.id });
        return { kind: 'experiment', id: await this.started(spec), change, at };
      }
      case 'advance':
      case 'none':
        throw new BugError(`carryOut of a ${plan.kind} plan`);
    }
  }

  private adapterParts(adapterId: string): Partial<SpecializationParts> {
    const method = this.deps.adapters.record(adapterId).method;
    return {
      loraAdapterId: method === 'soft-prompt' ? null : adapterId,
      softPromptAdapterId: method === 'lora' ? null : adapterId,
    };
  }

  /** The best prompt so far (template and demonstrations) on the project's model, with `parts` replacing some. */
  private async spec(p: Project, what: string, parts: Partial<SpecializationParts>): Promise<Specialization> {
    return this.deps.specializations.create({
      name: `${p.spec.name}: ${what}`,
      modelId: p.spec.modelId,
      loraAdapterId: null,
      softPromptAdapterId: null,
      templateVersionId: p.best.templateVersionId,
      demonstrationSetVersionId: p.best.demonstrationSetVersionId,
      decoding: { do_sample: false, max_new_tokens: p.spec.maxNewTokens, seed: 0 },
      ...parts,
    });
  }

  private experimentSpec(p: Project, what: string, design: ExperimentSpec['design']): ExperimentSpec {
    return ExperimentSpec.parse({
      name: `${p.spec.name}: ${what}`,
      datasetVersionId: p.spec.datasetVersionId,
      split: p.spec.evalSplit,
      limit: p.spec.evalRows,
      design,
      metrics: p.spec.metrics,
      seed: 0,
    });
  }

  private experiment(p: Project, what: string, specs: readonly Specialization[]): Promise<string> {
    return this.started(this.experimentSpec(p, what, { kind: 'compare', specializationIds: specs.map((s) => s.id) }));
  }

  private async started(spec: ExperimentSpec): Promise<string> {
    const experiment: Experiment = await this.deps.experiments.create(spec);
    await this.deps.experiments.run({ id: experiment.id });
    return experiment.id;
  }

  private save(p: Project): Project {
    const saved = { ...p, updatedAt: this.now() };
    this.store().update(saved);
    this.changed(p.id);
    return saved;
  }

  private find(id: string): Project {
    const p = this.store().byId(id);
    if (!p)
      throw new UserError(`No project ${id} in this workspace`, {
        code: 'not-found',
        where: id,
        hint: 'It may belong to another workspace; reload the list.',
      });
    return p;
  }

  private changed(id: string): void {
    this.deps.events.emit('onChanged', { id });
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }

  private store(): ProjectStore {
    return new ProjectStore(this.deps.workspace.active.db);
  }
}
