// The experiments service's scoring on its own worker thread (host/scoring-worker.ts), so that scoring a large
// ablation never holds up the main thread's other calls.
import type { Scoring, ScoringAnswers, ScoringTask } from '../services/experiments/scoring';
import { TaskWorker } from './task-worker';

export class ScoringHost implements Scoring {
  private readonly worker: TaskWorker<ScoringTask>;

  constructor(script: string) {
    this.worker = new TaskWorker<ScoringTask>(script, 'scoring');
  }

  run<K extends ScoringTask['kind']>(task: Extract<ScoringTask, { kind: K }>): Promise<ScoringAnswers[K]> {
    return this.worker.run(task) as Promise<ScoringAnswers[K]>;
  }

  dispose(): Promise<void> {
    return this.worker.dispose();
  }
}
