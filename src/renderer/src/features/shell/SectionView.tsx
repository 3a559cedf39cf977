// Shows one section: its own screen where it has one, otherwise its empty state.
import { Box } from '@mui/material';
import { EmptyState } from '../../components/EmptyState';
import { AdaptersSection } from '../adapters/AdaptersSection';
import { AuditSection } from '../audit/AuditSection';
import { DatasetsSection } from '../datasets/DatasetsSection';
import { ExperimentsSection } from '../experiments/ExperimentsSection';
import { ModelsSection } from '../models/ModelsSection';
import { PlaygroundSection } from '../playground/PlaygroundSection';
import { PromptsSection } from '../prompts/PromptsSection';
import { ReleasesSection } from '../releases/ReleasesSection';
import { ReviewSection } from '../review/ReviewSection';
import { StartSection } from '../start/StartSection';
import type { Section } from './sections';

export function SectionView({ section }: { section: Section }) {
  return (
    <Box component="main" data-testid={`section-${section.id}`} aria-label={section.label} sx={{ flex: 1, overflow: 'auto', pb: 6 }}>
      {section.id === 'start' ? (
        <StartSection />
      ) : section.id === 'prompts' ? (
        <PromptsSection section={section} />
      ) : section.id === 'models' ? (
        <ModelsSection section={section} />
      ) : section.id === 'datasets' ? (
        <DatasetsSection section={section} />
      ) : section.id === 'adapters' ? (
        <AdaptersSection section={section} />
      ) : section.id === 'playground' ? (
        <PlaygroundSection section={section} />
      ) : section.id === 'experiments' ? (
        <ExperimentsSection section={section} />
      ) : section.id === 'review' ? (
        <ReviewSection section={section} />
      ) : section.id === 'releases' ? (
        <ReleasesSection section={section} />
      ) : section.id === 'audit' ? (
        <AuditSection section={section} />
      ) : (
        <EmptyState
          icon={section.icon}
          title={section.emptyTitle}
          description={section.description}
          testId={`empty-${section.id}`}
        />
      )}
    </Box>
  );
}
