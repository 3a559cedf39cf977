// The signed-in profile of this app instance in the top bar: who saves, submits, approves and reviews. Its menu signs
// in to another profile (a protected one asks for its passphrase), sets one's own passphrase, signs out, and for
// admins adds users and changes roles. Shown only with a workspace open.
import LockIcon from '@mui/icons-material/Lock';
import PersonIcon from '@mui/icons-material/Person';
import { Alert, Button, Divider, ListItemIcon, ListItemText, Menu, MenuItem } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi, useLoad } from '../../api';
import { useReportError } from '../../components/ErrorReporter';
import { useWorkspace } from '../workspace/WorkspaceProvider';
import { AddUserDialog } from './AddUserDialog';
import { ManageUsersDialog } from './ManageUsersDialog';
import { SetPassphraseDialog } from './PassphraseDialog';
import { useSignIn } from './useSignIn';

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
  const [dialog, setDialog] = useState<'add' | 'manage' | 'passphrase' | null>(null);
  const { reload: reloadCurrent } = current;
  const { reload: reloadUsers } = users;
  useEffect(
    () =>
      api.users.onChanged(() => {
        reloadCurrent();
        reloadUsers();
      }),
    [api, reloadCurrent, reloadUsers],
  );
  const signIn = useSignIn((user) => current.set(user));
  if (current.data === undefined) return null;
  const me = current.data;
  const isAdmin = me?.role === 'admin';
  const close = () => setAnchor(null);

  return (
    <>
      <Button
        color="inherit"
        startIcon={<PersonIcon />}
        onClick={(e) => {
          users.reload();
          setAnchor(e.currentTarget);
        }}
        data-testid="current-user"
        aria-haspopup="menu"
        sx={{ textTransform: 'none' }}
      >
        {me?.name ?? 'Sign in'}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={close}>
        {me && !me.protected && me.role === 'admin' && (
          <Alert severity="warning" sx={{ mx: 1, mb: 1, maxWidth: 320 }} data-testid="unprotected-admin">
            {me.name} is an admin without a passphrase: anyone at this computer can act as {me.name}. Set one to add
            users and change roles.
          </Alert>
        )}
        {(users.data ?? []).map((u) => (
          <MenuItem
            key={u.id}
            selected={u.id === me?.id}
            onClick={() => {
              close();
              signIn.choose(u);
            }}
            data-testid="user-option"
            data-user={u.name}
          >
            <ListItemText primary={u.name} secondary={u.role} />
            {u.protected && (
              <ListItemIcon sx={{ ml: 1 }}>
                <LockIcon fontSize="small" aria-label="protected by a passphrase" />
              </ListItemIcon>
            )}
          </MenuItem>
        ))}
        <Divider />
        {me && (
          <MenuItem
            onClick={() => {
              close();
              setDialog('passphrase');
            }}
            data-testid="user-set-passphrase"
          >
            {me.protected ? 'Change my passphrase…' : 'Set a passphrase…'}
          </MenuItem>
        )}
        {isAdmin && (
          <MenuItem
            onClick={() => {
              close();
              setDialog('manage');
            }}
            data-testid="user-manage"
          >
            Manage users…
          </MenuItem>
        )}
        {isAdmin && (
          <MenuItem
            onClick={() => {
              close();
              setDialog('add');
            }}
            data-testid="user-add"
          >
            Add a user…
          </MenuItem>
        )}
        {me && (
          <MenuItem
            onClick={() => {
              close();
              void api.users.signOut({}).then(() => current.set(null), report);
            }}
            data-testid="user-sign-out"
          >
            Sign out
          </MenuItem>
        )}
      </Menu>
      {signIn.dialog}
      {dialog === 'add' && (
        <AddUserDialog
          onClose={() => setDialog(null)}
          onAdded={() => {
            setDialog(null);
            users.reload();
          }}
        />
      )}
      {dialog === 'manage' && (
        <ManageUsersDialog
          onClose={() => {
            setDialog(null);
            users.reload();
          }}
        />
      )}
      {dialog === 'passphrase' && me && (
        <SetPassphraseDialog
          user={me}
          own
          onClose={() => setDialog(null)}
          onSubmit={async (arg) => {
            current.set(await api.users.setPassphrase({ id: me.id, ...arg }));
            setDialog(null);
          }}
        />
      )}
    </>
  );
}
