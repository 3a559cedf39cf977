// Import a PEFT adapter folder for one of the workspace's models (checked: shapes, lineage, adapter-active).
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function ImportDialog({
  models,
  onClose,
  onImported,
}: {
  models: ModelRecord[];
  onClose: () => void;
  onImported: (id: string) => void;
}) {
  const api = useApi();
  const [folder, setFolder] = useState('');
  const [modelId, setModelId] = useState(models[0]?.id ?? '');
  const { busy, error, submit } = useSubmit(async () =>
    onImported((await api.adapters.importPeft({ folder, modelId })).id),
  );
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="import-dialog">
      <DialogTitle>Import a PEFT adapter</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            label="Adapter folder (adapter_config.json + adapter_model.safetensors)"
            size="small"
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'import-folder' } }}
          />
          <TextField
            select
            label="Base model"
            size="small"
            value={modelId}
            onChange={(e) => setModelId(e.target.value)}
          >
            {models.map((m) => (
              <MenuItem key={m.id} value={m.id}>
                {m.name}
              </MenuItem>
            ))}
          </TextField>
          <ErrorAlert error={error} testId="import-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button
          variant="contained"
          disabled={busy || !folder.trim() || !modelId}
          onClick={() => void submit()}
          data-testid="import-submit"
        >
          Import
        </Button>
      </DialogActions>
    </Dialog>
  );
}
