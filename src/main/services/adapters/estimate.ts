// The numbers shown before a run: optimizer steps, trainable parameters, time (tokens/s measured by an earlier job
// on this model, else a FLOP formula) and peak memory (a formula over the model's shapes). Pure functions.
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
    parameters: number; hiddenSize: number; layers: number; vocabSize: number; intermediateSize: number; bytesOnDisk: number;
    /** The engine's LoRA shapes: per module, L * (in + out) (engine models/lora.ts loraParametersPerRank). */
    loraParametersPerRank: Record<LoraModule, number>;
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
  const lora = spec.method === 'soft-prompt' ? 0 : spec.lora.r * spec.lora.targets.reduce((s, t) => s + m.loraParametersPerRank[t], 0);
  return lora + numVirtualTokens(spec) * m.hiddenSize;
}

export function estimateRun(spec: TrainingSpec, p: PreparedFacts, validationRows: number, measured: number | null): Omit<TrainingEstimate, 'preview' | 'warnings'> {
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
    seconds: (steps * tokensPerStep) / Math.max(tokensPerSecond, 1e-9),
    memoryBytes,
  };
}
