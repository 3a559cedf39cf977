// "Projects" as the shell shows it: right after "Start here", without a number shortcut (the numbered sections keep
// their digits), since it is the guided path through the sections that follow.
import RouteIcon from '@mui/icons-material/Route';
import type { SectionRegistration } from '../shell/sections';
import { ProjectsSection } from './ProjectsSection';

export const projectsSection: SectionRegistration = {
  id: 'projects',
  order: 6,
  numbered: false,
  label: 'Projects',
  icon: <RouteIcon />,
  emptyTitle: 'No projects yet',
  description:
    'The method step by step: define the task and how good is good enough, measure a baseline, refine the prompt, train a small adapter, combine them, and decide with the costs in view.',
  component: ProjectsSection,
};
