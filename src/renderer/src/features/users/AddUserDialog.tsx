// Adding a local profile (admins only): name, role, and a passphrase, which admins and editors (approvers) must have.
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { MIN_PASSPHRASE, PROTECTED_ROLES, USER_ROLES, type User, type UserRole } from '../../../../shared/contract';
import { UserError } from '../../../../shared/errors';
import { useApi } from '../../api';
import { fieldErrorText } from '../../components/error-text';
import { useSubmit } from '../../components/useSubmit';

export function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (user: User) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('reviewer');
  const [passphrase, setPassphrase] = useState('');
  const needsPassphrase = PROTECTED_ROLES.includes(role);
  const {
    busy,
    error,
    submit: add,
  } = useSubmit(async () =>
    onAdded(await api.users.create({ name, role, ...(passphrase === '' ? {} : { passphrase }) })),
  );
  const message = error instanceof UserError ? fieldErrorText(error) : error === undefined ? undefined : String(error);
  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <DialogTitle>Add a user</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label="Name"
              size="small"
              value={name}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              error={message !== undefined}
              helperText={message ?? 'A local profile: who saves, reviews and approves.'}
              slotProps={{ htmlInput: { 'data-testid': 'user-name' } }}
            />
            <TextField
              select
              label="Role"
              size="small"
              value={role}
              onChange={(e) => setRole(e.target.value as UserRole)}
              slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'user-role' } as object } }}
            >
              {USER_ROLES.map((r) => (
                <MenuItem key={r} value={r}>
                  {r}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={needsPassphrase ? 'Passphrase' : 'Passphrase (optional)'}
              type="password"
              size="small"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              helperText={
                needsPassphrase
                  ? `Admins and editors need one (at least ${MIN_PASSPHRASE} characters); tell it to them in person.`
                  : 'Without one, anyone at this computer can act as this profile.'
              }
              slotProps={{ htmlInput: { 'data-testid': 'user-passphrase', autoComplete: 'new-password' } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || name.trim() === '' || (needsPassphrase && passphrase.length < MIN_PASSPHRASE)}
            data-testid="user-create"
          >
            Add
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
