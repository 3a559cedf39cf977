// Open an existing workspace by its folder (typed, or picked with the native dialog on desktop).
import { Box, Button, Stack, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api';
import { FolderField } from '../../components/FolderField';
import { ErrorAlert } from '../../components/ErrorReporter';
import { formErrors } from '../../components/error-text';
import { useWorkspace } from './WorkspaceProvider';
import { useSubmit } from '../../components/useSubmit';

const FIELDS = ['path'] as const;

export function OpenWorkspaceForm() {
  const api = useApi();
  const workspace = useWorkspace();
  const [path, setPath] = useState('');
  const action = useSubmit();
  const { busy, error } = action;
  const errors = formErrors(error, 'workspace.open', FIELDS);

  const open = (folder: string) =>
    action.submit(async () => {
      workspace.set(await api.workspace.open({ path: folder }));
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void open(path);
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
        <FolderField
          label="Folder"
          value={path}
          onChange={(value) => {
            setPath(value);
            action.clear();
          }}
          error={errors.byField.path}
          pickerTitle="Open a workspace folder"
          onPicked={(folder) => void open(folder)}
          onError={action.fail}
          testId="open-path"
          browseTestId="open-browse"
        />
        <Button type="submit" variant="outlined" disabled={busy} sx={{ mt: 1 }} data-testid="open-submit">
          Open
        </Button>
      </Stack>
      <ErrorAlert error={errors.rest} testId="open-error" />
    </Box>
  );
}
