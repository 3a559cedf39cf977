// Starting and stopping the serving endpoint: the interface (loopback unless the user confirms another, with a
// warning), the port, batching; while it runs, the address an OpenAI client takes and what is generating now.
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import StopIcon from '@mui/icons-material/Stop';
import { Alert, Button, Checkbox, FormControlLabel, Paper, Stack, Switch, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { ServingStatus } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function ServingPanel({ status, onStatus }: { status: ServingStatus; onStatus: (s: ServingStatus) => void }) {
  const api = useApi();
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState('8089');
  const [allowNetwork, setAllowNetwork] = useState(false);
  const [batching, setBatching] = useState(true);
  const [limits, setLimits] = useState({ maxTokens: '512', maxConcurrent: '4', maxQueue: '32', maxBodyKiB: '256' });
  const limit = (key: keyof typeof limits, label: string, helperText: string) => (
    <TextField
      label={label}
      size="small"
      type="number"
      value={limits[key]}
      onChange={(e) => setLimits({ ...limits, [key]: e.target.value })}
      helperText={helperText}
      sx={{ width: 170 }}
      slotProps={{ htmlInput: { min: 0, 'data-testid': `serving-limit-${key}` } }}
    />
  );
  const submit = useSubmit();
  const offLoopback = !LOOPBACK.test(host.trim());
  const start = () =>
    submit.submit(async () =>
      onStatus(
        await api.serving.start({
          host: host.trim(),
          port: Number(port),
          allowNetwork,
          limits: {
            batching,
            maxTokens: Number(limits.maxTokens),
            maxConcurrent: Number(limits.maxConcurrent),
            maxQueue: Number(limits.maxQueue),
            maxBodyBytes: Number(limits.maxBodyKiB) * 1024,
          },
        }),
      ),
    );
  const stop = () => submit.submit(async () => onStatus(await api.serving.stop({})));

  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="serving-panel">
      <Typography variant="h6" component="h2">
        Serving endpoint
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Serves every release and channel of this workspace to other programs over the OpenAI API (model ids such as
        triage@production or triage@1.2.0). Each call needs an API key.
      </Typography>
      {status.running ? (
        <Stack spacing={1}>
          <Typography>
            Running at <strong data-testid="serving-address">{status.baseUrl}</strong> ({status.activeRequests}{' '}
            generating, {status.queuedRequests} waiting; batching {status.limits.batching ? 'on' : 'off'})
          </Typography>
          {status.warning && (
            <Alert severity="warning" data-testid="serving-warning">
              {status.warning}
            </Alert>
          )}
          <div>
            <Button
              startIcon={<StopIcon />}
              onClick={() => void stop()}
              disabled={submit.busy}
              data-testid="serving-stop"
            >
              Stop
            </Button>
          </div>
        </Stack>
      ) : (
        <Stack direction="row" sx={{ gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <TextField
            label="Interface"
            size="small"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            helperText="127.0.0.1: this machine only"
            slotProps={{ htmlInput: { 'data-testid': 'serving-host' } }}
          />
          <TextField
            label="Port"
            size="small"
            type="number"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            helperText="0: any free port"
            slotProps={{ htmlInput: { 'data-testid': 'serving-port', min: 0, max: 65535 } }}
          />
          {limit('maxTokens', 'Max tokens', 'per request')}
          {limit('maxConcurrent', 'Engine runs', 'at once')}
          {limit('maxQueue', 'Queue', 'waiting; more get 429')}
          {limit('maxBodyKiB', 'Body (KiB)', 'larger gets 413')}
          <FormControlLabel
            control={<Switch checked={batching} onChange={(e) => setBatching(e.target.checked)} />}
            label="Batch waiting requests"
          />
          <Button
            variant="contained"
            startIcon={<PlayArrowIcon />}
            onClick={() => void start()}
            disabled={submit.busy || (offLoopback && !allowNetwork)}
            data-testid="serving-start"
          >
            Start
          </Button>
          {offLoopback && (
            <Alert severity="warning" sx={{ flexBasis: '100%' }}>
              Other machines on the network of {host.trim() || 'that interface'} will be able to reach the endpoint
              (with a key), over plain HTTP.
              <FormControlLabel
                sx={{ display: 'block' }}
                control={<Checkbox checked={allowNetwork} onChange={(e) => setAllowNetwork(e.target.checked)} />}
                label="I understand: serve on this interface"
              />
            </Alert>
          )}
        </Stack>
      )}
      {submit.error !== undefined && <ErrorAlert error={submit.error} testId="serving-error" />}
    </Paper>
  );
}
