// The Models section as the shell shows it: its place in the navigation, its icon, and what it is for.
import MemoryIcon from '@mui/icons-material/Memory';
import type { SectionRegistration } from '../shell/sections';
import { ModelsSection } from './ModelsSection';

export const modelsSection: SectionRegistration = {
  id: 'models',
  order: 10,
  label: 'Models',
  icon: <MemoryIcon />,
  emptyTitle: 'No models yet',
  description:
    'Add the base language models you want to specialize. Dovetail reads Hugging Face model folders (Llama, Qwen2, ' +
    'Mistral, SmolLM, TinyLlama) from your disk and everything stays on this computer.',
  component: ModelsSection,
};
