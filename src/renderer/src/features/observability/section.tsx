// The Observability section as the shell shows it: the serving endpoint and what its requests recorded.
import InsightsIcon from '@mui/icons-material/Insights';
import type { SectionRegistration } from '../shell/sections';
import { ObservabilitySection } from './ObservabilitySection';

export const observabilitySection: SectionRegistration = {
  id: 'observability',
  order: 95,
  label: 'Observability',
  icon: <InsightsIcon />,
  // Ctrl/Cmd+1..9 and 0 are taken by the sections before it.
  numbered: false,
  emptyTitle: 'No requests served yet',
  description:
    'Serve your releases to other programs over the OpenAI API, then watch latency, time to first token, throughput ' +
    'and errors per release.',
  component: ObservabilitySection,
};
