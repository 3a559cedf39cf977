// The Playground section as the shell shows it: its place in the navigation, its icon, and what it is for.
import PlayCircleIcon from '@mui/icons-material/PlayCircle';
import type { SectionRegistration } from '../shell/sections';
import { PlaygroundSection } from './PlaygroundSection';

export const playgroundSection: SectionRegistration = {
  id: 'playground',
  order: 50,
  label: 'Playground',
  icon: <PlayCircleIcon />,
  emptyTitle: 'Nothing to try yet',
  description:
    'Try a model with any mix of adapter, prompt and examples, and watch how its answers change as you change the ' +
    'settings.',
  component: PlaygroundSection,
};
