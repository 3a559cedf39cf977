// Entry of the scoring worker (a task worker the experiments service's scoring runs on): computes experiment results,
// output rows and reports from the outputs main read, so that the main thread keeps answering calls while a large
// ablation is scored.
import { runScoringTask, type ScoringTask } from '../services/experiments/scoring';
import { serveTasks } from './task-worker';

serveTasks<ScoringTask>(runScoringTask);
