// The Reports section as the shell shows it: its place in the navigation, its icon, and what it is for.
import AssessmentIcon from '@mui/icons-material/Assessment';
import type { SectionRegistration } from '../shell/sections';
import { ReportsSection } from './ReportsSection';

export const reportsSection: SectionRegistration = {
  id: 'reports',
  order: 80,
  label: 'Reports',
  icon: <AssessmentIcon />,
  emptyTitle: 'No reports yet',
  description:
    'Reports of experiments, review rounds, training runs and releases, with the lineage of every number, to hand ' +
    'over as PDF or HTML or to analyse as CSV and JSON.',
  component: ReportsSection,
};
