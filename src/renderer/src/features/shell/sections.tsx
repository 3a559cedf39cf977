// The app's sections in navigation order (Ctrl/Cmd+1..9, then 0, follow this order after "Start here") with what
// each will do, in the terms of a domain expert. A section without its own screen yet shows its empty state.
import AssessmentIcon from '@mui/icons-material/Assessment';
import EditNoteIcon from '@mui/icons-material/EditNote';
import FlagIcon from '@mui/icons-material/Flag';
import HistoryIcon from '@mui/icons-material/History';
import MemoryIcon from '@mui/icons-material/Memory';
import NewReleasesIcon from '@mui/icons-material/NewReleases';
import PlayCircleIcon from '@mui/icons-material/PlayCircle';
import RateReviewIcon from '@mui/icons-material/RateReview';
import ScienceIcon from '@mui/icons-material/Science';
import TableChartIcon from '@mui/icons-material/TableChart';
import TuneIcon from '@mui/icons-material/Tune';
import type { ReactElement } from 'react';

export const SECTION_IDS = [
  'start',
  'models',
  'datasets',
  'prompts',
  'adapters',
  'playground',
  'experiments',
  'review',
  'releases',
  'reports',
  'audit',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface Section {
  readonly id: SectionId;
  readonly label: string;
  readonly icon: ReactElement;
  /** The heading of the section's empty state. */
  readonly emptyTitle: string;
  /** One or two sentences on what the section is for, shown while it is empty. */
  readonly description: string;
}

export const SECTIONS: readonly Section[] = [
  {
    id: 'start',
    emptyTitle: 'Start here',
    label: 'Start here',
    icon: <FlagIcon />,
    description: 'The main loop in four steps: train an adapter on your data, try it, compare it with the base model, and have its answers reviewed blind.',
  },
  {
    id: 'models',
    emptyTitle: 'No models yet',
    label: 'Models',
    icon: <MemoryIcon />,
    description:
      'Add the base language models you want to specialize. Dovetail reads Hugging Face model folders (Llama, Qwen2, Mistral, SmolLM, TinyLlama) from your disk and everything stays on this computer.',
  },
  {
    id: 'datasets',
    emptyTitle: 'No datasets yet',
    label: 'Datasets',
    icon: <TableChartIcon />,
    description:
      'Import your own examples from JSONL or CSV files, say which columns are the input and the expected answer, and split them into training, validation and test sets that stay the same every time.',
  },
  {
    id: 'prompts',
    emptyTitle: 'No prompts yet',
    label: 'Prompts',
    icon: <EditNoteIcon />,
    description:
      'Write prompt templates that fill in fields from your datasets, add a few worked examples, and keep every version with its review status.',
  },
  {
    id: 'adapters',
    emptyTitle: 'No adapters yet',
    label: 'Adapters',
    icon: <TuneIcon />,
    description:
      'Teach a model your task by training a small adapter (LoRA) or a soft prompt on your own data, right here, or import one. Each version records what it was trained on and with which settings.',
  },
  {
    id: 'playground',
    emptyTitle: 'Nothing to try yet',
    label: 'Playground',
    icon: <PlayCircleIcon />,
    description:
      'Try a model with any mix of adapter, prompt and examples, and watch how its answers change as you change the settings.',
  },
  {
    id: 'experiments',
    emptyTitle: 'No experiments yet',
    label: 'Experiments',
    icon: <ScienceIcon />,
    description:
      'Compare configurations on a test set, with every score shown with its margin of error and sample size. An ablation shows how much the adapter, the prompt and the examples each contribute.',
  },
  {
    id: 'review',
    emptyTitle: 'No review rounds yet',
    label: 'Review',
    icon: <RateReviewIcon />,
    description:
      'Judge answers blind: see two anonymous answers to the same input, pick the better one or tag what went wrong. Which configuration wrote which answer is revealed only when the round closes.',
  },
  {
    id: 'releases',
    emptyTitle: 'No releases yet',
    label: 'Releases',
    icon: <NewReleasesIcon />,
    description:
      'Freeze a specialization that won its comparison as a versioned release with the evidence behind it, move it through channels such as dev, staging and production when it passes their gates, and roll back with one click.',
  },
  {
    id: 'reports',
    emptyTitle: 'No reports yet',
    label: 'Reports',
    icon: <AssessmentIcon />,
    description:
      'Export what an experiment or review round found as an HTML or PDF report to share, or as CSV and JSON for your own analysis.',
  },
  {
    id: 'audit',
    emptyTitle: 'No changes recorded yet',
    label: 'Audit',
    icon: <HistoryIcon />,
    description:
      'Every change in this workspace: who made it, when and why, in a log that shows if anyone has tampered with it.',
  },
];

/** The sections with a Ctrl/Cmd+digit shortcut (1..9, then 0): all but "Start here", so the shortcuts stay where they were. */
export const NUMBERED_SECTIONS: readonly Section[] = SECTIONS.filter((s) => s.id !== 'start');

export function isSectionId(value: string): value is SectionId {
  return (SECTION_IDS as readonly string[]).includes(value);
}
