// How report kinds are named to people.
import type { ReportKind } from '../../../../shared/report';

export const KIND_LABELS: Record<ReportKind, string> = {
  experiment: 'Experiment',
  review: 'Review round',
  training: 'Training run',
  release: 'Release',
  'release-comparison': 'Release comparison',
};

export const KIND_HELP: Record<ReportKind, string> = {
  experiment: 'The table, effects and interactions with CIs, the verdict, thresholds, charts and examples.',
  review: 'Win rates and Bradley-Terry ranks with CIs, agreement, position bias, tags and comments.',
  training: 'Data, template, settings, loss curves, the active check, time and speed.',
  release: 'What is in it, its gates and the evidence behind them, and the channel history.',
  'release-comparison': 'Two releases side by side: the parts that differ and their evidence.',
};
