// The Observability section: the serving endpoint's controls (start/stop, keys, what the log keeps) and what its
// requests recorded, charted per model id over time (latency percentiles, time to first token, throughput, error
// rate, the engine's batch sizes and memory), the latest requests, and the CSV export.
import DownloadIcon from '@mui/icons-material/Download';
import RefreshIcon from '@mui/icons-material/Refresh';
import { Box, Button, LinearProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi, useLive, useLoad } from '../../api';
import { downloadText } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert, useReportError } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { KeysPanel } from './KeysPanel';
import { LogSettingsPanel } from './LogSettingsPanel';
import { RequestsTable } from './RequestsTable';
import { ServingCharts } from './ServingCharts';
import { ServingPanel } from './ServingPanel';

const WINDOWS = [
  { label: 'Last 15 minutes', minutes: 15, bucketSeconds: 10 },
  { label: 'Last hour', minutes: 60, bucketSeconds: 60 },
  { label: 'Last day', minutes: 1440, bucketSeconds: 900 },
] as const;

export function ObservabilitySection({ section }: { section: Section }) {
  const api = useApi();
  const report = useReportError();
  const [windowIndex, setWindowIndex] = useState(0);
  const window = WINDOWS[windowIndex] ?? WINDOWS[0];
  const [since, setSince] = useState(() => new Date(Date.now() - window.minutes * 60_000).toISOString());
  const status = useLive(
    (a) => a.serving.status({}),
    (a, on) => a.serving.onStatus(on),
    [],
  );
  const summary = useLoad((a) => a.serving.summary({ since, bucketSeconds: window.bucketSeconds }), [since, window]);
  const requests = useLoad((a) => a.serving.requests({ since, limit: 50 }), [since]);
  const refresh = () => setSince(new Date(Date.now() - window.minutes * 60_000).toISOString());
  // New requests refresh the figures, at most once a second while requests keep coming.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.serving.onRequest(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setSince(new Date(Date.now() - window.minutes * 60_000).toISOString());
      }, 1000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, window]);
  const exportCsv = async () => {
    try {
      const file = await api.serving.exportCsv({ since });
      downloadText(file.fileName, file.text, 'text/csv');
    } catch (error) {
      report(error);
    }
  };

  const error = status.error ?? summary.error;
  if (status.data === undefined || summary.data === undefined)
    return error ? (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={error} />
      </Box>
    ) : (
      <LinearProgress aria-label="Loading serving figures" />
    );
  const controls = (
    <Stack spacing={2} sx={{ mt: 3, textAlign: 'left' }}>
      <ServingPanel status={status.data} onStatus={status.set} />
      <KeysPanel />
      <LogSettingsPanel />
    </Stack>
  );
  if (summary.data.total === 0)
    return (
      <Box sx={{ pb: 4 }}>
        <EmptyState
          icon={section.icon}
          title={section.emptyTitle}
          description={section.description}
          testId="empty-observability"
        />
        <Box sx={{ maxWidth: 1000, mx: 'auto', px: 3 }}>{controls}</Box>
      </Box>
    );
  return (
    <Box sx={{ p: 3, maxWidth: 1400, mx: 'auto' }} data-testid="observability-screen">
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Observability
        </Typography>
        <TextField
          select
          size="small"
          label="Window"
          value={windowIndex}
          onChange={(e) => {
            const next = Number(e.target.value);
            setWindowIndex(next);
            setSince(new Date(Date.now() - (WINDOWS[next] ?? WINDOWS[0]).minutes * 60_000).toISOString());
          }}
        >
          {WINDOWS.map((w, i) => (
            <MenuItem key={w.label} value={i}>
              {w.label}
            </MenuItem>
          ))}
        </TextField>
        <Button startIcon={<RefreshIcon />} onClick={refresh} data-testid="observability-refresh">
          Refresh
        </Button>
        <Button startIcon={<DownloadIcon />} onClick={() => void exportCsv()} data-testid="observability-export-csv">
          CSV
        </Button>
      </Stack>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {summary.data.total} requests in the window. Latency and time to first token count from the request's arrival
        (queue wait included); throughput is generated tokens per second of wall time.
      </Typography>
      <ServingCharts summary={summary.data} />
      <Box sx={{ mt: 2 }}>{requests.data && <RequestsTable requests={requests.data} />}</Box>
      {controls}
    </Box>
  );
}
