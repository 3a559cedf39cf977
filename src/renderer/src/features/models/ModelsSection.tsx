// The Models screen: the workspace's registered base models with their facts, adding one by folder, from the Hugging
// Face Hub (downloads listed with their progress) or the bundled demo model, rename and remove.
import { Box, Button, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { AddModelPanel } from './AddModelPanel';
import { BundledModels } from './BundledModels';
import { DownloadList } from './DownloadList';
import { ModelDetails } from './ModelDetails';
import { ModelList } from './ModelList';
import { useModels } from './useModels';

const EMPTY_HINT =
  'Start with the small demo model that comes with Dovetail, or enter the folder of a model you have downloaded ' +
  'from Hugging Face.';

export function ModelsSection({ section }: { section: Section }) {
  const { models, bundled } = useModels();
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const [downloads, setDownloads] = useState(0);
  const downloadStarted = () => setDownloads((n) => n + 1);
  const list = models.data;
  const demos = bundled.data ?? [];

  const added = (model: ModelRecord) => {
    setSelectedId(model.id);
    setAdding(false);
    models.reload();
  };

  if (list === undefined) {
    if (models.error !== undefined) {
      return (
        <Box sx={{ p: 3 }}>
          <ErrorAlert error={models.error} testId="models-error" />
        </Box>
      );
    }
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        <CircularProgress aria-label="Loading models" />
      </Box>
    );
  }

  if (list.length === 0) {
    return (
      <EmptyState
        icon={section.icon}
        title={section.emptyTitle}
        description={`${section.description} ${EMPTY_HINT}`}
        testId="empty-models"
      >
        <Stack spacing={2} sx={{ mt: 4 }}>
          <BundledModels bundled={demos} onAdded={added} />
          <Paper variant="outlined" sx={{ p: 2 }}>
            <AddModelPanel onAdded={added} onDownloadStarted={downloadStarted} />
          </Paper>
          <DownloadList refresh={downloads} />
        </Stack>
      </EmptyState>
    );
  }

  const selected = list.find((m) => m.id === selectedId) ?? list[0];
  return (
    <Box sx={{ p: 3, maxWidth: 1280, mx: 'auto' }} data-testid="models-screen">
      <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Models
        </Typography>
        {!adding && (
          <Button variant="contained" onClick={() => setAdding(true)} data-testid="models-add-open">
            Add model
          </Button>
        )}
      </Stack>
      {adding && (
        <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
          <AddModelPanel onAdded={added} onDownloadStarted={downloadStarted} onCancel={() => setAdding(false)} />
        </Paper>
      )}
      <Box sx={{ mb: 2 }}>
        <DownloadList refresh={downloads} />
      </Box>
      <Box sx={{ mb: 2 }}>
        <BundledModels bundled={demos} onAdded={added} />
      </Box>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
        <ModelList models={list} selectedId={selected?.id} onSelect={setSelectedId} />
        {selected && (
          <ModelDetails
            key={selected.id}
            model={selected}
            onRenamed={() => models.reload()}
            onRemoved={() => setSelectedId(undefined)}
          />
        )}
      </Stack>
    </Box>
  );
}
