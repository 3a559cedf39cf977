// The Releases section as the shell shows it: its place in the navigation, its icon, and what it is for.
import NewReleasesIcon from '@mui/icons-material/NewReleases';
import type { SectionRegistration } from '../shell/sections';
import { ReleasesSection } from './ReleasesSection';

export const releasesSection: SectionRegistration = {
  id: 'releases',
  order: 75,
  label: 'Releases',
  icon: <NewReleasesIcon />,
  emptyTitle: 'No releases yet',
  description:
    'Freeze a specialization that won its comparison as a versioned release with the evidence behind it, move it ' +
    'through channels such as dev, staging and production when it passes their gates, and roll back with one ' +
    'click.',
  component: ReleasesSection,
};
