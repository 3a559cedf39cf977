// A folder path field with the server's error at the field and, on desktop, a Browse button that opens the native
// folder picker. Used wherever the user names a folder (workspaces, models, exports).
import { Button, Stack, TextField } from '@mui/material';
import { useApi } from '../api';
import { useAppInfo } from '../features/app/AppInfoProvider';

export interface FolderFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The server's message for this field, if any. */
  error: string | undefined;
  /** Title of the native picker dialog. */
  pickerTitle: string;
  /** Called with the picked folder (after onChange); a failure to open the picker goes to onError. */
  onPicked?: (folder: string) => void;
  onError: (error: unknown) => void;
  disabled?: boolean;
  /** For a folder still to be made (an export): Browse picks where it goes, and this name is put inside it. */
  newName?: string;
  /** data-testid prefix: `<id>` on the input, `<id>-error` on the message, `<browseId>` on the button. */
  testId: string;
  browseTestId: string;
}

export function FolderField(props: FolderFieldProps) {
  const api = useApi();
  const info = useAppInfo();

  const browse = async () => {
    try {
      const parent = await api.app.pickFolder({ title: props.pickerTitle });
      const picked = parent === null || props.newName === undefined ? parent : `${parent}/${props.newName}`;
      if (picked !== null) {
        props.onChange(picked);
        props.onPicked?.(picked);
      }
    } catch (failure) {
      props.onError(failure);
    }
  };

  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', flex: 1 }}>
      <TextField
        label={props.label}
        fullWidth
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        error={props.error !== undefined}
        helperText={props.error ?? ' '}
        slotProps={{
          htmlInput: { 'data-testid': props.testId },
          formHelperText: { 'data-testid': `${props.testId}-error` } as object,
        }}
      />
      {info.canPickFolder && (
        <Button onClick={() => void browse()} disabled={props.disabled} sx={{ mt: 1 }} data-testid={props.browseTestId}>
          Browse…
        </Button>
      )}
    </Stack>
  );
}
