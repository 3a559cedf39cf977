// What the experiments service computes from stored outputs (results with their bootstrap CIs and factorial
// analysis, and the scored output rows), as tasks that can run in the scoring worker: on a whole ablation they take
// hundreds of milliseconds, which on the main thread would hold up every other call.
import type { Experiment, ExperimentResults, FormatComparison, OutputRow } from '../../../shared/contract/experiments';
import { compareFormats, type FormatOutputs } from './format-comparison';
import { computeResults, outputRows, type Collected } from './results';

export type ScoringTask =
  | { readonly kind: 'results'; readonly experiment: Experiment; readonly collected: Collected }
  | { readonly kind: 'outputRows'; readonly experiment: Experiment; readonly collected: Collected }
  | {
      readonly kind: 'formatComparison';
      readonly experiment: Experiment;
      readonly collected: Collected;
      readonly formats: readonly FormatOutputs[];
    };

export interface ScoringAnswers {
  results: ExperimentResults;
  outputRows: OutputRow[];
  formatComparison: FormatComparison;
}

/** Runs scoring tasks; compose.ts gives the service the worker-backed one (host/scoring-host.ts). */
export interface Scoring {
  run<K extends ScoringTask['kind']>(task: Extract<ScoringTask, { kind: K }>): Promise<ScoringAnswers[K]>;
}

/** The task's answer, computed here (the worker calls this; so does the in-thread Scoring tests use). */
export function runScoringTask(task: ScoringTask): ScoringAnswers[ScoringTask['kind']] {
  switch (task.kind) {
    case 'results':
      return computeResults(task.experiment, task.collected);
    case 'outputRows':
      return outputRows(task.experiment, task.collected);
    case 'formatComparison':
      return compareFormats(task.experiment, task.collected, task.formats);
  }
}

/** Scoring on the calling thread: for tests and tools that have no built worker. */
export const inThreadScoring: Scoring = {
  run: async (task) => runScoringTask(task) as never,
};
