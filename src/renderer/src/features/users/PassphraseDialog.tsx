// Asks for a profile's passphrase: signing in to a protected profile, or setting (changing) a passphrase. Errors (a
// wrong passphrase, too many tries) show in the dialog, under the field they name.
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { MIN_PASSPHRASE, type User } from '../../../../shared/contract';
import { useSubmit } from '../../components/useSubmit';

export function SignInDialog({
  user,
  onSubmit,
  onClose,
}: {
  user: User | null;
  onSubmit(passphrase: string): Promise<void>;
  onClose(): void;
}) {
  const [value, setValue] = useState('');
  const { busy, text, submit } = useSubmit(async () => {
    await onSubmit(value);
    setValue('');
  });
  if (!user) return null;
  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth data-testid="passphrase-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <DialogTitle>Sign in as {user.name}</DialogTitle>
        <DialogContent>
          <TextField
            label="Passphrase"
            type="password"
            size="small"
            fullWidth
            autoFocus
            value={value}
            onChange={(e) => setValue(e.target.value)}
            sx={{ mt: 1 }}
            error={text !== undefined}
            helperText={
              text
                ? [text.title, text.detail].filter(Boolean).join('. ')
                : `${user.name} is a protected ${user.role} profile.`
            }
            slotProps={{ htmlInput: { 'data-testid': 'passphrase-input', autoComplete: 'current-password' } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy || value === ''} data-testid="passphrase-submit">
            Sign in
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** Sets a passphrase: one's own (with the current one when there is one), or, for an admin, another profile's. */
export function SetPassphraseDialog({
  user,
  own,
  onSubmit,
  onClose,
}: {
  user: User | null;
  own: boolean;
  onSubmit(arg: { current?: string; next: string }): Promise<void>;
  onClose(): void;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const needsCurrent = own && user?.protected === true;
  const { busy, text, submit } = useSubmit(() => onSubmit({ ...(needsCurrent ? { current } : {}), next }));
  if (!user) return null;
  const mismatch = again !== '' && again !== next;
  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth data-testid="set-passphrase-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <DialogTitle>
          {user.protected ? 'Change' : 'Set'} the passphrase of {user.name}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <DialogContentText variant="body2">
              Signing in to {user.name} will ask for it. It is stored only as a salted scrypt hash in the workspace. It
              keeps other people at this computer (and reviewers on links) from acting as {user.name}; it does not
              protect the workspace files from someone who can read them with your operating-system account.
            </DialogContentText>
            {needsCurrent && (
              <TextField
                label="Current passphrase"
                type="password"
                size="small"
                value={current}
                onChange={(e) => setCurrent(e.target.value)}
                autoFocus
                slotProps={{ htmlInput: { 'data-testid': 'passphrase-current', autoComplete: 'current-password' } }}
              />
            )}
            <TextField
              label="New passphrase"
              type="password"
              size="small"
              value={next}
              onChange={(e) => setNext(e.target.value)}
              autoFocus={!needsCurrent}
              helperText={`At least ${MIN_PASSPHRASE} characters; a few words are easier to remember than symbols.`}
              slotProps={{ htmlInput: { 'data-testid': 'passphrase-next', autoComplete: 'new-password' } }}
            />
            <TextField
              label="New passphrase again"
              type="password"
              size="small"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
              error={mismatch || text !== undefined}
              helperText={
                mismatch ? 'The two do not match.' : text ? [text.title, text.detail].filter(Boolean).join('. ') : ' '
              }
              slotProps={{ htmlInput: { 'data-testid': 'passphrase-again', autoComplete: 'new-password' } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || next.length < MIN_PASSPHRASE || again !== next || (needsCurrent && current === '')}
            data-testid="passphrase-save"
          >
            Save passphrase
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
