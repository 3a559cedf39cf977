// Shows one section: the screen its feature registered, otherwise its empty state.
import { Box } from '@mui/material';
import { EmptyState } from '../../components/EmptyState';
import type { SectionRegistration } from './sections';

export function SectionView({ section }: { section: SectionRegistration }) {
  const Screen = section.component;
  return (
    <Box
      component="main"
      data-testid={`section-${section.id}`}
      aria-label={section.label}
      sx={{ flex: 1, overflow: 'auto', pb: 6 }}
    >
      {Screen ? (
        <Screen section={section} />
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
