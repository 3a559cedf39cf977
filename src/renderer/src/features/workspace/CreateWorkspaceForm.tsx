// Create a workspace: a name and a folder. Sends exactly what the user typed: the services' validation is the
// single source of truth, and its errors are shown at the field they name.
import { Box, Button, Stack, TextField, Typography } from '@mui/material';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api';
import { FolderField } from '../../components/FolderField';
import { ErrorAlert } from '../../components/ErrorReporter';
import { formErrors } from '../../components/error-text';
import { useAppInfo } from '../app/AppInfoProvider';
import { suggestFolder } from './folder-path';
import { useWorkspace } from './WorkspaceProvider';
import { useSubmit } from '../../components/useSubmit';

const FIELDS = ['name', 'path'] as const;

export function CreateWorkspaceForm() {
  const api = useApi();
  const info = useAppInfo();
  const workspace = useWorkspace();
  const [name, setName] = useState('');
  const [folder, setFolder] = useState<string | null>(null);
  const action = useSubmit(async () => workspace.set(await api.workspace.create({ name, path })));
  const { busy, error } = action;
  const path = folder ?? suggestFolder(info.defaultWorkspaceParent, name, info.platform);
  const errors = formErrors(error, 'workspace.create', FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.submit();
  };

  return (
    <Box component="form" noValidate onSubmit={submit} data-testid="create-workspace-form">
      <Typography variant="h6" component="h2">
        Create a workspace
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        A new, empty folder that will hold this project's models, data, prompts and results.
      </Typography>
      <Stack spacing={2}>
        <TextField
          label="Name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            action.clear();
          }}
          error={errors.byField.name !== undefined}
          helperText={errors.byField.name ?? ' '}
          slotProps={{
            htmlInput: { 'data-testid': 'create-name' },
            formHelperText: { 'data-testid': 'create-name-error' } as object,
          }}
        />
        <FolderField
          label="Folder"
          value={path}
          onChange={(value) => {
            setFolder(value);
            action.clear();
          }}
          error={errors.byField.path}
          pickerTitle="Choose an empty folder for the new workspace"
          onError={action.fail}
          testId="create-path"
          browseTestId="create-browse"
        />
        <ErrorAlert error={errors.rest} testId="create-error" />
        <Box>
          <Button type="submit" variant="contained" disabled={busy} data-testid="create-submit">
            Create workspace
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}
