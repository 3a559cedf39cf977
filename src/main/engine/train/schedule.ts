// Learning-rate schedules as transformers' get_{constant,linear,cosine}_schedule_with_warmup: the rate used by
// optimizer step k (0-based) is lr * lambda(k), linear warm-up from 0 then constant, linear or cosine decay to 0.
export type ScheduleKind = 'constant' | 'linear' | 'cosine';

export interface Schedule {
  kind: ScheduleKind;
  /** Peak learning rate. */
  lr: number;
  warmupSteps: number;
  /** Optimizer steps of the whole run. */
  totalSteps: number;
}

export function learningRate(s: Schedule, step: number): number {
  if (step < s.warmupSteps) return (s.lr * step) / Math.max(1, s.warmupSteps);
  if (s.kind === 'constant') return s.lr;
  const progress = (step - s.warmupSteps) / Math.max(1, s.totalSteps - s.warmupSteps);
  if (s.kind === 'linear') return s.lr * Math.max(0, (s.totalSteps - step) / Math.max(1, s.totalSteps - s.warmupSteps));
  return s.lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress))); // num_cycles = 0.5
}
