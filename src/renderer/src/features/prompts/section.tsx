// The Prompts section as the shell shows it: its place in the navigation, its icon, and what it is for.
import EditNoteIcon from '@mui/icons-material/EditNote';
import type { SectionRegistration } from '../shell/sections';
import { PromptsSection } from './PromptsSection';

export const promptsSection: SectionRegistration = {
  id: 'prompts',
  order: 30,
  label: 'Prompts',
  icon: <EditNoteIcon />,
  emptyTitle: 'No prompts yet',
  description:
    'Write prompt templates that fill in fields from your datasets, add a few worked examples, and keep every ' +
    'version with its review status.',
  component: PromptsSection,
};
