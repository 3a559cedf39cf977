// The endpoint's API keys: a new key is shown once (only its hash is kept), listed by name and first characters,
// revoked with one click (refused at once by the endpoint).
import KeyIcon from '@mui/icons-material/Key';
import {
  Alert,
  Button,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function KeysPanel() {
  const api = useApi();
  const keys = useLoad((a) => a.serving.keys({}), []);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const submit = useSubmit();
  const create = () =>
    submit.submit(async () => {
      const made = await api.serving.createKey({ name: name.trim() });
      setSecret(made.secret);
      setName('');
      keys.reload();
    });
  const revoke = (id: string) =>
    submit.submit(async () => {
      await api.serving.revokeKey({ id });
      keys.reload();
    });

  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="serving-keys">
      <Typography variant="h6" component="h2">
        API keys
      </Typography>
      <Stack direction="row" sx={{ gap: 2, alignItems: 'center', my: 1 }}>
        <TextField
          label="Name of the new key"
          size="small"
          value={name}
          onChange={(e) => setName(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'serving-key-name' } }}
        />
        <Button
          startIcon={<KeyIcon />}
          onClick={() => void create()}
          disabled={submit.busy || name.trim() === ''}
          data-testid="serving-key-create"
        >
          Create key
        </Button>
      </Stack>
      {secret && (
        <Alert severity="info" onClose={() => setSecret(undefined)}>
          Copy this key now; it is not shown again: <code data-testid="serving-new-key">{secret}</code>
        </Alert>
      )}
      {submit.error !== undefined && <ErrorAlert error={submit.error} testId="serving-keys-error" />}
      {keys.data && keys.data.length > 0 && (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Key</TableCell>
              <TableCell>Made</TableCell>
              <TableCell>Last used</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {keys.data.map((k) => (
              <TableRow key={k.id} data-testid="serving-key-row">
                <TableCell>{k.name}</TableCell>
                <TableCell>
                  <code>{k.prefix}…</code>
                </TableCell>
                <TableCell>
                  {new Date(k.createdAt).toLocaleString()} by {k.createdBy}
                </TableCell>
                <TableCell>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</TableCell>
                <TableCell>
                  {k.revokedAt ? (
                    'revoked'
                  ) : (
                    <Button size="small" color="error" onClick={() => void revoke(k.id)} disabled={submit.busy}>
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}
