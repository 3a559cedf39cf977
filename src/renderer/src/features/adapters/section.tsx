// The Adapters section as the shell shows it: its place in the navigation, its icon, and what it is for.
import TuneIcon from '@mui/icons-material/Tune';
import type { SectionRegistration } from '../shell/sections';
import { AdaptersSection } from './AdaptersSection';

export const adaptersSection: SectionRegistration = {
  id: 'adapters',
  order: 40,
  label: 'Adapters',
  icon: <TuneIcon />,
  emptyTitle: 'No adapters yet',
  description:
    'Teach a model your task by training a small adapter (LoRA) or a soft prompt on your own data, right here, or ' +
    'import one. Each version records what it was trained on and with which settings.',
  component: AdaptersSection,
};
