// The experiments service (experimentsContract): creates experiments (an ablation creates its cell
// specializations), runs them in the background (ExperimentRun), and reads results, outputs and examples from the
// stored outputs. A run found 'running' with no live run (the app was killed) reads as 'interrupted'; `run` resumes.
import type { QuantizedWeightFormat, WeightFormat } from '../../../shared/weight-format';
import type { TaskQuality } from '../../../shared/contract/models';
import { randomUUID } from 'node:crypto';
import type { CallContext, EventSink, ServiceImpl } from '../../../shared/contract/define';
import type {
  ContextCost,
  ExampleDetails,
  Experiment,
  ExperimentResults,
  ExperimentSpec,
  experimentsContract,
  FormatComparison,
  OutputRow,
} from '../../../shared/contract/experiments';
import { METRIC_NEEDS_REFERENCE, metricLabel } from '../../../shared/metrics';
import { UserError } from '../../../shared/errors';
import type { EngineClient } from '../../engine/client';
import type { ResolvedSpecialization, SpecializationsService } from '../specializations';
import { promptFor } from '../specializations';
import type { DatasetReader } from '../templates';
import type { ActiveWorkspace, WorkspaceAccess } from '../workspace';
import { ablationCells, compareCell } from './cells';
import { loadExamples } from './examples';
import { checkedRemote } from './remote-cells';
import { RemoteClient } from '../remote/remote-client';
import { ExperimentRun, outputKey, remoteTag } from './experiment-run';
import { ExperimentStore } from './experiment-store';
import { measureContextCost } from './context-cost';
import { collectOutputs, type Collected, type JudgedAnswers } from './results';
import { judgeKey, judgeMissing, judgePrompts, resolveJudge, storedAnswers, type JudgeMetric } from './judge-run';
import type { Example } from './examples';
import { inThreadScoring, type Scoring } from './scoring';
import { taskQualityEntries } from './format-comparison';
import type { ReportDocument } from '../../../shared/report';
import { manifest } from '../lineage/specialization-lineage';
import { buildExperimentReport } from '../reports/experiment-report';
import { experimentObjects } from '../reports/experiment-lineage';

type Contract = typeof experimentsContract;

export interface ExperimentsServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly engine: EngineClient;
  readonly datasets: DatasetReader;
  readonly specializations: Pick<SpecializationsService, 'specialization' | 'resolve' | 'createDerived' | 'lineage'>;
  /** For reports: this build's version and a profile's name by id. */
  readonly appVersion?: string;
  readonly userName?: (id: string) => string | undefined;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly newId?: () => string;
  /** The precision a model's weights run at now (absent: always as stored). */
  readonly weightFormatOf?: (modelId: string) => WeightFormat;
  /** Warnings when an adapter in the experiment was trained on rows it evaluates (train/evaluation overlap). */
  readonly contamination?: (experiment: Experiment) => string[];
  /** Where results, output rows and reports are computed (compose.ts: the scoring worker; absent: this thread). */
  readonly scoring?: Scoring;
  /** Keeps a format check's task measurements for a model's format picker (absent: not kept). */
  readonly recordTaskQuality?: (modelId: string, entries: TaskQuality[]) => Promise<void>;
}

export class ExperimentsService implements ServiceImpl<Contract> {
  private readonly runs = new Map<string, ExperimentRun>();
  /** Work after a run ends (a format check's summary for the format pickers), awaited by settled and dispose. */
  private readonly afterRuns = new Map<string, Promise<void>>();

  private readonly scoring: Scoring;

  constructor(private readonly deps: ExperimentsServiceDeps) {
    this.scoring = deps.scoring ?? inThreadScoring;
  }

  async list(): Promise<Experiment[]> {
    return this.store()
      .all()
      .map((e) => this.live(e));
  }

  async get({ id }: { id: string }): Promise<Experiment> {
    return this.find(id);
  }

  async create(spec: ExperimentSpec): Promise<Experiment> {
    const { facts, examples } = loadExamples(this.deps.datasets, spec);
    if (examples.length === 0) {
      throw new UserError(`The ${spec.split} split of ${facts.name} v${facts.version} has no rows`, {
        code: 'experiment-empty',
        where: 'split',
        hint: 'Choose another split, or re-import the dataset with a split that has rows.',
      });
    }
    const needsReference = spec.metrics.find((m) => METRIC_NEEDS_REFERENCE[m.kind]);
    if (needsReference && facts.roles.reference === null) {
      throw new UserError(
        `The metric ${needsReference.kind} compares with the expected output, and ${facts.name} has no reference field`,
        {
          code: 'experiment-reference',
          where: 'metrics',
          hint:
            'Import the dataset with a reference field, or choose metrics that need none (regex, JSON validity, ' +
            'length).',
        },
      );
    }
    // An ablation's cells are made here, under new ids no `remote.models` can name yet: refused before any is made.
    if (spec.remote && spec.design.kind === 'ablation')
      throw new UserError('An ablation cannot run on a remote server', {
        code: 'remote-ablation',
        where: 'remote',
        hint: 'Compare the specializations to run on the server, or run the ablation on this computer.',
      });
    for (const m of spec.metrics)
      if (m.kind === 'judge') {
        try {
          this.deps.specializations.specialization(m.judge);
        } catch (error) {
          throw judgeMissing(m, error);
        }
      }
    let cells: Experiment['cells'];
    if (spec.design.kind === 'compare') {
      cells = spec.design.specializationIds.map((id) => compareCell(this.deps.specializations.specialization(id)));
    } else {
      const full = this.deps.specializations.specialization(spec.design.specializationId);
      if (full.components.length === 0)
        throw new UserError(`"${full.name}" has no components to ablate: it is the base model alone`, {
          code: 'experiment-ablation',
          where: 'design.specializationId',
          hint: 'Choose a specialization with a template, demonstrations or adapters.',
        });
      cells = [];
      for (const plan of ablationCells(full)) {
        const s =
          plan.mask === (1 << full.components.length) - 1
            ? full
            : await this.deps.specializations.createDerived(
                { ...plan.parts, name: `${full.name}: ${plan.label}` },
                full.id,
              );
        cells.push({ specializationId: s.id, label: plan.label, components: plan.components, mask: plan.mask });
      }
    }
    const now = this.deps.clock().toISOString();
    const remote = spec.remote ? await checkedRemote(spec.remote, cells, this.deps.specializations, now) : undefined;
    const experiment: Experiment = {
      id: (this.deps.newId ?? randomUUID)(),
      name: spec.name,
      spec: remote ? { ...spec, remote } : spec,
      cells,
      state: 'created',
      progress: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    this.store().insert(experiment);
    this.deps.events.emit('onChanged', { id: experiment.id, state: experiment.state });
    return experiment;
  }

  /** What a server serves and its version, before any cell names a model (no model is required of it here). */
  async checkRemote(server: Omit<NonNullable<ExperimentSpec['remote']>, 'models' | 'identity'>) {
    return new RemoteClient({ ...server, models: {} }).identify(this.deps.clock().toISOString());
  }

  async run({ id }: { id: string }): Promise<Experiment> {
    return (await this.start(id, null)).experiment;
  }

  /**
   * Generates the cells again at the stored precision (where missing) and at each format, as one run that names the
   * format of every generation; once complete, each judged cell's main metric is kept for its model's format picker.
   */
  async checkFormats({ id, formats }: { id: string; formats: QuantizedWeightFormat[] }): Promise<Experiment> {
    const experiment = this.find(id);
    if (experiment.spec.remote)
      throw new UserError("A server generated this experiment's outputs: weight formats are this machine's.", {
        code: 'format-check-remote',
        where: id,
        hint: 'Check formats on an experiment that runs on this computer.',
      });
    const run = await this.start(id, ['stored', ...new Set(formats)]);
    const kept = run.done.then(() => (run.experiment.state === 'completed' ? this.keepTaskQuality(id) : undefined));
    this.afterRuns.set(id, kept);
    void kept.finally(() => this.afterRuns.get(id) === kept && this.afterRuns.delete(id));
    return run.experiment;
  }

  async formatComparison({ id }: { id: string }): Promise<FormatComparison> {
    const experiment = this.find(id);
    const formats = experiment.spec.remote ? [] : (['q8', 'q4'] as const);
    const at = [];
    for (const format of formats) at.push({ format, collected: await this.collected(experiment, format) });
    return this.scoring.run({
      kind: 'formatComparison',
      experiment,
      collected: await this.collected(experiment, 'stored'),
      formats: at,
    });
  }

  async cancel({ id }: { id: string }): Promise<Experiment> {
    const run = this.runs.get(id);
    if (!run) throw new UserError('This experiment is not running', { code: 'experiment-not-running', where: id });
    run.cancel();
    await run.done;
    return run.experiment;
  }

  /**
   * Waits for a live run to end, and for what follows it (a format check's summary for the format pickers); resolves
   * at once when none is running (the headless commands).
   */
  async settled(id: string): Promise<Experiment> {
    await this.runs.get(id)?.done;
    await this.afterRuns.get(id);
    return this.find(id);
  }

  async results({ id }: { id: string }): Promise<ExperimentResults> {
    const experiment = this.find(id);
    const results = await this.scoring.run({
      kind: 'results',
      experiment,
      collected: await this.collected(experiment),
    });
    return { ...results, contamination: this.deps.contamination?.(experiment) ?? [] };
  }

  async outputs(arg: {
    id: string;
    offset: number;
    limit: number;
    filter: 'all' | 'disagreements' | 'failures';
  }): Promise<{ total: number; rows: OutputRow[] }> {
    const experiment = this.find(arg.id);
    const all = await this.scoring.run({ kind: 'outputRows', experiment, collected: await this.collected(experiment) });
    const rows = all.filter((r) => arg.filter === 'all' || (arg.filter === 'disagreements' ? r.disagree : r.failed));
    return { total: rows.length, rows: rows.slice(arg.offset, arg.offset + arg.limit) };
  }

  async example(arg: { id: string; exampleIdx: number }): Promise<ExampleDetails> {
    const experiment = this.find(arg.id);
    const collected = await this.collected(experiment);
    const example = collected.examples.examples[arg.exampleIdx];
    if (!example)
      throw new UserError(`The experiment has no example ${arg.exampleIdx + 1}`, {
        code: 'not-found',
        where: 'exampleIdx',
      });
    const row = (await this.scoring.run({ kind: 'outputRows', experiment, collected }))[arg.exampleIdx] as OutputRow;
    const cells = [];
    for (const [c, cell] of experiment.cells.entries()) {
      const resolved = await this.deps.specializations.resolve(cell.specializationId);
      const { rendered } = await promptFor(
        resolved,
        example.data,
        collected.examples.facts.roles,
        `row ${example.key}`,
      );
      const output = row.outputs[c] as OutputRow['outputs'][number];
      const judgePrompts = await this.judgePromptsOf(experiment, example, output.text);
      cells.push({
        cell,
        prompt: rendered.text,
        system: rendered.system,
        chat: rendered.chat,
        output,
        ...(judgePrompts.length > 0 ? { judgePrompts } : {}),
      });
    }
    return { exampleIdx: example.idx, key: example.key, input: row.input, reference: example.reference, cells };
  }

  /** The experiment's report as a document, with its lineage (who made it, when, and every part with its hash). */
  async reportDocument(
    id: string,
    preface: readonly { title: string; lines: string[] }[],
    ctx?: CallContext,
  ): Promise<ReportDocument> {
    const experiment = this.find(id);
    const collected = await this.collected(experiment);
    const [results, rows] = await Promise.all([
      this.scoring.run({ kind: 'results', experiment, collected }),
      this.scoring.run({ kind: 'outputRows', experiment, collected }),
    ]);
    const facts = this.deps.datasets.versionFacts(experiment.spec.datasetVersionId);
    const objects = await experimentObjects(experiment, results.n, {
      dataset: () => facts,
      specialization: (specId) => this.deps.specializations.lineage(specId),
    });
    const userId = ctx?.userId ?? null;
    const lineage = manifest({ kind: 'experiment', id, name: experiment.name }, objects, {
      appVersion: this.deps.appVersion ?? 'unknown',
      actor: { id: userId, name: userId === null ? 'local user' : (this.deps.userName?.(userId) ?? userId) },
      at: this.deps.clock(),
    });
    return buildExperimentReport({
      experiment,
      results,
      rows,
      lineage,
      datasetName: `${facts.name} v${facts.version}`,
      preface,
      specializationName: (specId) => this.deps.specializations.specialization(specId).name,
    });
  }

  /**
   * An experiment with its stored outputs, for other services' analyses (failure modes, probes, drift audits);
   * `weightFormat` reads the outputs made at that precision instead of the one each cell recorded (or, for a cell
   * run before formats were recorded, its model's current one).
   */
  async stored(id: string, weightFormat?: WeightFormat): Promise<{ experiment: Experiment; collected: Collected }> {
    const experiment = this.find(id);
    return { experiment, collected: await this.collected(experiment, weightFormat) };
  }

  async remove({ id }: { id: string }): Promise<null> {
    if (this.runs.has(id))
      throw new UserError('Cancel the run before removing the experiment', { code: 'experiment-running', where: id });
    if (!this.store().remove(id)) throw notFound(id);
    this.deps.events.emit('onChanged', { id, state: 'cancelled' });
    return null;
  }

  async contextCost(arg: {
    specializationId: string;
    datasetVersionId: string;
    split: ExperimentSpec['split'];
    rows: number;
  }): Promise<ContextCost> {
    const { facts, examples } = loadExamples(this.deps.datasets, { ...arg, limit: arg.rows });
    if (examples.length === 0)
      throw new UserError(`The ${arg.split} split of ${facts.name} v${facts.version} has no rows`, {
        code: 'experiment-empty',
        where: 'split',
        hint: 'Choose another split or dataset.',
      });
    const resolved = await this.deps.specializations.resolve(arg.specializationId);
    return measureContextCost(resolved, examples, facts.roles, this.deps.engine);
  }

  async dispose(): Promise<void> {
    for (const run of this.runs.values()) run.cancel();
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
    await Promise.allSettled([...this.afterRuns.values()]);
  }

  private async collected(experiment: Experiment, weightFormat?: WeightFormat) {
    const examples = loadExamples(this.deps.datasets, experiment.spec);
    const keys = experiment.cells.map((cell) => {
      const spec = this.deps.specializations.specialization(cell.specializationId);
      const format = weightFormat ?? cell.weightFormat ?? this.deps.weightFormatOf?.(spec.modelId) ?? 'stored';
      const remote = experiment.spec.remote;
      return outputKey({ spec }, format, experiment.spec.fresh, remote ? remoteTag(remote, spec.id) : undefined);
    });
    const collected = collectOutputs(this.store(), examples, keys);
    return {
      ...collected,
      judged: experiment.spec.metrics.map((m) => (m.kind === 'judge' ? this.judged(m, experiment, collected) : null)),
    };
  }

  /** What each judge metric's judge is given for one output (none when the output or the judge is missing). */
  private async judgePromptsOf(experiment: Experiment, example: Example, output: string | null) {
    const prompts = [];
    if (output === null) return [];
    const inputFields = this.deps.datasets.versionFacts(experiment.spec.datasetVersionId).roles.input;
    for (const [mi, m] of experiment.spec.metrics.entries()) {
      if (m.kind !== 'judge') continue;
      const judge = await resolveJudge(m, (j) => this.deps.specializations.resolve(j));
      const [p] = await judgePrompts(m, judge, [{ example, output }], inputFields);
      prompts.push({ metric: mi, label: metricLabel(m), judge: judge.spec.name, prompt: p?.rendered.text ?? '' });
    }
    return prompts;
  }

  /** A judge metric's stored answers for every output (null where none is stored), or null without its judge. */
  private judged(metric: JudgeMetric, experiment: Experiment, collected: Collected): JudgedAnswers | null {
    let judge;
    try {
      judge = this.deps.specializations.specialization(metric.judge);
    } catch {
      return null; // removed since: the metric reads as not judged
    }
    const format = this.deps.weightFormatOf?.(judge.modelId) ?? 'stored';
    return storedAnswers(metric, judge, judgeKey(judge, format, experiment.spec.seed), collected, this.store());
  }

  private store(ws: ActiveWorkspace = this.deps.workspace.active): ExperimentStore {
    return new ExperimentStore(ws.db);
  }

  /** Starts a run of the experiment's cells: at their models' formats, or (a format check) once per format named. */
  private async start(id: string, formats: WeightFormat[] | null): Promise<ExperimentRun> {
    const ws = this.deps.workspace.active;
    const experiment = this.find(id);
    if (this.runs.has(id))
      throw new UserError(`"${experiment.name}" is running already`, { code: 'experiment-running', where: id });
    const examples = loadExamples(this.deps.datasets, experiment.spec);
    const resolved: ResolvedSpecialization[] = [];
    for (const cell of experiment.cells) resolved.push(await this.deps.specializations.resolve(cell.specializationId));
    const cells =
      formats === null
        ? resolved
        : formats.flatMap((format) => resolved.map((c) => ({ ...c, model: { ...c.model, weightFormat: format } })));
    const judges = [];
    for (const metric of experiment.spec.metrics)
      if (metric.kind === 'judge')
        judges.push({ metric, judge: await resolveJudge(metric, (j) => this.deps.specializations.resolve(j)) });
    const run = new ExperimentRun({
      judges,
      experiment,
      db: ws.db,
      engine: this.deps.engine,
      examples,
      cells,
      formatCheck: formats !== null,
      clock: this.deps.clock,
      onProgress: (progress) => this.deps.events.emit('onProgress', { id, progress }),
      onState: (e) => this.deps.events.emit('onChanged', { id, state: e.state }),
      remote: experiment.spec.remote ? new RemoteClient(experiment.spec.remote) : null,
    });
    this.runs.set(id, run);
    void run.done.finally(() => this.runs.delete(id));
    return run;
  }

  /** A finished format check's main metric per judged cell, kept for each cell's model. */
  private async keepTaskQuality(id: string): Promise<void> {
    const record = this.deps.recordTaskQuality;
    if (!record) return;
    try {
      const experiment = this.find(id);
      const { facts } = loadExamples(this.deps.datasets, experiment.spec);
      const entries = taskQualityEntries(experiment, await this.formatComparison({ id }), {
        rows: `${facts.name} v${facts.version}, ${experiment.spec.split} split`,
        specializationName: (specId) => this.deps.specializations.specialization(specId).name,
        now: this.deps.clock(),
      });
      for (const specId of new Set(entries.map((e) => e.specializationId)))
        await record(
          this.deps.specializations.specialization(specId).modelId,
          entries.filter((e) => e.specializationId === specId).map(({ specializationId: _, ...entry }) => entry),
        );
    } catch (error) {
      // The check's outputs are stored; only the summary for the format picker is missing, and the next check writes it.
      console.error('[experiments] keeping the format check for the format picker failed:', error);
    }
  }

  private find(id: string): Experiment {
    const e = this.store().byId(id);
    if (!e) throw notFound(id);
    return this.live(e);
  }

  /** The live run's view, or 'interrupted' for a run that no process is doing any more. */
  private live(e: Experiment): Experiment {
    const run = this.runs.get(e.id);
    if (run) return run.experiment;
    return e.state === 'running' ? { ...e, state: 'interrupted' } : e;
  }
}

function notFound(id: string): UserError {
  return new UserError(`No experiment ${id} in this workspace`, {
    code: 'not-found',
    where: id,
    hint: 'It may have been removed; reload the list.',
  });
}
