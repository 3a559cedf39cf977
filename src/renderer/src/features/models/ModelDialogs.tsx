// Rename and remove (with confirmation) for one registered model.
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { formErrors } from '../../components/error-text';
import { useSubmit } from '../../components/useSubmit';

interface DialogProps {
  readonly model: ModelRecord;
  readonly open: boolean;
  readonly onClose: () => void;
}

export function RenameModelDialog({
  model,
  open,
  onClose,
  onRenamed,
}: DialogProps & { onRenamed: (m: ModelRecord) => void }) {
  const api = useApi();
  const [name, setName] = useState(model.name);
  const { busy, error, submit, clear } = useSubmit(async () => {
    onRenamed(await api.models.rename({ id: model.id, name }));
    onClose();
  });
  const errors = formErrors(error, 'models.rename', ['name'] as const);
  useEffect(() => {
    if (open) {
      setName(model.name);
      clear();
    }
  }, [open, model.name, clear]);

  return (
    <Dialog open={open} onClose={onClose} maxWidth="xs" fullWidth data-testid="rename-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <DialogTitle>Rename model</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            label="Name"
            fullWidth
            margin="dense"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.byField.name !== undefined}
            helperText={errors.byField.name ?? ' '}
            slotProps={{ htmlInput: { 'data-testid': 'rename-input' } }}
          />
          <ErrorAlert error={errors.rest} testId="rename-error" />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="rename-save">
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function RemoveModelDialog({ model, open, onClose, onRemoved }: DialogProps & { onRemoved: () => void }) {
  const api = useApi();
  const {
    busy,
    error,
    submit: remove,
  } = useSubmit(async () => {
    await api.models.remove({ id: model.id });
    onClose();
    onRemoved();
  });

  return (
    <Dialog open={open} onClose={onClose} maxWidth="xs" fullWidth data-testid="remove-dialog">
      <DialogTitle>Remove {model.name}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The model is removed from this workspace only. Its folder and files stay on your disk, and you can add it
          again at any time.
        </DialogContentText>
        <ErrorAlert error={error} testId="remove-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="error"
          variant="contained"
          onClick={() => void remove()}
          disabled={busy}
          data-testid="remove-confirm"
        >
          Remove
        </Button>
      </DialogActions>
    </Dialog>
  );
}
