// The Robustness section as the shell shows it: its place in the navigation, its icon, and what it is for.
import BugReportIcon from '@mui/icons-material/BugReport';
import type { SectionRegistration } from '../shell/sections';
import { RobustnessSection } from './RobustnessSection';

export const robustnessSection: SectionRegistration = {
  id: 'robustness',
  order: 65,
  label: 'Robustness',
  icon: <BugReportIcon />,
  emptyTitle: 'No experiment to examine yet',
  description:
    'Where each specialization fails and how often, by category, and how its answers hold up when inputs have typos, odd casing, extra sentences or unusual lengths.',
  component: RobustnessSection,
};
