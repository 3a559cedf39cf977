// Which rows each optimizer step trains on, and at which learning rate: the trainer's loop and an exported job's
// plan both read it here, so a job run elsewhere sees exactly the batches and rates Dovetail would have used.
import { microBatches } from './collate';
import { epochOrder } from './rng';
import { learningRate, type ScheduleKind } from './schedule';

export interface StepPlanOptions {
  seed: number;
  epochs: number;
  /** Caps the run at this many optimizer steps (else epochs * steps per epoch). */
  maxSteps: number | null;
  /** Rows per micro-batch (one ORT run). */
  batchSize: number;
  /** Micro-batches per optimizer step. */
  gradientAccumulationSteps: number;
  lr: number;
  schedule: ScheduleKind;
  warmupSteps: number;
}

export interface PlannedStep {
  /** 0-based optimizer step. */
  step: number;
  epoch: number;
  lr: number;
  /** Row indices (into the tokenized rows) of each micro-batch of the step. */
  microBatches: number[][];
}

export function stepsPerEpoch(rows: number, o: Pick<StepPlanOptions, 'batchSize' | 'gradientAccumulationSteps'>) {
  return Math.ceil(Math.ceil(rows / o.batchSize) / o.gradientAccumulationSteps);
}

export function totalSteps(rows: number, o: StepPlanOptions): number {
  return Math.min(o.maxSteps ?? Infinity, o.epochs * stepsPerEpoch(rows, o));
}

/** The micro-batches (row indices) of optimizer step `step`: the epoch's seeded order cut into batches. */
export function stepMicroBatches(
  rows: number,
  o: StepPlanOptions,
  step: number,
): { epoch: number; batches: number[][] } {
  const perEpoch = stepsPerEpoch(rows, o);
  const epoch = Math.floor(step / perEpoch);
  const k = step % perEpoch;
  const batches = microBatches(epochOrder(o.seed, epoch, rows), o.batchSize).slice(
    k * o.gradientAccumulationSteps,
    (k + 1) * o.gradientAccumulationSteps,
  );
  return { epoch, batches };
}

/** Every step of the run, in order. */
export function stepPlan(rows: number, o: StepPlanOptions): PlannedStep[] {
  const total = totalSteps(rows, o);
  const schedule = { kind: o.schedule, lr: o.lr, warmupSteps: o.warmupSteps, totalSteps: total };
  return Array.from({ length: total }, (_, step) => {
    const { epoch, batches } = stepMicroBatches(rows, o, step);
    return { step, epoch, lr: learningRate(schedule, step), microBatches: batches };
  });
}
