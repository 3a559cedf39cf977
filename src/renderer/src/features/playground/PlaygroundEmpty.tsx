// The Playground with no model registered: says what it is for, sends the user to Models, and offers the bundled
// demo model in one click (the Models screen's own shortcut).
import { Button, Stack } from '@mui/material';
import type { BundledModel } from '../../../../shared/contract';
import { EmptyState } from '../../components/EmptyState';
import { BundledModels } from '../models/BundledModels';
import type { Section } from '../shell/sections';

export function PlaygroundEmpty({
  section,
  bundled,
  onOpenModels,
}: {
  section: Section;
  bundled: readonly BundledModel[];
  onOpenModels: () => void;
}) {
  return (
    <EmptyState
      icon={section.icon}
      title={section.emptyTitle}
      description={`${section.description} Add a model in Models first; the small demo model that comes with Dovetail is enough to start.`}
      testId="empty-playground"
    >
      <Stack spacing={2} sx={{ mt: 4, alignItems: 'center' }}>
        <Button variant="outlined" onClick={onOpenModels} data-testid="playground-open-models">
          Go to Models
        </Button>
        <BundledModels bundled={bundled} onAdded={() => undefined} />
      </Stack>
    </EmptyState>
  );
}
