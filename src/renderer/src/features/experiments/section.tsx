// The Experiments section as the shell shows it: its place in the navigation, its icon, and what it is for.
import ScienceIcon from '@mui/icons-material/Science';
import type { SectionRegistration } from '../shell/sections';
import { ExperimentsSection } from './ExperimentsSection';

export const experimentsSection: SectionRegistration = {
  id: 'experiments',
  order: 60,
  label: 'Experiments',
  icon: <ScienceIcon />,
  emptyTitle: 'No experiments yet',
  description:
    'Compare configurations on a test set, with every score shown with its margin of error and sample size. An ' +
    'ablation shows how much the adapter, the prompt and the examples each contribute.',
  component: ExperimentsSection,
};
