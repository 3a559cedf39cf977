// The training loop (pure TS; ORT work goes through a TrainingBackend): seeded shuffling, gradient accumulation,
// clipping, AdamW with a warm-up schedule, validation, early stopping, checkpoints, resume, cancel and progress.
import { createHash } from 'node:crypto';
import { BugError, CancelledError, UserError } from '../../../shared/errors';
import { adamwState, adamwStep, clipGradNorm, type AdamWOptions } from './adamw';
import { loadLatestCheckpoint, saveCheckpoint, type LoopState } from './checkpoint';
import { collate, microBatches, type Batch, type TokenizedRow } from './collate';
import { cloneParams, type Param } from './params';
import { learningRate } from './schedule';
import { stepMicroBatches, totalSteps as plannedSteps, type StepPlanOptions } from './step-plan';
import type { TrainingBackend } from './session-backend';

/** The plan's options (seed, epochs, steps, batches, learning rate and schedule) and the rest of the loop's. */
export interface TrainerOptions extends StepPlanOptions {
  adamw: AdamWOptions;
  /** Global L2 norm limit; null = no clipping. */
  maxGradNorm: number | null;
  /** Validation every N optimizer steps (and at the end); null = never. */
  evalEvery: number | null;
  /** Stop after this many validations without a lower validation loss; null = never. */
  patience: number | null;
  /** Checkpoint every N optimizer steps; null = only at the end and on cancel. */
  checkpointEvery: number | null;
  /** Folder of this run's checkpoints; null = none (no resume). */
  checkpointFolder: string | null;
  /** Soft-prompt length (virtual tokens go first in every row) and the pad id for right padding. */
  numVirtualTokens: number;
  padId: number;
  /** What else decides the run (base model, LoRA and soft-prompt settings, dropout): kept in the resume fingerprint. */
  runKey?: string;
}

export interface TrainingProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  valLoss: number | null;
  lr: number;
  gradNorm: number;
  tokensPerSecond: number;
  etaSeconds: number;
  peakRssBytes: number;
}

export interface TrainerHooks {
  progress?(p: TrainingProgress): void;
  /** Called at every step boundary; throws CancelledError to stop (a checkpoint is written first). */
  checkpoint?(): Promise<void>;
}

export interface TrainingResult {
  params: Param[];
  steps: number;
  losses: LoopState['losses'];
  valLosses: LoopState['valLosses'];
  stoppedEarly: boolean;
  resumedFrom: number | null;
  peakRssBytes: number;
}

/**
 * Loss weighting: each micro-batch's loss is its summed token losses times 1 / (target tokens of the whole optimizer
 * step), so summed micro-batch gradients equal the gradient of the mean over every target token of the step, exactly
 * what one batch holding all those rows gives (2 micro-batches of 1 == 1 batch of 2).
 */
export async function train(
  backend: TrainingBackend,
  initial: readonly Param[],
  rows: readonly TokenizedRow[],
  validation: readonly TokenizedRow[],
  o: TrainerOptions,
  hooks: TrainerHooks = {},
): Promise<TrainingResult> {
  if (rows.length === 0) throw new BugError('train: no training rows');
  const totalSteps = plannedSteps(rows.length, o);
  // A checkpoint resumes only the run that wrote it: same settings and the same tokenized rows (their hash).
  const data = createHash('sha256');
  for (const row of rows) data.update(Int32Array.from([...row.ids, -2, ...row.labels, -3]));
  const fingerprint = JSON.stringify({
    ...o,
    checkpointFolder: null,
    evalEvery: null,
    patience: null,
    checkpointEvery: null,
    rows: rows.length,
    data: data.digest('hex'),
  });
  const saved = o.checkpointFolder ? await loadLatestCheckpoint(o.checkpointFolder) : null;
  if (saved && saved.loop.fingerprint !== fingerprint) {
    throw new UserError(
      'The saved checkpoint belongs to a run with other settings or other training data, so it cannot be resumed',
      {
        code: 'train-resume-mismatch',
        where: o.checkpointFolder ?? undefined,
        hint: 'The data or the template changed since the run started. Cancel this job and start a new one.',
      },
    );
  }
  const resumedFrom = saved ? saved.loop.step : null;
  const params = saved ? saved.params : cloneParams(initial);
  const adam = saved ? saved.adam : adamwState(params);
  const loop: LoopState = saved?.loop ?? {
    step: 0,
    fingerprint,
    rng: { seed: o.seed, epoch: 0 },
    losses: [],
    valLosses: [],
    bestValLoss: null,
    evalsWithoutImprovement: 0,
  };
  const valBatches = microBatches(validation, o.batchSize).map((b) => collate(b, o.numVirtualTokens, o.padId));
  const save = async (): Promise<void> => {
    if (o.checkpointFolder) await saveCheckpoint(o.checkpointFolder, { loop, params, adam });
  };
  const started = performance.now();
  const startStep = loop.step;
  let tokens = 0;
  let peakRss = process.memoryUsage().rss;
  let stoppedEarly = false;

  while (loop.step < totalSteps && !stoppedEarly) {
    const planned = stepMicroBatches(rows.length, o, loop.step);
    const epoch = planned.epoch;
    loop.rng.epoch = epoch;
    const batches = planned.batches.map((b) =>
      collate(
        b.map((i) => rows[i] as TokenizedRow),
        o.numVirtualTokens,
        o.padId,
      ),
    );
    const { loss, grads } = await accumulate(backend, batches, params, loop.step);
    tokens += batches.reduce((s, b) => s + b.tokens, 0);
    const gradNorm = o.maxGradNorm === null ? globalNorm(grads) : clipGradNorm(grads, o.maxGradNorm);
    const lr = learningRate({ kind: o.schedule, lr: o.lr, warmupSteps: o.warmupSteps, totalSteps }, loop.step);
    adamwStep(params, grads, adam, lr, o.adamw);
    loop.step += 1;
    loop.losses.push({ step: loop.step, loss, lr });

    let valLoss: number | null = null;
    const evalNow =
      o.evalEvery !== null && valBatches.length > 0 && (loop.step % o.evalEvery === 0 || loop.step === totalSteps);
    if (evalNow) {
      valLoss = await validationLoss(backend, valBatches, params);
      loop.valLosses.push({ step: loop.step, loss: valLoss });
      if (loop.bestValLoss === null || valLoss < loop.bestValLoss) {
        loop.bestValLoss = valLoss;
        loop.evalsWithoutImprovement = 0;
      } else {
        loop.evalsWithoutImprovement += 1;
        if (o.patience !== null && loop.evalsWithoutImprovement >= o.patience) stoppedEarly = true;
      }
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const seconds = (performance.now() - started) / 1000;
    const done = loop.step - startStep;
    hooks.progress?.({
      step: loop.step,
      totalSteps,
      epoch,
      loss,
      valLoss,
      lr,
      gradNorm,
      tokensPerSecond: tokens / Math.max(seconds, 1e-9),
      etaSeconds: (seconds / done) * (totalSteps - loop.step),
      peakRssBytes: peakRss,
    });
    if (o.checkpointEvery !== null && loop.step % o.checkpointEvery === 0) await save();
    try {
      await hooks.checkpoint?.();
    } catch (error) {
      if (error instanceof CancelledError) await save();
      throw error;
    }
  }
  await save();
  return {
    params,
    steps: loop.step,
    losses: loop.losses,
    valLosses: loop.valLosses,
    stoppedEarly,
    resumedFrom,
    peakRssBytes: peakRss,
  };
}

/**
 * Loss and summed gradients of one optimizer step's micro-batches, weighted by the step's target-token count. `step`
 * (0-based) and the micro-batch index pick the LoRA dropout masks, so a resumed step draws the same ones.
 */
export async function accumulate(
  backend: TrainingBackend,
  batches: readonly Batch[],
  params: readonly Param[],
  step = 0,
): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  const targets = batches.reduce((s, b) => s + b.targets, 0);
  const grads = new Map(params.map((p) => [p.name, new Float32Array(p.data.length)]));
  let loss = 0;
  for (const [microBatch, batch] of batches.entries()) {
    if (batch.targets === 0) continue; // no target token: no loss, no gradient
    const out = await backend.lossAndGrads(batch, params, 1 / targets, { step, microBatch });
    loss += out.loss;
    for (const [name, g] of out.grads) {
      const sum = grads.get(name) as Float32Array;
      for (let i = 0; i < g.length; i++) sum[i] = (sum[i] as number) + (g[i] as number);
    }
  }
  return { loss, grads };
}

/** Mean token loss over every validation target. */
async function validationLoss(
  backend: TrainingBackend,
  batches: readonly Batch[],
  params: readonly Param[],
): Promise<number> {
  const targets = batches.reduce((s, b) => s + b.targets, 0);
  let loss = 0;
  for (const b of batches) if (b.targets > 0) loss += await backend.loss(b, params, 1 / targets);
  return loss;
}

function globalNorm(grads: ReadonlyMap<string, Float32Array>): number {
  let sum = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sum += (g[i] as number) ** 2;
  return Math.sqrt(sum);
}
