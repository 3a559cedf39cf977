// Add a model by its folder (typed, or picked with the native dialog on desktop). The engine reads the folder's
// config, tokenizer and weights, and every file is hashed, which takes a while for large models: the form shows
// the progress and can stop it.
import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { useApi } from '../../api';
import { FolderField } from '../../components/FolderField';
import { formErrors } from '../../components/error-text';
import { HashProgress } from './HashProgress';
import { ModelErrorAlert } from './ModelErrorAlert';
import { useSubmit } from '../../components/useSubmit';

const FIELDS = ['folder', 'name'] as const;

export function AddModelForm({ onAdded, onCancel }: { onAdded: (model: ModelRecord) => void; onCancel?: () => void }) {
  const api = useApi();
  const [folder, setFolder] = useState('');
  const [name, setName] = useState('');
  const action = useSubmit();
  const { busy, error } = action;
  const errors = formErrors(error, 'models.add', FIELDS);

  const add = (path: string) =>
    action.submit(async () => {
      onAdded(await api.models.add({ folder: path, ...(name.trim() ? { name } : {}) }));
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void add(folder);
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
      <FolderField
        label="Model folder"
        value={folder}
        disabled={busy}
        onChange={(value) => {
          setFolder(value);
          action.clear();
        }}
        error={errors.byField.folder}
        pickerTitle="Choose a model folder"
        onError={action.fail}
        testId="model-folder"
        browseTestId="model-browse"
      />
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
        <Button
          type="submit"
          variant="contained"
          disabled={busy || folder.trim() === ''}
          data-testid="model-add-submit"
        >
          Add model
        </Button>
        {onCancel && (
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
        {busy && <HashProgress folder={folder} />}
      </Stack>
      <Box sx={{ mt: 2 }}>
        <ModelErrorAlert error={errors.rest} testId="model-add-error" />
      </Box>
    </Box>
  );
}
