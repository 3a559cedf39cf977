// The current user of this app instance in the top bar (issue 7): who saves, submits and approves template versions.
// A menu switches between the workspace's profiles and adds one (name and role). Shown only with a workspace open.
import PersonIcon from '@mui/icons-material/Person';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Divider, ListItemText, Menu, MenuItem, Stack, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import { USER_ROLES, type User, type UserRole } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { useReportError } from '../../components/ErrorReporter';
import { fieldErrorText } from '../../components/error-text';
import { UserError } from '../../../../shared/errors';
import { useWorkspace } from '../workspace/WorkspaceProvider';

export function UserSwitcher() {
  const workspaceId = useWorkspace().current?.id;
  if (workspaceId === undefined) return null;
  return <Switcher key={workspaceId} />;
}

function Switcher() {
  const api = useApi();
  const report = useReportError();
  const users = useLoad((a) => a.users.list({}), []);
  const current = useLoad((a) => a.users.current({}), []);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [adding, setAdding] = useState(false);
  const { reload: reloadCurrent } = current;
  useEffect(() => api.users.onChanged(() => reloadCurrent()), [api, reloadCurrent]);
  if (!current.data) return null;

  const choose = async (user: User) => {
    setAnchor(null);
    try {
      current.set(await api.users.setCurrent({ id: user.id }));
    } catch (error) {
      report(error);
    }
  };

  return (
    <>
      <Button color="inherit" startIcon={<PersonIcon />} onClick={(e) => { users.reload(); setAnchor(e.currentTarget); }} data-testid="current-user" aria-haspopup="menu" sx={{ textTransform: 'none' }}>
        {current.data.name}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {(users.data ?? []).map((u) => (
          <MenuItem key={u.id} selected={u.id === current.data?.id} onClick={() => void choose(u)} data-testid="user-option" data-user={u.name}>
            <ListItemText primary={u.name} secondary={u.role} />
          </MenuItem>
        ))}
        <Divider />
        <MenuItem
          onClick={() => {
            setAnchor(null);
            setAdding(true);
          }}
          data-testid="user-add"
        >
          Add a user…
        </MenuItem>
      </Menu>
      <AddUserDialog
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(u) => {
          setAdding(false);
          users.reload();
          void choose(u);
        }}
      />
    </>
  );
}

function AddUserDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (user: User) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('reviewer');
  const [error, setError] = useState<unknown>(undefined);
  const add = async () => {
    try {
      const user = await api.users.create({ name, role });
      setName('');
      setError(undefined);
      onAdded(user);
    } catch (e) {
      setError(e);
    }
  };
  const message = error instanceof UserError ? fieldErrorText(error) : error === undefined ? undefined : String(error);
  return (
    <Dialog open={open} onClose={onClose} maxWidth="xs" fullWidth>
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
          <TextField select label="Role" size="small" value={role} onChange={(e) => setRole(e.target.value as UserRole)} slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'user-role' } as object } }}>
            {USER_ROLES.map((r) => (
              <MenuItem key={r} value={r}>
                {r}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void add()} disabled={name.trim() === ''} data-testid="user-create">
          Add and switch
        </Button>
      </DialogActions>
    </Dialog>
  );
}
