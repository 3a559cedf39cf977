// The "Start here" checklist (pure): the main loop (train -> try -> compare -> review) with each step ticked from
// what the workspace holds, so it stays right after a reload or on another machine.
import type { AdapterRecord, Experiment, RoundSummary, Specialization, TrainingJob } from '../../../../shared/contract';
import type { SectionId } from '../shell/sections';

export interface WorkspaceFacts {
  adapters: readonly Pick<AdapterRecord, 'id'>[];
  jobs: readonly Pick<TrainingJob, 'state'>[];
  specializations: readonly Pick<Specialization, 'loraAdapterId' | 'softPromptAdapterId'>[];
  experiments: readonly Pick<Experiment, 'state' | 'cells'>[];
  rounds: readonly Pick<RoundSummary, 'id'>[];
}

export interface ChecklistStep {
  id: 'train' | 'try' | 'compare' | 'review';
  title: string;
  how: string;
  section: SectionId;
  state: 'done' | 'running' | 'todo';
}

const withAdapter = (components: readonly string[]): boolean =>
  components.includes('lora') || components.includes('softPrompt');

export function checklist(f: WorkspaceFacts): ChecklistStep[] {
  const training = f.jobs.some((j) => j.state === 'running' || j.state === 'checking' || j.state === 'pausing');
  const compared = f.experiments.filter((e) => e.cells.some((c) => withAdapter(c.components)));
  return [
    {
      id: 'train',
      title: 'Train an adapter',
      section: 'adapters',
      state: f.adapters.length > 0 ? 'done' : training ? 'running' : 'todo',
      how:
        'Adapters → Train an adapter. The defaults train on Support triage with the recommended Balanced preset; ' +
        'the wizard times a few steps first and tells you how long it will take (a few minutes here).',
    },
    {
      id: 'try',
      title: 'Try it',
      section: 'playground',
      state: f.specializations.some((s) => s.loraAdapterId !== null || s.softPromptAdapterId !== null)
        ? 'done'
        : 'todo',
      how: "Give the adapter a message of your own and read its answer next to the base model's (Playground, or Experiments → Try live with a specialization that uses the adapter).",
    },
    {
      id: 'compare',
      title: 'Compare with the base model',
      section: 'adapters',
      state: compared.some((e) => e.state === 'completed')
        ? 'done'
        : compared.some((e) => e.state === 'running')
          ? 'running'
          : 'todo',
      how:
        'On the adapter, "Compare with the base model": both answer the test rows, and the verdict says how much ' +
        'better the adapter is, with a 95% confidence interval.',
    },
    {
      id: 'review',
      title: 'Have the answers reviewed blind',
      section: 'review',
      state: f.rounds.length > 0 ? 'done' : 'todo',
      how:
        'Review → a new round over the comparison: people judge pairs of anonymous answers, and you see which ' +
        'system they prefer only when the round closes.',
    },
  ];
}
