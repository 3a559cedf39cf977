// Engine settings: execution provider (with each one's probe result), threads and thread spinning. Apply saves them,
// which restarts the engine worker (sessions are recreated); the section shows the restart, then where sessions run.
import {
  Alert,
  Box,
  Button,
  FormControlLabel,
  FormHelperText,
  LinearProgress,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { providerLabel, type EngineStatus, type ExecutionProvider } from '../../../../shared/contract';
import { useApi, useLive, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ProviderSelect } from './ProviderSelect';

type Apply = { state: 'idle' } | { state: 'applying' } | { state: 'applied' } | { state: 'failed'; error: unknown };

export function EngineSettingsSection() {
  const api = useApi();
  const saved = useLoad((a) => Promise.all([a.settings.get({}), a.settings.limits({})]));
  const probes = useLoad((a) => a.engine.probeProviders({}));
  const engine = useLive(
    (a) => a.engine.status({}),
    (a, onValue) => a.engine.onStatus(onValue),
  );
  const [provider, setProvider] = useState<ExecutionProvider>('cpu');
  const [threads, setThreads] = useState('0');
  const [spinThreads, setSpinThreads] = useState(false);
  const [apply, setApply] = useState<Apply>({ state: 'idle' });

  const [settings, limits] = saved.data ?? [];
  useEffect(() => {
    if (!settings) return;
    setProvider(settings.engine.executionProvider);
    setThreads(String(settings.engine.threads));
    setSpinThreads(settings.engine.spinThreads);
  }, [settings]);

  if (saved.error !== undefined) return <ErrorAlert error={saved.error} testId="settings-error" />;
  if (!settings || !limits) return <LinearProgress aria-label="Loading settings" />;

  const maxThreads = limits.maxThreads;
  const threadCount = Number(threads);
  const threadsValid = /^\d+$/.test(threads.trim()) && threadCount <= maxThreads;
  const changed =
    provider !== settings.engine.executionProvider ||
    threadCount !== settings.engine.threads ||
    spinThreads !== settings.engine.spinThreads;
  const applying = apply.state === 'applying';
  const selected = probes.data?.find((p) => p.name === provider);

  const onApply = async () => {
    setApply({ state: 'applying' });
    try {
      saved.set([
        await api.settings.update({ engine: { executionProvider: provider, threads: threadCount, spinThreads } }),
        limits,
      ]);
      setApply({ state: 'applied' });
    } catch (error) {
      setApply({ state: 'failed', error });
    }
  };

  return (
    <Box component="section" aria-labelledby="settings-engine-title" data-testid="settings-engine" sx={{ pt: 1 }}>
      <Typography id="settings-engine-title" variant="subtitle1" sx={{ fontWeight: 500, mb: 2 }}>
        Engine
      </Typography>
      <Stack spacing={2}>
        <ProviderSelect value={provider} onChange={setProvider} probes={probes.data} disabled={applying} />
        {probes.error !== undefined && <ErrorAlert error={probes.error} testId="settings-probe-error" />}
        {selected && !selected.available && (
          <Alert severity="warning" data-testid="settings-provider-unavailable">
            {selected.reason}. Sessions will run on CPU instead.
          </Alert>
        )}
        <TextField
          label="Threads per session"
          value={threads}
          onChange={(event) => setThreads(event.target.value)}
          disabled={applying}
          error={!threadsValid}
          helperText={
            threadsValid
              ? `0 = automatic (one per physical core), or 1 to ${maxThreads}`
              : `Enter a whole number from 0 to ${maxThreads}`
          }
          slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'settings-threads' } }}
        />
        <Box>
          <FormControlLabel
            label="Keep threads spinning between steps"
            disabled={applying}
            data-testid="settings-spin-threads"
            control={
              <Switch
                checked={spinThreads}
                onChange={(event) => setSpinThreads(event.target.checked)}
                slotProps={{ input: { 'aria-describedby': 'settings-spin-threads-help' } }}
              />
            }
          />
          <FormHelperText id="settings-spin-threads-help" sx={{ mt: 0 }}>
            Faster generation on an idle machine; much slower while other programs keep the processor busy (off by
            default).
          </FormHelperText>
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <Button
            variant="contained"
            onClick={() => void onApply()}
            disabled={!changed || !threadsValid || applying}
            data-testid="settings-apply"
          >
            Apply
          </Button>
          <Typography variant="body2" color="text.secondary">
            Applying restarts the engine; running jobs are stopped.
          </Typography>
        </Box>
        {applying && (
          <Box data-testid="settings-applying">
            <Typography variant="body2" sx={{ mb: 0.5 }}>
              Restarting the engine with the new settings…
            </Typography>
            <LinearProgress />
          </Box>
        )}
        {apply.state === 'applied' && engine.data && <Applied status={engine.data} />}
        {apply.state === 'failed' && <ErrorAlert error={apply.error} testId="settings-apply-error" />}
      </Stack>
    </Box>
  );
}

function Applied({ status }: { status: EngineStatus }) {
  const running = status.provider ? providerLabel(status.provider) : 'an unknown provider';
  if (status.fallbackReason) {
    return (
      <Alert severity="warning" data-testid="settings-applied" data-fallback="true">
        Applied. The engine runs on {running}: {status.fallbackReason}
      </Alert>
    );
  }
  return (
    <Alert severity="success" data-testid="settings-applied" data-fallback="false">
      Applied. The engine runs on {running}.
    </Alert>
  );
}
