// The method's next step (pure): the current stage is the first one still to do, in the project's order; each stage
// proposes one experiment that changes one side (prompt or adapter) against the best so far, and says why in plain
// words. The service carries the plan out through the experiments, adapters and templates services.
import type { Project, Proposal, Stage, StageState } from '../../../shared/contract/projects';
import { STAGE_LABELS, adapterSummary } from '../../../shared/contract/projects';

/** What the proposal does when run. */
export type Plan =
  | { kind: 'baseline' }
  | { kind: 'prompt-variant' }
  | { kind: 'train' }
  | { kind: 'adapter-compare' }
  | { kind: 'ablation' }
  | { kind: 'advance' }
  | { kind: 'none' };

/** The state of a stage's runs as the services report them now. */
export interface RunFacts {
  /** 'completed', 'running', 'failed', ... of each experiment or training job by id (absent: removed). */
  state: (run: { kind: 'experiment' | 'training'; id: string }) => string | undefined;
  /** The best prompt's template reads `examples` already. */
  templateShowsExamples: boolean;
}

export function currentStage(project: Project): StageState | undefined {
  return project.stages.find((s) => s.status === 'todo');
}

const FINISHED = new Set(['completed']);
const LIVE = new Set(['running', 'pausing', 'checking', 'created']);

export function propose(project: Project, facts: RunFacts): { proposal: Proposal; plan: Plan } {
  const stage = currentStage(project);
  if (!stage)
    return {
      proposal: {
        stage: null,
        action: 'finished',
        title: 'Every stage is done or skipped',
        change: '',
        why: 'Mark a stage "to do" again to repeat it.',
      },
      plan: { kind: 'none' },
    };
  const last = stage.runs.at(-1);
  const lastState = last ? facts.state(last) : undefined;
  const wait = (what: string): { proposal: Proposal; plan: Plan } => ({
    proposal: { stage: stage.stage, action: 'wait', title: `${what} is running`, change: last?.change ?? '', why: '' },
    plan: { kind: 'none' },
  });
  if (last && lastState !== undefined && LIVE.has(lastState))
    return wait(last.kind === 'training' ? 'Training' : 'The experiment');
  const advance = (why: string): { proposal: Proposal; plan: Plan } => ({
    proposal: {
      stage: stage.stage,
      action: 'advance',
      title: `Continue after ${STAGE_LABELS[stage.stage]}`,
      change: '',
      why,
    },
    plan: { kind: 'advance' },
  });
  const run = (plan: Plan, title: string, change: string, why: string): { proposal: Proposal; plan: Plan } => ({
    proposal: { stage: stage.stage, action: 'run', title, change, why },
    plan,
  });
  const lastDone = last !== undefined && lastState !== undefined && FINISHED.has(lastState);
  return byStage[stage.stage]({ project, last, lastDone, run, advance, facts });
}

interface StageContext {
  project: Project;
  last: StageState['runs'][number] | undefined;
  lastDone: boolean;
  facts: RunFacts;
  run: (plan: Plan, title: string, change: string, why: string) => { proposal: Proposal; plan: Plan };
  advance: (why: string) => { proposal: Proposal; plan: Plan };
}

const byStage: Record<Stage, (c: StageContext) => { proposal: Proposal; plan: Plan }> = {
  baseline: ({ lastDone, run, advance }) =>
    lastDone
      ? advance('The baseline is measured: every later stage is compared with it.')
      : run(
          { kind: 'baseline' },
          'Measure the base model, then the baseline prompt',
          'Prompt side: the raw input, then the baseline prompt (no adapter).',
          'Start from what the base model does on its own, so every later change is measured against it.',
        ),
  prompt: ({ lastDone, run, advance, facts }) =>
    lastDone
      ? advance('The refined prompt is kept when it scored higher than the previous best; otherwise the old one stays.')
      : run(
          { kind: 'prompt-variant' },
          'Try the prompt with demonstrations',
          facts.templateShowsExamples
            ? 'Prompt side: the best prompt plus 3 similar solved examples from the training split.'
            : 'Prompt side: a new version of the best prompt that shows 3 similar solved examples from the training split first.',
          'Showing worked examples is the cheapest refinement; it changes only the prompt, so any difference is its effect.',
        ),
  adapter: ({ last, lastDone, run, advance, project }) => {
    if (last?.kind === 'experiment' && lastDone)
      return advance('The adapter is measured against the best prompt alone.');
    if (last?.kind === 'training' && lastDone)
      return run(
        { kind: 'adapter-compare' },
        'Compare the best prompt with and without the adapter',
        'Adapter side: the adapter just trained, with the same prompt.',
        'Only the adapter changes, so the difference is what it adds.',
      );
    return run(
      { kind: 'train' },
      `Train an adapter (${adapterSummary(project.spec.adapter)})`,
      'Adapter side: teach the model the task from the training split, on the best prompt.',
      "Training changes only the adapter side; the dataset's recipe, when it has one, is what was measured to work on it.",
    );
  },
  hybrid: ({ lastDone, run, advance, project }) => {
    if (lastDone) return advance('Every combination of the prompt and the adapter is measured; the decision reads it.');
    if (project.best.adapterId === null)
      return {
        proposal: {
          stage: 'hybrid',
          action: 'blocked',
          title: 'No adapter to combine yet',
          change: '',
          why: 'Run the Adapter stage first (or skip this stage).',
        },
        plan: { kind: 'none' },
      };
    return run(
      { kind: 'ablation' },
      'Measure every combination of the prompt and the adapter',
      'Both sides, each on and off: the ablation of the best prompt with the adapter.',
      'The decision needs prompt only, adapter only and both measured on the same rows, with their costs.',
    );
  },
  decision: ({ project, facts }) => {
    const hybrid = project.stages.find((s) => s.stage === 'hybrid')?.runs.at(-1);
    const ready = hybrid !== undefined && facts.state(hybrid) === 'completed';
    return {
      proposal: ready
        ? {
            stage: 'decision',
            action: 'decide',
            title: 'Decide: prompt only, adapter only or both',
            change: '',
            why: 'The recommendation weighs the quality of each option (with 95% intervals) against its measured costs and your budgets.',
          }
        : {
            stage: 'decision',
            action: 'blocked',
            title: 'Nothing to decide from yet',
            change: '',
            why: 'The decision reads the Prompt + adapter stage: run it first.',
          },
      plan: { kind: 'none' },
    };
  },
};
