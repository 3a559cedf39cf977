// Shown instead of the sections when nobody is signed in on this app instance (every profile is protected, or the
// last one signed out): the workspace's profiles, one click each, a protected one asking for its passphrase.
import LockIcon from '@mui/icons-material/Lock';
import PersonIcon from '@mui/icons-material/Person';
import { Box, Button, Paper, Stack, Typography } from '@mui/material';
import type { User } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSignIn } from './useSignIn';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const users = useLoad((a) => a.users.list({}), []);
  const signIn = useSignIn(onSignedIn);
  return (
    <Box sx={{ flex: 1, display: 'grid', placeItems: 'center' }} data-testid="sign-in-page">
      <Paper sx={{ p: 4, minWidth: 360 }}>
        <Typography variant="h5" component="h1" gutterBottom>
          Who is working?
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Choose your profile in this workspace.
        </Typography>
        {users.error !== undefined && <ErrorAlert error={users.error} />}
        <Stack spacing={1}>
          {(users.data ?? []).map((u) => (
            <Button
              key={u.id}
              variant="outlined"
              startIcon={<PersonIcon />}
              endIcon={u.protected ? <LockIcon aria-label="protected" /> : undefined}
              onClick={() => signIn.choose(u)}
              data-testid="sign-in-user"
              data-user={u.name}
              sx={{ justifyContent: 'flex-start', textTransform: 'none' }}
            >
              {u.name} ({u.role})
            </Button>
          ))}
        </Stack>
      </Paper>
      {signIn.dialog}
    </Box>
  );
}
