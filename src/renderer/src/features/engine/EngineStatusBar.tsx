// The status bar: the engine worker's state as it changes (engine.status + engine.onStatus), a CPU fallback and its
// reason when the chosen provider could not be used, restart and self-test actions, the shell and the version.
import CircleIcon from '@mui/icons-material/Circle';
import { Box, Button, Tooltip, Typography } from '@mui/material';
import { useState } from 'react';
import { providerLabel, type EngineState, type EngineStatus } from '../../../../shared/contract';
import { useApi, useLive } from '../../api';
import { useReportError } from '../../components/ErrorReporter';
import { useAppInfo } from '../app/AppInfoProvider';
import { SelfTestDialog } from './SelfTestDialog';

const STATE_TEXT: Record<EngineState, string> = {
  starting: 'Starting…',
  ready: 'Ready',
  busy: 'Busy',
  crashed: 'Crashed',
  restarting: 'Restarting…',
  stopped: 'Stopped',
};

const STATE_COLOR: Record<EngineState, 'success.main' | 'warning.main' | 'error.main' | 'info.main' | 'text.disabled'> =
  {
    starting: 'info.main',
    ready: 'success.main',
    busy: 'warning.main',
    crashed: 'error.main',
    restarting: 'info.main',
    stopped: 'text.disabled',
  };

function details(status: EngineStatus): string {
  const parts = [status.provider ? `provider ${status.provider}` : null];
  if (status.ortVersion) parts.push(`ONNX Runtime ${status.ortVersion}`);
  if (status.pending > 0) parts.push(`${status.pending} running`);
  parts.push(`${status.restarts} ${status.restarts === 1 ? 'restart' : 'restarts'}`);
  return parts.filter((p) => p !== null).join(' · ');
}

/** "CPU (fallback: <reason>)": the provider chosen in Settings could not be used, so sessions run on CPU. */
function FallbackNote({ status, reason }: { status: EngineStatus; reason: string }) {
  const requested = status.requestedProvider ? providerLabel(status.requestedProvider) : 'The chosen provider';
  return (
    <Tooltip title={`${requested} was chosen in Settings but cannot be used here: ${reason}`}>
      <Typography
        variant="caption"
        color="warning.main"
        noWrap
        className="engine-fallback"
        data-testid="engine-fallback"
        sx={{ minWidth: 0 }}
      >
        {providerLabel(status.provider ?? 'cpu')} (fallback: {reason})
      </Typography>
    </Tooltip>
  );
}

export function EngineStatusBar() {
  const api = useApi();
  const report = useReportError();
  const info = useAppInfo();
  const engine = useLive(
    (a) => a.engine.status({}),
    (a, onValue) => a.engine.onStatus(onValue),
  );
  const [selfTestOpen, setSelfTestOpen] = useState(false);
  const status = engine.data;

  const restart = async () => {
    try {
      engine.set(await api.engine.restart({}));
    } catch (error) {
      report(error);
    }
  };

  return (
    <Box
      component="footer"
      data-testid="status-bar"
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1.5,
        px: 1.5,
        minHeight: 32,
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        // Only the fallback note gives way (ellipsis, full text in its tooltip) when the bar is full.
        '& > :not(.engine-fallback)': { flexShrink: 0, whiteSpace: 'nowrap' },
      }}
    >
      <Typography variant="caption" color="text.secondary">
        Engine
      </Typography>
      {status ? (
        <Tooltip title={status.lastError ?? ''} disableHoverListener={!status.lastError}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
            <CircleIcon sx={{ fontSize: 10, color: STATE_COLOR[status.state] }} />
            <Typography variant="caption" data-testid="engine-state" data-state={status.state}>
              {STATE_TEXT[status.state]}
            </Typography>
            <Typography variant="caption" color="text.secondary" data-testid="engine-details">
              {details(status)}
            </Typography>
          </Box>
        </Tooltip>
      ) : (
        <Typography variant="caption" color={engine.error ? 'error' : 'text.secondary'} data-testid="engine-state">
          {engine.error ? 'Unknown' : 'Checking…'}
        </Typography>
      )}
      {status?.fallbackReason && <FallbackNote status={status} reason={status.fallbackReason} />}
      <Button size="small" onClick={() => void restart()} data-testid="engine-restart" sx={{ py: 0 }}>
        Restart
      </Button>
      <Button size="small" onClick={() => setSelfTestOpen(true)} data-testid="engine-selftest" sx={{ py: 0 }}>
        Run self-test
      </Button>
      <Box sx={{ flex: 1 }} />
      <Typography variant="caption" color="text.secondary" data-testid="app-shell-kind">
        {info.shell === 'desktop' ? 'Desktop' : 'Browser mode'} · Dovetail {info.version}
      </Typography>
      <SelfTestDialog open={selfTestOpen} onClose={() => setSelfTestOpen(false)} />
    </Box>
  );
}
