// The Playground: pick a registered model (alone, or with adapters, a template and demonstrations, or a saved
// specialization), write the input, adjust decoding, run (Ctrl/Cmd+Enter) and watch the answer stream in, cancel
// (Esc), read the stats. With no model yet, points to Models.
import { Box, CircularProgress } from '@mui/material';
import { useSection } from '../shell/useSection';
import type { Section } from '../shell/sections';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useModels } from '../models/useModels';
import { Playground } from './Playground';
import { PlaygroundEmpty } from './PlaygroundEmpty';

export function PlaygroundSection({ section }: { section: Section }) {
  const { models, bundled } = useModels();
  const [, go] = useSection();
  const list = models.data;
  if (list === undefined) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        {models.error === undefined ? (
          <CircularProgress aria-label="Loading models" />
        ) : (
          <ErrorAlert error={models.error} testId="playground-models-error" />
        )}
      </Box>
    );
  }
  if (list.length === 0)
    return <PlaygroundEmpty section={section} bundled={bundled.data ?? []} onOpenModels={() => go('models')} />;
  return <Playground models={list} />;
}
