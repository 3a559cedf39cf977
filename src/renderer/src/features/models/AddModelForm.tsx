// Add a model by its folder (typed, or picked with the native dialog on desktop). The engine reads the folder's
// config, tokenizer and weight headers, which takes a moment for large models, so the form shows that it is working.
import { Box, Button, CircularProgress, Stack, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { useApi } from '../../api';
import { formErrors } from '../../components/error-text';
import { useAppInfo } from '../app/AppInfoProvider';
import { ModelErrorAlert } from './ModelErrorAlert';

const FIELDS = ['folder', 'name'] as const;

export function AddModelForm({ onAdded, onCancel }: { onAdded: (model: ModelRecord) => void; onCancel?: () => void }) {
  const api = useApi();
  const info = useAppInfo();
  const [folder, setFolder] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const errors = formErrors(error, 'models.add', FIELDS);

  const add = async (path: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onAdded(await api.models.add({ folder: path, ...(name.trim() ? { name } : {}) }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void add(folder);
  };

  const browse = async () => {
    try {
      const picked = await api.app.pickFolder({ title: 'Choose a model folder' });
      if (picked !== null) setFolder(picked);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <Box component="form" noValidate onSubmit={submit} data-testid="add-model-form" sx={{ textAlign: 'left' }}>
      <Typography variant="h6" component="h2">
        Add a model from a folder
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        A Hugging Face model folder on this computer, with config.json, the .safetensors weights, tokenizer.json and
        tokenizer_config.json. Dovetail reads it where it is and never changes it.
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label="Model folder"
          fullWidth
          value={folder}
          disabled={busy}
          onChange={(e) => {
            setFolder(e.target.value);
            setError(undefined);
          }}
          error={errors.byField.folder !== undefined}
          helperText={errors.byField.folder ?? ' '}
          slotProps={{ htmlInput: { 'data-testid': 'model-folder' }, formHelperText: { 'data-testid': 'model-folder-error' } as object }}
        />
        {info.canPickFolder && (
          <Button onClick={browse} disabled={busy} sx={{ mt: 1 }} data-testid="model-browse">
            Browse…
          </Button>
        )}
      </Stack>
      <TextField
        label="Name (optional)"
        fullWidth
        value={name}
        disabled={busy}
        onChange={(e) => setName(e.target.value)}
        error={errors.byField.name !== undefined}
        helperText={errors.byField.name ?? 'Defaults to the folder name.'}
        slotProps={{ htmlInput: { 'data-testid': 'model-name' } }}
      />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mt: 2 }}>
        <Button type="submit" variant="contained" disabled={busy || folder.trim() === ''} data-testid="model-add-submit">
          Add model
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
        {busy && <Inspecting />}
      </Stack>
      <Box sx={{ mt: 2 }}>
        <ModelErrorAlert error={errors.rest} testId="model-add-error" />
      </Box>
    </Box>
  );
}

export function Inspecting() {
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="model-inspecting" role="status">
      <CircularProgress size={18} />
      <Typography variant="body2" color="text.secondary">
        Reading the model's configuration, tokenizer and weight headers…
      </Typography>
    </Stack>
  );
}
