// Admins: every profile with its role (changed here) and whether it is protected, and a passphrase set for someone
// who forgot theirs. Refusals (the last admin, an unprotected editor) show above the table.
import LockIcon from '@mui/icons-material/Lock';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { USER_ROLES, type User, type UserRole } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { SetPassphraseDialog } from './PassphraseDialog';

export function ManageUsersDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const users = useLoad((a) => a.users.list({}), []);
  const { busy, error, submit } = useSubmit();
  const [resetting, setResetting] = useState<User | null>(null);
  const setRole = (user: User, role: UserRole) =>
    submit(async () => {
      try {
        await api.users.setRole({ id: user.id, role });
      } finally {
        users.reload();
      }
    });
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="manage-users">
      <DialogTitle>Users of this workspace</DialogTitle>
      <DialogContent>
        {error !== undefined && <ErrorAlert error={error} testId="manage-users-error" />}
        <Table size="small" aria-label="Users">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Passphrase</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {(users.data ?? []).map((u) => (
              <TableRow key={u.id} data-testid="manage-user" data-user={u.name}>
                <TableCell>{u.name}</TableCell>
                <TableCell>
                  <TextField
                    select
                    size="small"
                    value={u.role}
                    disabled={busy}
                    onChange={(e) => void setRole(u, e.target.value as UserRole)}
                    aria-label={`Role of ${u.name}`}
                    slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'manage-user-role' } as object } }}
                  >
                    {USER_ROLES.map((r) => (
                      <MenuItem key={r} value={r}>
                        {r}
                      </MenuItem>
                    ))}
                  </TextField>
                </TableCell>
                <TableCell>
                  {u.protected && (
                    <LockIcon fontSize="small" aria-label="protected" sx={{ verticalAlign: 'middle', mr: 1 }} />
                  )}
                  <Button size="small" onClick={() => setResetting(u)} data-testid="manage-user-passphrase">
                    {u.protected ? 'Reset' : 'Set'}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Done</Button>
      </DialogActions>
      {resetting && (
        <SetPassphraseDialog
          user={resetting}
          own={false}
          onClose={() => setResetting(null)}
          onSubmit={async ({ next }) => {
            await api.users.setPassphrase({ id: resetting.id, next });
            setResetting(null);
            users.reload();
          }}
        />
      )}
    </Dialog>
  );
}
