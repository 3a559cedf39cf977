// Runs the training graphs in onnxruntime (through runtime/): one session for loss + gradients, one for validation
// loss, both created once per run and disposed by their owner. Feeds: a collated batch, the params and
// the LoRA dropout masks (lora-dropout.ts).
import { BugError } from '../../../shared/errors';
import { encodeModel, tensor, type Tensor } from '../graph';
import { LORA_SCALING, type DecoderConfig, type DecoderModel } from '../models';
import { EngineSession } from '../runtime';
import type { Batch } from './collate';
import { loraDropoutMasks, loraKeepAll, type DropoutKey } from './lora-dropout';
import { paramTensor, type Param } from './params';
import { batchFeeds, buildTrainingGraphs, gradName, TRAIN_NAMES, type TrainingGraphSpec } from './training-graph';

/** What the trainer needs from an engine: loss (and gradients) of one micro-batch at the given parameters. */
export interface TrainingBackend {
  /** loss = lossWeight * summed token losses, and its gradient for every parameter. */
  lossAndGrads(
    batch: Batch,
    params: readonly Param[],
    lossWeight: number,
    key?: DropoutKey,
  ): Promise<{ loss: number; grads: Map<string, Float32Array> }>;
  /** loss only (validation: no dropout). */
  loss(batch: Batch, params: readonly Param[], lossWeight: number): Promise<number>;
  dispose(): Promise<void>;
}

export interface SessionBackendOptions {
  spec: TrainingGraphSpec;
  /** PEFT's scaling (lora_alpha / r, or / sqrt(r)); ignored without LoRA targets. */
  loraScaling: number;
  threads: number;
  /** The checkpoint folder (external data of the frozen weights). */
  folder: string;
  /** The run's seed; with spec.loraDropout > 0 the dropout masks derive from it and the DropoutKey of each run. */
  seed?: number;
}

export class SessionBackend implements TrainingBackend {
  private constructor(
    private readonly training: EngineSession,
    private readonly forward: EngineSession,
    private readonly options: SessionBackendOptions,
    private readonly config: DecoderConfig,
  ) {}

  static async create(model: DecoderModel, options: SessionBackendOptions): Promise<SessionBackend> {
    const graphs = buildTrainingGraphs(model, options.spec);
    // Lean sessions: the frozen weights stay memory-mapped (FusedMatMul reads them as stored), so the validation
    // session shares the training session's pages instead of holding its own copies.
    const session = { threads: options.threads, externalDataFolder: options.folder, memory: 'lean' as const };
    const training = await EngineSession.create(encodeModel(graphs.training), session);
    try {
      return new SessionBackend(
        training,
        await EngineSession.create(encodeModel(graphs.forward), session),
        options,
        model.config,
      );
    } catch (error) {
      await training.dispose();
      throw error;
    }
  }

  async lossAndGrads(
    batch: Batch,
    params: readonly Param[],
    lossWeight: number,
    key: DropoutKey = { step: 0, microBatch: 0 },
  ): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
    const out = await this.training.run(this.feeds(batch, params, lossWeight, key));
    const grads = new Map<string, Float32Array>();
    for (const p of params) {
      const g = out[gradName(p.name)];
      if (!g || g.dtype !== 'float32') throw new BugError(`training graph: no float32 gradient for ${p.name}`);
      grads.set(p.name, g.data as Float32Array);
    }
    return { loss: scalarOf(out[TRAIN_NAMES.loss]), grads };
  }

  async loss(batch: Batch, params: readonly Param[], lossWeight: number): Promise<number> {
    return scalarOf((await this.forward.run(this.feeds(batch, params, lossWeight, null)))[TRAIN_NAMES.loss]);
  }

  async dispose(): Promise<void> {
    await this.training.dispose();
    await this.forward.dispose();
  }

  /** key: which dropout masks to draw; null = none dropped (validation). */
  private feeds(
    batch: Batch,
    params: readonly Param[],
    lossWeight: number,
    key: DropoutKey | null,
  ): Record<string, Tensor> {
    const feeds: Record<string, Tensor> = {
      ...batchFeeds(batch, lossWeight),
    };
    if (this.options.spec.loraTargets.length > 0)
      feeds[LORA_SCALING] = tensor('float32', [], Float32Array.of(this.options.loraScaling));
    for (const p of params) feeds[p.name] = paramTensor(p);
    const { spec } = this.options;
    const p = spec.loraDropout ?? 0;
    if (p > 0 && spec.loraTargets.length > 0) {
      const [B, S] = batch.attentionMask.dims as [number, number]; // S = n + T
      const masks = key
        ? loraDropoutMasks(
            { config: this.config, targets: spec.loraTargets, p, seed: this.options.seed ?? 0 },
            key,
            B,
            S,
          )
        : loraKeepAll(this.config, spec.loraTargets, B, S);
      Object.assign(feeds, masks);
    }
    return feeds;
  }
}

function scalarOf(t: Tensor | undefined): number {
  if (!t || t.dtype !== 'float32' || t.data.length !== 1)
    throw new BugError('training graph: loss is not a float32 scalar');
  return t.data[0] as number;
}
