// One live training job: the engine's `train` request with progress (persisted, emitted), pause/cancel/shutdown by
// aborting at a step boundary, then on success the adapter saved with its lineage, checked active, and registered.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventSink } from '../../../shared/contract/define';
import type { adaptersContract, JobState, TrainingJob, TrainingSpec } from '../../../shared/contract/adapters';
import type { ModelRecord } from '../../../shared/contract/models';
import { CancelledError, UserError } from '../../../shared/errors';
import { toPeftLora } from '../../../shared/lora';
import { isEngineInterruption } from '../../engine/engine-errors';
import type { EngineClient } from '../../engine/client';
import type { ActiveWorkspace, WorkspaceAccess } from '../workspace';
import { AdapterStore } from './adapter-store';
import { defaultLr, numVirtualTokens, type PreparedFacts } from './estimate';
import { JobStore } from './job-store';

export interface Prepared {
  pairs: { prompt: string; target: string }[];
  validation: { prompt: string; target: string }[];
  facts: PreparedFacts;
  sourceId: string;
  dataHash: string;
  templateHash: string;
  /** Names the template reads that rows do not set (the wizard shows them; training runs). */
  warnings: string[];
}

export interface TrainingRunDeps {
  readonly workspace: WorkspaceAccess;
  readonly engine: EngineClient;
  readonly events: EventSink<typeof adaptersContract>;
  readonly appVersion: string;
  readonly newId?: () => string;
  readonly ws: ActiveWorkspace;
  readonly job: TrainingJob;
  readonly model: ModelRecord;
  readonly prepared: Prepared;
  /** <workspace>/training/<job id>: the engine's checkpoints and final adapter. */
  readonly folder: string;
  readonly now: () => string;
}

type Intent = 'pause' | 'cancel' | 'shutdown';

export class TrainingRun {
  job: TrainingJob;
  readonly done: Promise<void>;
  private readonly controller = new AbortController();
  private intent: Intent | null = null;

  constructor(private readonly d: TrainingRunDeps) {
    this.job = d.job;
    this.done = this.run();
  }

  /** Asks the run to stop at its next step boundary; false once it is past training (checking the adapter). */
  stop(intent: Intent): boolean {
    if (this.job.state !== 'running' && !(intent === 'cancel' && this.job.state === 'pausing')) return false;
    this.intent = intent;
    if (intent === 'pause') this.set({ state: 'pausing' });
    this.controller.abort();
    return true;
  }

  private async run(): Promise<void> {
    try {
      const result = await this.d.engine.request('train', this.params(), {
        signal: this.controller.signal,
        onProgress: (p) => this.progress(p),
      });
      this.set({ state: 'checking' });
      const adapterId = await this.register(result.adapterFolder, result.steps);
      await rm(this.d.folder, { recursive: true, force: true });
      this.set({ state: 'completed', adapterId });
    } catch (error) {
      await this.failed(error).catch(() => undefined);
    }
  }

  private async failed(error: unknown): Promise<void> {
    if (error instanceof CancelledError || this.controller.signal.aborted) {
      if (this.intent === 'cancel') {
        await rm(this.d.folder, { recursive: true, force: true });
        this.set({ state: 'cancelled' });
      } else this.set({ state: this.intent === 'pause' ? 'paused' : 'interrupted' });
      return;
    }
    const user = error instanceof UserError ? error : null;
    const shape = {
      message: error instanceof Error ? error.message : String(error),
      code: user?.code ?? null,
      hint: user?.hint ?? null,
    };
    this.set({ state: isEngineInterruption(error) ? 'interrupted' : 'failed', error: shape });
  }

  private params() {
    return trainParams(this.job.spec, this.d.model.folder, this.d.prepared, this.d.folder);
  }

  private progress(p: {
    step: number;
    totalSteps: number;
    epoch: number;
    loss: number;
    valLoss: number | null;
    lr: number;
    tokensPerSecond: number;
    etaSeconds: number;
    peakRssBytes: number;
  }): void {
    const progress = {
      step: p.step,
      totalSteps: p.totalSteps,
      epoch: p.epoch,
      loss: p.loss,
      valLoss: p.valLoss,
      lr: p.lr,
      tokensPerSecond: p.tokensPerSecond,
      etaSeconds: p.etaSeconds,
      peakRssBytes: Math.round(p.peakRssBytes),
    };
    // A resumed run repeats the steps after its checkpoint: their earlier points are replaced.
    const train = [...this.job.history.train.filter((x) => x.step < p.step), { step: p.step, loss: p.loss }];
    const earlier = this.job.history.validation.filter((x) => x.step < p.step);
    const validation = p.valLoss === null ? earlier : [...earlier, { step: p.step, loss: p.valLoss }];
    this.job = { ...this.job, progress, history: { train, validation }, updatedAt: this.d.now() };
    this.persist();
    this.d.events.emit('onProgress', { jobId: this.job.id, progress });
  }

  private async register(trainedFolder: string, steps: number): Promise<string> {
    const { spec } = this.job;
    const id = (this.d.newId ?? randomUUID)();
    const folder = join(this.d.ws.info.path, 'adapters', id);
    const last = this.job.history.train.at(-1);
    const lastVal = this.job.history.validation.at(-1);
    const lineage = {
      source: 'trained',
      base_model: { content_hash: this.d.model.contentHash, name: this.d.model.name },
      dataset: { id: this.d.prepared.sourceId, version: this.d.prepared.dataHash },
      template: { id: 'prompt-template', version: this.d.prepared.templateHash },
      hyper_parameters: hyperParameters(this.job, steps),
      final_losses: { step: steps, train: last?.loss ?? null, validation: lastVal?.loss ?? null },
      created_at: this.d.now(),
      app_version: this.d.appVersion,
    };
    await this.d.engine.request('saveAdapter', { from: trainedFolder, to: folder, lineage });
    const inspected = await this.d.engine.request('inspectAdapter', {
      modelFolder: this.d.model.folder,
      adapterFolder: folder,
      baseContentHash: this.d.model.contentHash,
    });
    if (!inspected.check.active) {
      await rm(folder, { recursive: true, force: true });
      throw new UserError(
        `The trained adapter is inactive: it changes nothing (max |Δlogit| ${inspected.check.maxAbsDelta.toExponential(2)} on the canary inputs).`,
        {
          code: 'adapter-inactive',
          where: `training job ${this.job.id}`,
          hint: 'Train for more steps or with a higher learning rate.',
        },
      );
    }
    new AdapterStore(this.d.ws.db).insert({
      id,
      name: this.job.name,
      modelId: this.d.model.id,
      baseContentHash: this.d.model.contentHash,
      method: spec.method,
      source: 'trained',
      folder,
      jobId: this.job.id,
      finalLoss: last?.loss ?? null,
      finalValLoss: lastVal?.loss ?? null,
      check: inspected.check,
      vllm: inspected.vllm,
      history: this.job.history,
      createdAt: this.d.now(),
    });
    this.d.events.emit('onChanged', { change: 'added', id });
    return id;
  }

  private set(change: Partial<Pick<TrainingJob, 'state' | 'error' | 'adapterId'>> & { state?: JobState }): void {
    this.job = { ...this.job, ...change, updatedAt: this.d.now() };
    this.persist();
    if (change.state) this.d.events.emit('onJobChanged', { jobId: this.job.id, state: change.state });
  }

  /** Writes only while the job's workspace is still the open one (a switch or close leaves the row as it was). */
  private persist(): void {
    let active: ActiveWorkspace;
    try {
      active = this.d.workspace.active;
    } catch {
      return;
    }
    if (active.info.id === this.d.ws.info.id) new JobStore(active.db).update(this.job);
  }
}

/** The engine's `train` parameters for a spec over prepared rows (a job's run, or the estimate's calibration). */
export function trainParams(spec: TrainingSpec, modelFolder: string, prepared: Prepared, checkpointFolder: string) {
  const h = spec.hyper;
  const validation = prepared.validation;
  return {
    modelFolder,
    lora: spec.method === 'soft-prompt' ? null : toPeftLora(spec.lora),
    softPrompt:
      spec.method === 'lora'
        ? null
        : {
            num_virtual_tokens: spec.softPrompt.n,
            prompt_tuning_init: spec.softPrompt.init === 'text' ? ('TEXT' as const) : ('RANDOM' as const),
            prompt_tuning_init_text: spec.softPrompt.initText,
          },
    data: { pairs: prepared.pairs },
    validation: validation.length > 0 ? { pairs: validation } : null,
    hyper: {
      epochs: h.epochs,
      maxSteps: h.maxSteps,
      batchSize: h.batchSize,
      gradientAccumulationSteps: h.gradientAccumulationSteps,
      lr: defaultLr(spec),
      schedule: h.schedule,
      warmupSteps: h.warmupSteps,
      weightDecay: h.weightDecay,
      maxGradNorm: h.maxGradNorm,
      maxLength: h.maxLength,
      dropTooLong: h.dropTooLong,
      evalEvery: validation.length > 0 ? h.evalEvery : null,
      patience: h.patience,
      checkpointEvery: h.checkpointEvery,
    },
    checkpointFolder,
    seed: h.seed,
  };
}

function hyperParameters(job: TrainingJob, steps: number): Record<string, string | number | boolean | null | string[]> {
  const { spec } = job;
  const h = spec.hyper;
  const lora = spec.method !== 'soft-prompt';
  const soft = spec.method !== 'lora';
  return {
    method: spec.method,
    ...(lora
      ? toPeftLora(spec.lora)
      : { r: null, lora_alpha: null, target_modules: [], use_rslora: null, lora_dropout: null }),
    num_virtual_tokens: soft ? numVirtualTokens(spec) : null,
    prompt_tuning_init: soft ? spec.softPrompt.init : null,
    prompt_tuning_init_text: soft ? spec.softPrompt.initText : null,
    learning_rate: defaultLr(spec),
    epochs: h.epochs,
    max_steps: h.maxSteps,
    steps,
    batch_size: h.batchSize,
    gradient_accumulation_steps: h.gradientAccumulationSteps,
    warmup_steps: h.warmupSteps,
    schedule: h.schedule,
    weight_decay: h.weightDecay,
    max_grad_norm: h.maxGradNorm,
    max_length: h.maxLength,
    seed: h.seed,
    input_field: spec.template.inputField,
    output_field: spec.template.outputField,
    prompt_template: spec.template.prompt,
    chat_template: spec.template.chat,
    max_rows: spec.template.maxRows,
  };
}
