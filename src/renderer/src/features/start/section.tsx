// "Start here" as the shell shows it: first in the navigation, without a number shortcut, the page the demo
// workspace opens on.
import FlagIcon from '@mui/icons-material/Flag';
import type { SectionRegistration } from '../shell/sections';
import { StartSection } from './StartSection';

export const startSection: SectionRegistration = {
  id: 'start',
  order: 5,
  numbered: false,
  label: 'Start here',
  icon: <FlagIcon />,
  emptyTitle: 'Start here',
  description:
    'The main loop in four steps: train an adapter on your data, try it, compare it with the base model, and have ' +
    'its answers reviewed blind.',
  component: StartSection,
};
