// Hugging Face Hub settings: the Hub's address, a proxy, offline mode (never touch the network for models), the idle
// timeout of downloads and the access token for gated repos (write-only here: stored encrypted, never shown again).
import { Alert, Box, Button, FormControlLabel, Stack, Switch, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { formErrors } from '../../components/error-text';
import { useSubmit } from '../../components/useSubmit';

export function HubSettingsSection() {
  const api = useApi();
  const status = useLoad((a) => a.hub.status({}));
  const [endpoint, setEndpoint] = useState('');
  const [proxy, setProxy] = useState('');
  const [offline, setOffline] = useState(false);
  const [idle, setIdle] = useState('');
  const [token, setToken] = useState('');
  const save = useSubmit();
  const tokenAction = useSubmit();
  const [saved, setSaved] = useState(false);
  const current = status.data;
  useEffect(() => {
    if (!current) return;
    setEndpoint(current.endpoint);
    setProxy(current.proxy);
    setOffline(current.offline);
    setIdle(String(current.idleTimeoutSeconds));
  }, [current]);
  if (status.error !== undefined) return <ErrorAlert error={status.error} testId="hub-settings-error" />;
  if (!current) return null;
  const errors = formErrors(save.error, 'settings.update', [
    'hub.endpoint',
    'hub.proxy',
    'hub.idleTimeoutSeconds',
  ] as const);
  const tokenErrors = formErrors(tokenAction.error, 'hub.setToken', ['token'] as const);
  const changed =
    endpoint !== current.endpoint ||
    proxy !== current.proxy ||
    offline !== current.offline ||
    idle.trim() !== String(current.idleTimeoutSeconds);

  return (
    <Box sx={{ mt: 3 }} data-testid="hub-settings">
      <Typography variant="subtitle1" component="h2">
        Hugging Face Hub
      </Typography>
      <FormControlLabel
        control={<Switch checked={offline} onChange={(e) => setOffline(e.target.checked)} />}
        label="Offline: never download models (models already downloaded can still be added)"
        data-testid="hub-offline"
      />
      <Stack spacing={2} sx={{ mt: 1 }}>
        <TextField
          label="Hub address"
          size="small"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
          error={errors.byField['hub.endpoint'] !== undefined}
          helperText={errors.byField['hub.endpoint'] ?? 'https://huggingface.co, or a mirror with the same layout'}
          slotProps={{ htmlInput: { 'data-testid': 'hub-endpoint' } }}
        />
        <TextField
          label="Proxy"
          size="small"
          placeholder="http://proxy.example:3128"
          value={proxy}
          onChange={(e) => setProxy(e.target.value)}
          error={errors.byField['hub.proxy'] !== undefined}
          helperText={errors.byField['hub.proxy'] ?? 'Empty: connect directly'}
          slotProps={{ htmlInput: { 'data-testid': 'hub-proxy' } }}
        />
        <TextField
          label="Idle timeout (seconds)"
          size="small"
          value={idle}
          onChange={(e) => setIdle(e.target.value)}
          error={errors.byField['hub.idleTimeoutSeconds'] !== undefined}
          helperText={
            errors.byField['hub.idleTimeoutSeconds'] ??
            'A download that receives nothing this long is dropped and retried from the bytes already on disk'
          }
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'hub-idle-timeout' } }}
        />
      </Stack>
      <Button
        sx={{ mt: 1 }}
        disabled={!changed || save.busy}
        data-testid="hub-settings-save"
        onClick={() =>
          void save
            .submit(async () => {
              await api.settings.update({
                hub: {
                  endpoint: endpoint.trim(),
                  proxy: proxy.trim(),
                  offline,
                  idleTimeoutSeconds: idle.trim() === '' ? Number.NaN : Number(idle),
                },
              });
              status.reload();
            })
            .then(setSaved)
        }
      >
        Save Hub settings
      </Button>
      {saved && !changed && (
        <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }} data-testid="hub-settings-saved">
          Saved
        </Typography>
      )}
      {errors.rest !== undefined && <ErrorAlert error={errors.rest} testId="hub-settings-save-error" />}

      <Typography variant="body2" sx={{ mt: 2 }} data-testid="hub-token-status">
        {current.tokenStored
          ? `An access token is stored (${current.tokenStorage === 'os-keychain' ? "encrypted with the operating system's keychain" : 'encrypted in your user folder'}).`
          : 'No access token: gated models (Llama, Gemma) need one.'}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'flex-start' }}>
        <TextField
          label="Access token"
          size="small"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
            tokenAction.clear();
          }}
          error={tokenErrors.byField.token !== undefined}
          helperText={tokenErrors.byField.token ?? 'hf_… (read access is enough)'}
          slotProps={{ htmlInput: { 'data-testid': 'hub-token' } }}
          sx={{ flex: 1 }}
        />
        <Button
          disabled={token.trim() === '' || tokenAction.busy}
          data-testid="hub-token-save"
          onClick={() =>
            void tokenAction.submit(async () => {
              status.set(await api.hub.setToken({ token: token.trim() }));
              setToken('');
            })
          }
        >
          Store
        </Button>
        {current.tokenStored && (
          <Button
            color="warning"
            data-testid="hub-token-clear"
            onClick={() => void tokenAction.submit(async () => status.set(await api.hub.clearToken({})))}
          >
            Forget
          </Button>
        )}
      </Stack>
      {current.tokenStorage === 'encrypted-file' && (
        <Alert severity="info" sx={{ mt: 1 }}>
          This system has no keychain Dovetail can use: the token is encrypted with a key file in your user folder,
          which keeps it out of settings and casual reads, not from someone who can read your files.
        </Alert>
      )}
      {tokenErrors.rest !== undefined && <ErrorAlert error={tokenErrors.rest} testId="hub-token-error" />}
    </Box>
  );
}
