// The Datasets section as the shell shows it: its place in the navigation, its icon, and what it is for.
import TableChartIcon from '@mui/icons-material/TableChart';
import type { SectionRegistration } from '../shell/sections';
import { DatasetsSection } from './DatasetsSection';

export const datasetsSection: SectionRegistration = {
  id: 'datasets',
  order: 20,
  label: 'Datasets',
  icon: <TableChartIcon />,
  emptyTitle: 'No datasets yet',
  description:
    'Import your own examples from JSONL or CSV files, say which columns are the input and the expected answer, and ' +
    'split them into training, validation and test sets that stay the same every time.',
  component: DatasetsSection,
};
