// A training job while it runs (or waits to resume): the live loss chart, step/ETA/tokens per second/peak memory,
// Pause / Resume / Cancel, and Export job (the same job for transformers + PEFT on another machine).
import { Alert, Box, Button, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import type { TrainingJob } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { useState } from 'react';
import { ExportJobDialog } from './ExportJobDialog';
import { jobStats } from './format';
import { LossChart } from './LossChart';

export function JobPanel({ job }: { job: TrainingJob }) {
  const api = useApi();
  const { error, submit } = useSubmit();
  const act = (call: () => Promise<unknown>) => () => void submit(call);
  const p = job.progress;
  const live = job.state === 'running' || job.state === 'pausing' || job.state === 'checking';
  const [exporting, setExporting] = useState(false);
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="job-panel" data-state={job.state}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {job.name}{' '}
          <Typography component="span" color="text.secondary" data-testid="job-state">
            ({job.state})
          </Typography>
        </Typography>
        {job.state === 'running' && (
          <Button onClick={act(() => api.adapters.pause({ id: job.id }))} data-testid="job-pause">
            Pause
          </Button>
        )}
        {(job.state === 'paused' || job.state === 'interrupted') && (
          <Button variant="contained" onClick={act(() => api.adapters.resume({ id: job.id }))} data-testid="job-resume">
            Resume
          </Button>
        )}
        <Button onClick={() => setExporting(true)} data-testid="job-export">
          Export job
        </Button>
        {(live || job.state === 'paused' || job.state === 'interrupted') && job.state !== 'checking' && (
          <Button color="error" onClick={act(() => api.adapters.cancel({ id: job.id }))} data-testid="job-cancel">
            Cancel
          </Button>
        )}
      </Stack>
      {exporting && (
        <ExportJobDialog
          job={{ jobId: job.id }}
          name={job.name}
          modelId={job.modelId}
          onClose={() => setExporting(false)}
        />
      )}
      {p && <LinearProgress variant="determinate" value={(100 * p.step) / Math.max(1, p.totalSteps)} sx={{ mb: 1 }} />}
      <Typography variant="body2" data-testid="job-stats">
        {p ? jobStats(p) : 'Preparing the data and the model…'}
      </Typography>
      {job.state === 'interrupted' && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          Training stopped before it finished (the app or engine closed). Resume continues from the last checkpoint.
        </Alert>
      )}
      {job.error && (
        <Alert severity="error" sx={{ mt: 1 }} data-testid="job-error">
          {job.error.message}
          {job.error.hint ? ` ${job.error.hint}` : ''}
        </Alert>
      )}
      <ErrorAlert error={error} />
      <Box sx={{ mt: 1 }}>
        <LossChart history={job.history} testId="job-loss-chart" />
      </Box>
    </Paper>
  );
}
