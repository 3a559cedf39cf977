// The numbers shown before a run: optimizer steps, trainable parameters, time (calibrated by a few real steps of the
// run itself, else tokens/s of an earlier job on this model, else a FLOP formula) and peak memory (a formula over the
// model's shapes). Pure functions.
import type { TrainingEstimate, TrainingSpec } from '../../../shared/contract/adapters';
import type { LoraModule } from '../../../shared/lora';

export interface PreparedFacts {
  rows: number;
  tokens: number;
  targetTokens: number;
  maxRowTokens: number;
  maxLength: number;
  tooLong: { row: number; tokens: number }[];
  model: {
    parameters: number;
    hiddenSize: number;
    layers: number;
    vocabSize: number;
    intermediateSize: number;
    bytesOnDisk: number;
    /** The engine's LoRA shapes: per module, L * (in + out) (engine models/lora.ts loraParametersPerRank). */
    loraParametersPerRank: Partial<Record<LoraModule, number>>;
  };
}

/**
 * Effective CPU throughput assumed by the formula (FLOP/s, counting 4 x parameters per token): kept below what the
 * 2-core reference machine sustains (about 1e11: bench:train LoRA on the 135M shape at ~200 tok/s, the 13M demo
 * model at ~1,500 tok/s), so a first estimate errs on the long side by about 2x, not 8x.
 */
const ASSUMED_FLOPS = 5e10;

export function numVirtualTokens(spec: TrainingSpec): number {
  return spec.method === 'lora' ? 0 : spec.softPrompt.n;
}

export function defaultLr(spec: TrainingSpec): number {
  return spec.hyper.lr ?? (spec.method === 'lora' ? 2e-4 : spec.method === 'soft-prompt' ? 3e-2 : 1e-3);
}

export function totalSteps(spec: TrainingSpec, rows: number): number {
  const h = spec.hyper;
  const perEpoch = Math.ceil(Math.ceil(rows / h.batchSize) / h.gradientAccumulationSteps);
  return Math.min(h.maxSteps ?? Infinity, h.epochs * perEpoch);
}

export function trainableParameters(spec: TrainingSpec, m: PreparedFacts['model']): number {
  const lora =
    spec.method === 'soft-prompt'
      ? 0
      : spec.lora.r * spec.lora.targets.reduce((s, t) => s + (m.loraParametersPerRank[t] ?? 0), 0);
  return lora + numVirtualTokens(spec) * m.hiddenSize;
}

export function estimateRun(
  spec: TrainingSpec,
  p: PreparedFacts,
  validationRows: number,
  measured: number | null,
): Omit<TrainingEstimate, 'preview' | 'warnings'> {
  const used = spec.hyper.dropTooLong ? p.rows - p.tooLong.length : p.rows;
  const steps = used > 0 ? totalSteps(spec, used) : 0;
  const meanTokens = p.rows > 0 ? p.tokens / Math.max(1, p.rows - p.tooLong.length) : 0;
  const tokensPerStep = meanTokens * spec.hyper.batchSize * spec.hyper.gradientAccumulationSteps;
  const m = p.model;
  // Forward 2N FLOP per token, backward ~2N more (input gradients only: the base weights are frozen).
  const formula = ASSUMED_FLOPS / (4 * Math.max(1, m.parameters));
  const tokensPerSecond = measured ?? formula;
  const trainable = trainableParameters(spec, m);
  const B = spec.hyper.batchSize;
  const T = Math.min(p.maxLength, p.maxRowTokens + numVirtualTokens(spec));
  // Weights are memory-mapped; activations kept for the backward pass per layer (~12 C + 3 I floats per token), logits
  // and their gradient (B T V twice), and for every trainable float the value, gradient and two AdamW moments.
  const activations = B * T * (m.layers * (12 * m.hiddenSize + 3 * m.intermediateSize) + 2 * m.vocabSize) * 4;
  const memoryBytes = Math.round(m.bytesOnDisk + activations + trainable * 16 + 200 * 2 ** 20);
  return {
    rows: p.rows,
    validationRows,
    tokens: p.tokens,
    targetTokens: p.targetTokens,
    maxRowTokens: p.maxRowTokens,
    maxLength: p.maxLength,
    tooLong: p.tooLong,
    steps,
    trainableParameters: trainable,
    tokensPerSecond,
    tokensPerSecondSource: measured === null ? 'formula' : 'measured',
    calibration: null,
    seconds: (steps * tokensPerStep) / Math.max(tokensPerSecond, 1e-9),
    memoryBytes,
  };
}

/** Real steps a calibration runs: the first may include one-off work (sessions), the rest give the step time. */
export const CALIBRATION_STEPS = 4;
/** A validation batch's share of a training step's time (forward only, against forward and backward). */
const FORWARD_SHARE = 0.35;

/** Seconds per step and one-off start-up from a calibration's clock: its start and the end of each step, in ms. */
export function calibrationOf(
  startedMs: number,
  stepEndsMs: readonly number[],
): { steps: number; stepSeconds: number; setupSeconds: number } {
  const first = stepEndsMs[0];
  const last = stepEndsMs.at(-1);
  if (first === undefined || last === undefined) return { steps: 0, stepSeconds: 0, setupSeconds: 0 };
  // With two or more steps the first one's extra (session creation, first allocations) is start-up, not step time.
  const stepSeconds =
    stepEndsMs.length >= 2 ? (last - first) / 1000 / (stepEndsMs.length - 1) : (first - startedMs) / 1000;
  return { steps: stepEndsMs.length, stepSeconds, setupSeconds: Math.max(0, (first - startedMs) / 1000 - stepSeconds) };
}

/** The whole run's seconds from a calibration: start-up, every step, and the validation passes at their interval. */
export function calibratedSeconds(
  spec: TrainingSpec,
  steps: number,
  validationRows: number,
  c: { stepSeconds: number; setupSeconds: number },
): number {
  const h = spec.hyper;
  const evals =
    validationRows > 0 && h.evalEvery !== null
      ? Math.floor(steps / h.evalEvery) + (steps % h.evalEvery === 0 ? 0 : 1)
      : 0;
  const validationBatches = Math.ceil(validationRows / h.batchSize) / h.gradientAccumulationSteps;
  return c.setupSeconds + steps * c.stepSeconds + evals * validationBatches * c.stepSeconds * FORWARD_SHARE;
}
