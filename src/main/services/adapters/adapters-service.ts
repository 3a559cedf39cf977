// The adapters service (adaptersContract): training jobs run by the engine's `train` method with their checkpoints in
// <workspace>/training/<job id>/ (pause = cancel keeping the checkpoint; a job found 'running' with no live run after
// a restart is 'interrupted' and resumes from its checkpoint), and adapter versions in <workspace>/adapters/<id>/.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type {
  AdapterDetails,
  AdapterExport,
  AdapterRecord,
  adaptersContract,
  JobExport,
  TrainingEstimate,
  TrainingJob,
  TrainingSpec,
} from '../../../shared/contract/adapters';
import type { ModelRecord } from '../../../shared/contract/models';
import { UserError } from '../../../shared/errors';
import { loraModulesOf } from '../../../shared/lora';
import { READ_LIMITS, readBounded } from '../../engine/models/bounded-read';
import type { EngineClient } from '../../engine/client';
import { refuseVirtual } from '../../platform/files/user-files';
import type { ActiveWorkspace, WorkspaceAccess } from '../workspace';
import { resolveFolderPath } from '../workspace/layout';
import { exportAdapter } from './adapter-export';
import { AdapterIdentity } from './adapter-identity';
import { AdapterStore } from './adapter-store';
import { CALIBRATION_STEPS, calibratedSeconds, calibrationOf, estimateRun, numVirtualTokens } from './estimate';
import { JobStore } from './job-store';
import {
  exportTrainingJob,
  finalLosses,
  findJobExportResources,
  JOB_RUN_FILE,
  jobRunFacts,
  readJobRun,
} from './job-export';
import { TrainingRun, trainParams, type Prepared } from './training-run';
import type { RenderDataset } from './dataset-source';
import { findBundledDatasetsDir, renderTrainingData } from './training-data';
import type { TemplateRenderer } from '../templates';

type Contract = typeof adaptersContract;

export interface AdaptersServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly engine: EngineClient;
  readonly models: { get(arg: { id: string }): Promise<ModelRecord> };
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  readonly appVersion: string;
  /** resources/datasets; found next to the running code when not given. */
  readonly datasetsDir?: string | null;
  readonly newId?: () => string;
  /** Renders a workspace dataset version (dataset-source.ts); without it, dataset sources are refused. */
  readonly renderDataset?: RenderDataset;
  /** Renders the prompt template over file rows (the render worker's host). */
  readonly renderer: TemplateRenderer;
  /** Names a saved template version in an export's model card. */
  readonly templates?: { templateVersion(id: string): { name: string; version: number; contentHash: string } };
  /** What a relative export path is relative to (the CLI: its working directory); the home folder by default. */
  readonly paths?: { readonly relativeTo?: string };
  /** resources/job-export (the exported job's script); found next to the running code when not given. */
  readonly jobExportDir?: string;
  /**
   * Guards before training on a workspace dataset version: warnings (personal data, train rows that an experiment
   * evaluates on), or a throw when the workspace's privacy policy blocks.
   */
  readonly trainingCheck?: (
    datasetVersionId: string,
    maxRows: number | null,
  ) => Promise<{ warnings: string[]; personalData: number }>;
}

const LIVE_STATES = new Set(['running', 'pausing', 'checking']);

export class AdaptersService implements ServiceImpl<Contract> {
  private readonly runs = new Map<string, TrainingRun>();
  private readonly identity = new AdapterIdentity();
  /** Calibrations of this app run, by what sets a step's time (model, data, method, sizes). */
  private readonly calibrations = new Map<string, { steps: number; stepSeconds: number; setupSeconds: number }>();
  private readonly datasetsDir: string | null;

  constructor(private readonly deps: AdaptersServiceDeps) {
    this.datasetsDir = deps.datasetsDir === undefined ? findBundledDatasetsDir() : deps.datasetsDir;
  }

  async estimate(spec: TrainingSpec): Promise<TrainingEstimate> {
    const ws = this.deps.workspace.active;
    const model = await this.model(spec.modelId);
    const prepared = await this.prepare(spec, model);
    const measured =
      new JobStore(ws.db)
        .all()
        .find((j) => j.modelId === spec.modelId && j.state === 'completed' && j.progress !== null)?.progress
        ?.tokensPerSecond ?? null;
    const first = prepared.pairs[0];
    const guards = await this.guards(spec);
    return {
      ...estimateRun(spec, prepared.facts, prepared.validation.length, measured),
      preview: first ? { prompt: first.prompt, target: first.target } : null,
      warnings: [...prepared.warnings, ...guards.warnings],
      personalData:
        spec.data.kind === 'dataset' && guards.personalData > 0
          ? { datasetVersionId: spec.data.datasetVersionId, findings: guards.personalData }
          : null,
    };
  }

  /** The estimate with its time measured: a few real steps of this run, timed here; the folder is removed after. */
  async calibrate(spec: TrainingSpec): Promise<TrainingEstimate> {
    const estimate = await this.estimate(spec);
    const key = JSON.stringify([
      spec.modelId,
      spec.data,
      spec.template,
      spec.method,
      spec.lora,
      spec.softPrompt.n,
      spec.hyper.batchSize,
      spec.hyper.gradientAccumulationSteps,
      spec.hyper.maxLength,
    ]);
    let calibration = this.calibrations.get(key);
    if (calibration === undefined) {
      const ws = this.deps.workspace.active;
      const model = await this.model(spec.modelId);
      const prepared = await this.prepare(spec, model);
      refuseTooLong(spec, prepared);
      const short: TrainingSpec = {
        ...spec,
        hyper: { ...spec.hyper, maxSteps: CALIBRATION_STEPS, evalEvery: null, checkpointEvery: null, warmupSteps: 0 },
      };
      const folder = join(ws.info.path, 'training', `calibration-${(this.deps.newId ?? randomUUID)()}`);
      const ends: number[] = [];
      const started = performance.now();
      try {
        await this.deps.engine.request(
          'train',
          trainParams(short, model.folder, { ...prepared, validation: [] }, folder),
          { onProgress: () => void ends.push(performance.now()) },
        );
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      calibration = calibrationOf(started, ends);
      this.calibrations.set(key, calibration);
    }
    const seconds = calibratedSeconds(spec, estimate.steps, estimate.validationRows, calibration);
    const tokensPerStep = estimate.steps > 0 ? (estimate.seconds * estimate.tokensPerSecond) / estimate.steps : 0;
    return {
      ...estimate,
      seconds,
      tokensPerSecond: tokensPerStep / Math.max(calibration.stepSeconds, 1e-9),
      tokensPerSecondSource: 'calibrated',
      calibration,
    };
  }

  async startTraining(spec: TrainingSpec): Promise<TrainingJob> {
    const ws = this.deps.workspace.active;
    const model = await this.model(spec.modelId);
    if (spec.method !== 'lora' && spec.softPrompt.init === 'text' && !spec.softPrompt.initText?.trim()) {
      throw new UserError('Give the text the soft prompt starts from, or choose random initialisation.', {
        code: 'train-init-text',
        where: 'softPrompt.initText',
      });
    }
    const prepared = await this.prepare(spec, model);
    refuseTooLong(spec, prepared);
    await this.guards(spec); // the wizard showed the warnings with the estimate; a blocking policy refuses here
    const now = this.now();
    const id = (this.deps.newId ?? randomUUID)();
    const job: TrainingJob = {
      id,
      name: spec.name ?? `${model.name} ${spec.method} ${now.slice(0, 16).replace('T', ' ')}`,
      modelId: model.id,
      state: 'running',
      spec,
      progress: null,
      history: { train: [], validation: [] },
      error: null,
      adapterId: null,
      createdAt: now,
      updatedAt: now,
    };
    new JobStore(ws.db).insert(job);
    this.launch(ws, job, model, prepared);
    return job;
  }

  async pause(arg: { id: string }): Promise<TrainingJob> {
    const run = this.runs.get(arg.id);
    if (!run || !run.stop('pause')) throw notRunning(arg.id, 'paused');
    return run.job;
  }

  async resume(arg: { id: string }): Promise<TrainingJob> {
    const ws = this.deps.workspace.active;
    const job = this.find(ws, arg.id);
    if (job.state !== 'paused' && job.state !== 'interrupted') {
      throw new UserError(`This training job is ${job.state}; only a paused or interrupted job can be resumed.`, {
        code: 'job-state',
        where: `adapters: ${job.id}`,
      });
    }
    const model = await this.model(job.modelId);
    const prepared = await this.prepare(job.spec, model);
    const resumed: TrainingJob = { ...job, state: 'running', error: null, updatedAt: this.now() };
    new JobStore(ws.db).update(resumed);
    this.launch(ws, resumed, model, prepared);
    this.deps.events.emit('onJobChanged', { jobId: job.id, state: 'running' });
    return resumed;
  }

  async cancel(arg: { id: string }): Promise<TrainingJob> {
    const ws = this.deps.workspace.active;
    const run = this.runs.get(arg.id);
    if (run) {
      run.stop('cancel');
      await run.done;
      return this.find(ws, arg.id);
    }
    const job = this.find(ws, arg.id);
    if (job.state !== 'paused' && job.state !== 'interrupted') throw notRunning(arg.id, 'cancelled');
    await rm(this.trainingFolder(ws, job.id), { recursive: true, force: true });
    const cancelled: TrainingJob = { ...job, state: 'cancelled', updatedAt: this.now() };
    new JobStore(ws.db).update(cancelled);
    this.deps.events.emit('onJobChanged', { jobId: job.id, state: 'cancelled' });
    return cancelled;
  }

  async jobs(): Promise<TrainingJob[]> {
    const ws = this.deps.workspace.active;
    return new JobStore(ws.db).all().map((j) => this.current(ws, j));
  }

  async job(arg: { id: string }): Promise<TrainingJob> {
    return this.find(this.deps.workspace.active, arg.id);
  }

  async list(): Promise<AdapterRecord[]> {
    return new AdapterStore(this.deps.workspace.active.db).all().map(({ history: _h, ...record }) => record);
  }

  private async guards(spec: TrainingSpec): Promise<{ warnings: string[]; personalData: number }> {
    if (spec.data.kind !== 'dataset' || !this.deps.trainingCheck) return { warnings: [], personalData: 0 };
    return this.deps.trainingCheck(spec.data.datasetVersionId, spec.template.maxRows);
  }

  /** A registered adapter (for the services that use adapters: specializations). */
  record(id: string): AdapterRecord {
    const adapter = new AdapterStore(this.deps.workspace.active.db).byId(id);
    if (!adapter) throw adapterNotFound(id);
    const { history: _h, ...record } = adapter;
    return record;
  }

  /**
   * What a trained adapter was trained on, from its job's spec: the dataset version (null for files and bundled
   * data), the row limit, and the template version (null: an inline prompt). Null for imported adapters.
   */
  trainedOn(
    id: string,
  ): { datasetVersionId: string | null; maxRows: number | null; templateVersionId: string | null } | null {
    const jobId = this.record(id).jobId;
    const job = jobId === null ? undefined : new JobStore(this.deps.workspace.active.db).byId(jobId);
    if (!job) return null;
    const data = job.spec.data;
    return {
      datasetVersionId: data.kind === 'dataset' ? data.datasetVersionId : null,
      maxRows: job.spec.template.maxRows,
      templateVersionId: job.spec.template.templateVersionId,
    };
  }

  /**
   * The adapter's content identity (whole-file sha256 of its weights and config, checked against the digests recorded
   * when it was saved): what specializations and the engine's adapter cache key it by. Cached by file signature.
   */
  async contentHash(id: string): Promise<string> {
    return this.identity.of(this.record(id).folder);
  }

  async get(arg: { id: string }): Promise<AdapterDetails> {
    const adapter = new AdapterStore(this.deps.workspace.active.db).byId(arg.id);
    if (!adapter) throw adapterNotFound(arg.id);
    const bytes = await readBounded(
      join(adapter.folder, 'dovetail_adapter.json'),
      READ_LIMITS.json,
      'adapter-lineage',
    ).catch(() => null);
    const lineage = JSON.parse(bytes?.toString('utf8') ?? '{}') as Record<string, unknown>;
    const spec =
      adapter.jobId === null ? undefined : new JobStore(this.deps.workspace.active.db).byId(adapter.jobId)?.spec;
    const training = spec
      ? {
          datasetVersionId: spec.data.kind === 'dataset' ? spec.data.datasetVersionId : null,
          templateVersionId: spec.template.templateVersionId,
        }
      : null;
    return { ...adapter, lineage, training };
  }

  async importPeft(arg: { folder: string; modelId: string; name?: string | undefined }): Promise<AdapterRecord> {
    const ws = this.deps.workspace.active;
    const model = await this.model(arg.modelId);
    const inspected = await this.deps.engine.request('inspectAdapter', {
      modelFolder: model.folder,
      adapterFolder: arg.folder,
      baseContentHash: model.contentHash,
    });
    if (!inspected.check.active) throw inactive(inspected.check.maxAbsDelta, arg.folder);
    // The output of an exported job: its lineage goes back to the job, its data and template versions.
    const run = await readJobRun(arg.folder);
    if (run && run.job.base_model.content_hash !== model.contentHash)
      throw new UserError(`This adapter was trained on ${run.job.base_model.name}, not on ${model.name}.`, {
        code: 'adapter-base-mismatch',
        where: join(arg.folder, JOB_RUN_FILE),
        hint: `Import it against the model whose content hash is ${run.job.base_model.content_hash.slice(0, 12)}…`,
      });
    const jobId = run?.job.job_id && new JobStore(ws.db).byId(run.job.job_id) ? run.job.job_id : null;
    const id = (this.deps.newId ?? randomUUID)();
    const folder = join(ws.info.path, 'adapters', id);
    const hyper = {
      method: inspected.method,
      r: inspected.lora?.r ?? null,
      lora_alpha: inspected.lora?.alpha ?? null,
      target_modules: inspected.lora?.targets ?? [],
      use_rslora: inspected.lora?.rslora ?? null,
      num_virtual_tokens: inspected.softPrompt?.n ?? null,
      imported_from: arg.folder,
      ...(run ? jobRunFacts(run) : {}),
    };
    const now = this.now();
    const lineage = {
      source: 'imported',
      base_model: { content_hash: model.contentHash, name: model.name },
      dataset: run?.job.dataset ?? null,
      template: run?.job.template ?? null,
      hyper_parameters: hyper,
      final_losses: run ? finalLosses(run) : null,
      created_at: now,
      app_version: this.deps.appVersion,
    };
    await this.deps.engine.request('saveAdapter', { from: arg.folder, to: folder, lineage });
    const record: AdapterRecord = {
      id,
      name: arg.name ?? arg.folder.split(/[\\/]/).filter(Boolean).pop() ?? 'imported adapter',
      modelId: model.id,
      baseContentHash: model.contentHash,
      method: inspected.method,
      source: 'imported',
      folder,
      jobId,
      finalLoss: run?.losses.at(-1)?.loss ?? null,
      finalValLoss: run?.validation_losses.at(-1)?.loss ?? null,
      check: inspected.check,
      vllm: inspected.vllm,
      createdAt: now,
    };
    const history = run ? { train: run.losses, validation: run.validation_losses } : { train: [], validation: [] };
    new AdapterStore(ws.db).insert({ ...record, history });
    this.deps.events.emit('onChanged', { change: 'added', id });
    return record;
  }

  async export(arg: { id: string; to: string }): Promise<AdapterExport> {
    const adapter = this.record(arg.id);
    const model = await this.deps.models.get({ id: adapter.modelId });
    const to = resolveFolderPath(arg.to, { homeDir: homedir(), relativeTo: this.deps.paths?.relativeTo ?? homedir() });
    await refuseVirtual(to, 'to', 'export');
    const job = adapter.jobId === null ? undefined : new JobStore(this.deps.workspace.active.db).byId(adapter.jobId);
    const templateVersionId = job?.spec.template.templateVersionId ?? null;
    const lookup = this.deps.templates;
    const template = templateVersionId === null || !lookup ? null : templateFacts(lookup, templateVersionId);
    // PEFT loads the base from base_model_name_or_path: the registered folder (absolute) is where this machine has it.
    const out = await exportAdapter({
      adapter,
      to,
      baseModelPath: model.folder,
      baseModelName: model.name,
      template,
      appVersion: this.deps.appVersion,
    });
    return { ...out, baseModelNameOrPath: model.folder };
  }

  async exportJob(arg: {
    jobId: string | null;
    spec: TrainingSpec | null;
    to: string;
    baseModelId: string | null;
    gpus: number;
  }): Promise<JobExport> {
    const ws = this.deps.workspace.active;
    const job = arg.jobId === null ? null : this.find(ws, arg.jobId);
    const spec = job?.spec ?? (arg.spec as TrainingSpec);
    const jobModel = await this.model(spec.modelId);
    const base = arg.baseModelId === null ? jobModel : await this.model(arg.baseModelId);
    const to = resolveFolderPath(arg.to, { homeDir: homedir(), relativeTo: this.deps.paths?.relativeTo ?? homedir() });
    await refuseVirtual(to, 'to', 'exportJob');
    const resourcesDir = this.deps.jobExportDir ?? findJobExportResources();
    if (resourcesDir === null)
      throw new UserError('The training script to export is missing from this installation.', {
        code: 'export-resources',
        where: 'resources/job-export',
        hint: 'Reinstall Dovetail.',
      });
    // Rendered now as the job was (same template version, demonstrations and chat template: renders are pure).
    const prepared = await this.prepare(spec, jobModel);
    return exportTrainingJob({
      engine: this.deps.engine,
      spec,
      job,
      jobModel,
      base,
      prepared,
      to,
      gpus: arg.gpus,
      appVersion: this.deps.appVersion,
      now: this.now(),
      resourcesDir,
    });
  }

  async remove(arg: { id: string }): Promise<null> {
    const store = new AdapterStore(this.deps.workspace.active.db);
    const adapter = store.byId(arg.id);
    if (!adapter || !store.remove(arg.id)) throw adapterNotFound(arg.id);
    await rm(adapter.folder, { recursive: true, force: true });
    this.deps.events.emit('onChanged', { change: 'removed', id: arg.id });
    return null;
  }

  /** Stops every run at its next step boundary (checkpoint kept); their jobs read as 'interrupted' next time. */
  async dispose(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const run of runs) run.stop('shutdown');
    await Promise.allSettled(runs.map((r) => r.done));
  }

  private launch(ws: ActiveWorkspace, job: TrainingJob, model: ModelRecord, prepared: Prepared): void {
    const run = new TrainingRun({
      ...this.deps,
      ws,
      job,
      model,
      prepared,
      folder: this.trainingFolder(ws, job.id),
      now: () => this.now(),
    });
    this.runs.set(job.id, run);
    void run.done.finally(() => this.runs.delete(job.id));
  }

  private async prepare(spec: TrainingSpec, model: ModelRecord): Promise<Prepared> {
    refuseForeignTargets(spec, model);
    const data =
      spec.data.kind === 'dataset'
        ? await this.renderDataset(spec.data.datasetVersionId, spec)
        : await renderTrainingData(spec.data, spec.template, this.datasetsDir, this.deps.renderer);
    // A template version decides the chat setting, as it does when the adapter is served.
    const chat = data.chat ?? spec.template.chat;
    const out = await this.deps.engine.request('prepareTrainingData', {
      modelFolder: model.folder,
      pairs: data.pairs,
      validation: data.validation,
      chat,
      maxLength: spec.hyper.maxLength,
      numVirtualTokens: numVirtualTokens(spec),
    });
    const { pairs, validation, contentHash: _hash, ...facts } = out;
    return {
      pairs,
      validation,
      facts,
      sourceId: data.sourceId,
      dataHash: data.contentHash,
      templateHash: data.templateHash,
      warnings: data.warnings,
    };
  }

  private renderDataset(datasetVersionId: string, spec: TrainingSpec) {
    if (!this.deps.renderDataset)
      throw new UserError('Datasets are not available here', { code: 'train-data', where: 'data' });
    return this.deps.renderDataset(datasetVersionId, spec.template);
  }

  private async model(id: string): Promise<ModelRecord> {
    const model = await this.deps.models.get({ id });
    if (!model.available)
      throw new UserError(`The model ${model.name} is not available: ${model.unavailableReason ?? ''}`, {
        code: 'model-unavailable',
        where: model.folder,
      });
    return model;
  }

  private find(ws: ActiveWorkspace, id: string): TrainingJob {
    const job = new JobStore(ws.db).byId(id);
    if (!job)
      throw new UserError('This training job is not in the open workspace.', {
        code: 'job-not-found',
        where: `adapters: ${id}`,
      });
    return this.current(ws, job);
  }

  /** A job stored as live with no run in this process was cut off (app killed or closed): it is 'interrupted'. */
  private current(ws: ActiveWorkspace, job: TrainingJob): TrainingJob {
    const run = this.runs.get(job.id);
    if (run) return run.job;
    if (!LIVE_STATES.has(job.state)) return job;
    const interrupted: TrainingJob = { ...job, state: 'interrupted', updatedAt: this.now() };
    new JobStore(ws.db).update(interrupted);
    return interrupted;
  }

  private trainingFolder(ws: ActiveWorkspace, id: string): string {
    return join(ws.info.path, 'training', id);
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

function templateFacts(
  templates: NonNullable<AdaptersServiceDeps['templates']>,
  id: string,
): { name: string; version: number; contentHash: string } | null {
  try {
    const v = templates.templateVersion(id);
    return { name: v.name, version: v.version, contentHash: v.contentHash };
  } catch {
    return null; // a template removed since training: the card keeps the hash from the lineage
  }
}

/** LoRA targets the model does not have (q_proj on Phi-3's fused layers, qkv_proj on a Llama) are named up front. */
function refuseForeignTargets(spec: TrainingSpec, model: ModelRecord): void {
  if (spec.method === 'soft-prompt') return;
  const modules = loraModulesOf(model.architecture);
  const foreign = spec.lora.targets.filter((t) => !modules.includes(t));
  if (foreign.length === 0) return;
  throw new UserError(
    `LoRA targets ${foreign.join(', ')} are not projections of ${model.name} (${model.architecture}).`,
    {
      code: 'train-targets',
      where: 'lora.targets',
      hint: `Choose among ${modules.join(', ')}.`,
    },
  );
}

function refuseTooLong(spec: TrainingSpec, prepared: Prepared): void {
  const { tooLong, maxLength } = prepared.facts;
  if (tooLong.length === 0 || spec.hyper.dropTooLong) return;
  const list = tooLong
    .slice(0, 10)
    .map((r) => `row ${r.row + 1} (${r.tokens} tokens)`)
    .join(', ');
  throw new UserError(
    `${tooLong.length} training rows are longer than ${maxLength} tokens: ${list}${tooLong.length > 10 ? ', ...' : ''}`,
    {
      code: 'train-too-long',
      where: 'data',
      hint: 'Shorten those rows, raise the maximum length, or choose to leave long rows out.',
    },
  );
}

export function inactive(maxAbsDelta: number, where: string): UserError {
  return new UserError(
    `The adapter is inactive: it changes nothing (max |Δlogit| ${maxAbsDelta.toExponential(2)} on the canary inputs).`,
    {
      code: 'adapter-inactive',
      where,
      hint:
        'A LoRA whose lora_B weights are all zero (as freshly initialised) has no effect. Train it for more ' +
        'steps or with a higher learning rate.',
    },
  );
}

function notRunning(id: string, what: string): UserError {
  return new UserError(`This training job is not running, so it cannot be ${what}.`, {
    code: 'job-state',
    where: `adapters: ${id}`,
  });
}

function adapterNotFound(id: string): UserError {
  return new UserError('This adapter is not registered in the open workspace.', {
    code: 'adapter-not-found',
    where: `adapters: ${id}`,
    hint: 'Reload the list.',
  });
}
