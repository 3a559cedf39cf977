// Open an existing workspace by its folder (typed, or picked with the native dialog on desktop).
import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { formErrors } from '../../components/error-text';
import { useAppInfo } from '../app/AppInfoProvider';
import { useWorkspace } from './WorkspaceProvider';

const FIELDS = ['path'] as const;

export function OpenWorkspaceForm() {
  const api = useApi();
  const info = useAppInfo();
  const workspace = useWorkspace();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const errors = formErrors(error, 'workspace.open', FIELDS);

  const open = async (folder: string) => {
    setBusy(true);
    setError(undefined);
    try {
      workspace.set(await api.workspace.open({ path: folder }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void open(path);
  };

  const browse = async () => {
    try {
      const picked = await api.app.pickFolder({ title: 'Open a workspace folder' });
      if (picked !== null) {
        setPath(picked);
        await open(picked);
      }
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <Box component="form" noValidate onSubmit={submit} data-testid="open-workspace-form">
      <Typography variant="h6" component="h2">
        Open a workspace
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        A folder you or a colleague created with Dovetail before.
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label="Folder"
          fullWidth
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
            setError(undefined);
          }}
          error={errors.byField.path !== undefined}
          helperText={errors.byField.path ?? ' '}
          slotProps={{ htmlInput: { 'data-testid': 'open-path' }, formHelperText: { 'data-testid': 'open-path-error' } as object }}
        />
        {info.canPickFolder && (
          <Button onClick={browse} sx={{ mt: 1 }} data-testid="open-browse">
            Browse…
          </Button>
        )}
        <Button type="submit" variant="outlined" disabled={busy} sx={{ mt: 1 }} data-testid="open-submit">
          Open
        </Button>
      </Stack>
      <ErrorAlert error={errors.rest} testId="open-error" />
    </Box>
  );
}
