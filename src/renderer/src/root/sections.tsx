// The sections of the app, assembled in one place: each feature registers its own (features/<name>/section.tsx);
// sections still to come are listed here with only their empty state. The shell reads the list from its context.
import AssessmentIcon from '@mui/icons-material/Assessment';
import { modelsSection } from '../features/models/section';
import { datasetsSection } from '../features/datasets/section';
import { promptsSection } from '../features/prompts/section';
import { adaptersSection } from '../features/adapters/section';
import { auditSection } from '../features/audit/section';
import { playgroundSection } from '../features/playground/section';
import { experimentsSection } from '../features/experiments/section';
import { releasesSection } from '../features/releases/section';
import { reviewSection } from '../features/review/section';
import { startSection } from '../features/start/section';
import { assembleSections, type SectionRegistration } from '../features/shell/sections';

const PLANNED: readonly SectionRegistration[] = [
  {
    id: 'reports',
    order: 80,
    label: 'Reports',
    icon: <AssessmentIcon />,
    emptyTitle: 'No reports yet',
    description:
      'Export what an experiment or review round found as an HTML or PDF report to share, or as CSV and JSON for your own analysis.',
  },
];

export const SECTIONS = assembleSections([
  startSection,
  modelsSection,
  datasetsSection,
  promptsSection,
  adaptersSection,
  playgroundSection,
  experimentsSection,
  reviewSection,
  releasesSection,
  auditSection,
  ...PLANNED,
]);
