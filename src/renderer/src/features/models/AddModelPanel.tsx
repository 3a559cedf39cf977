// "Add model": from a folder on this computer, or from the Hugging Face Hub by repo id (a download job).
import { Box, Tab, Tabs } from '@mui/material';
import { useState } from 'react';
import type { DownloadJob, ModelRecord } from '../../../../shared/contract';
import { AddModelForm } from './AddModelForm';
import { HubDownloadForm } from './HubDownloadForm';

export function AddModelPanel({
  onAdded,
  onDownloadStarted,
  onCancel,
}: {
  onAdded: (model: ModelRecord) => void;
  onDownloadStarted: (job: DownloadJob) => void;
  onCancel?: () => void;
}) {
  const [from, setFrom] = useState<'folder' | 'hub'>('folder');
  return (
    <Box>
      <Tabs value={from} onChange={(_e, value: 'folder' | 'hub') => setFrom(value)} sx={{ mb: 2 }}>
        <Tab value="folder" label="From a folder" data-testid="add-model-from-folder" />
        <Tab value="hub" label="From the Hugging Face Hub" data-testid="add-model-from-hub" />
      </Tabs>
      {from === 'folder' ? (
        <AddModelForm onAdded={onAdded} {...(onCancel ? { onCancel } : {})} />
      ) : (
        <HubDownloadForm onStarted={onDownloadStarted} />
      )}
    </Box>
  );
}
