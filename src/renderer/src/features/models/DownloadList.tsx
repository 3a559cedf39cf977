// The Hub downloads of this user: each with its progress, how often a dropped connection was resumed, its error and
// hint, and Pause / Resume / Cancel. Kept fresh by the hub service's events; a download left by a closed app shows
// as interrupted and resumes from the bytes on disk.
import { Alert, Box, Button, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { DownloadJob } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';

const MB = 1e6;
const STATE_TEXT: Record<DownloadJob['state'], string> = {
  running: 'Downloading',
  pausing: 'Pausing…',
  paused: 'Paused',
  interrupted: 'Interrupted',
  verifying: 'Verifying checksums',
  registering: 'Adding the model',
  completed: 'Added',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function DownloadList({ refresh }: { refresh: number }) {
  const api = useApi();
  const jobs = useLoad((a) => a.hub.jobs({}), [refresh]);
  const [progress, setProgress] = useState<Record<string, { done: number; total: number }>>({});
  const reload = jobs.reload;
  useEffect(() => api.hub.onJobChanged(() => reload()), [api, reload]);
  useEffect(
    () =>
      api.hub.onProgress((p) =>
        setProgress((before) => ({ ...before, [p.jobId]: { done: p.bytesDone, total: p.bytesTotal } })),
      ),
    [api],
  );
  const list = (jobs.data ?? []).filter((j) => j.state !== 'cancelled');
  if (list.length === 0) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="hub-downloads">
      <Typography variant="subtitle1" component="h2">
        Downloads from the Hub
      </Typography>
      <Stack spacing={2} sx={{ mt: 1 }}>
        {[...list].reverse().map((job) => (
          <DownloadRow key={job.id} job={job} live={progress[job.id]} />
        ))}
      </Stack>
    </Paper>
  );
}

function DownloadRow({ job, live }: { job: DownloadJob; live: { done: number; total: number } | undefined }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(undefined);
  const act = (call: () => Promise<unknown>) => () => {
    setError(undefined);
    call().catch(setError);
  };
  const active = job.state === 'running' || job.state === 'pausing';
  const done = active && live ? live.done : job.bytesDone;
  const total = live?.total || job.bytesTotal;
  const percent = total > 0 ? (100 * done) / total : 0;
  return (
    <Box data-testid="hub-download" data-state={job.state} data-repo={job.repo}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline' }}>
        <Typography variant="body2" sx={{ fontWeight: 500, flex: 1 }}>
          {job.repo}
          {job.revision !== 'main' && ` @ ${job.revision}`}
        </Typography>
        <Typography variant="body2" data-testid="hub-download-state">
          {STATE_TEXT[job.state]}
        </Typography>
      </Stack>
      {job.state !== 'completed' && (
        <LinearProgress
          variant={total > 0 ? 'determinate' : 'indeterminate'}
          value={percent}
          sx={{ my: 0.5 }}
          data-testid="hub-download-progress"
        />
      )}
      <Typography variant="caption" color="text.secondary" component="p" data-testid="hub-download-bytes">
        {total > 0 ? `${(done / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB` : 'Asking the Hub for the files…'}
        {job.state === 'completed' && ' · every file matched its checksum'}
      </Typography>
      {job.resumes > 0 && (
        <Typography variant="caption" color="text.secondary" component="p" data-testid="hub-download-resumes">
          Resumed {job.resumes === 1 ? 'once' : `${job.resumes} times`} after a dropped connection, from where it
          stopped.
        </Typography>
      )}
      {job.error && (
        <Alert
          severity={job.state === 'interrupted' ? 'warning' : 'error'}
          sx={{ mt: 1 }}
          data-testid="hub-download-error"
        >
          <Typography variant="body2" data-testid="hub-download-error-message">
            {job.error.message}
          </Typography>
          {job.error.hint && <Typography variant="caption">{job.error.hint}</Typography>}
        </Alert>
      )}
      <Stack direction="row" spacing={1} sx={{ mt: 0.5 }}>
        {job.state === 'running' && (
          <Button size="small" onClick={act(() => api.hub.pause({ id: job.id }))} data-testid="hub-download-pause">
            Pause
          </Button>
        )}
        {(job.state === 'paused' || job.state === 'interrupted' || job.state === 'failed') && (
          <Button size="small" onClick={act(() => api.hub.resume({ id: job.id }))} data-testid="hub-download-resume">
            Resume
          </Button>
        )}
        {job.state !== 'completed' && job.state !== 'verifying' && job.state !== 'registering' && (
          <Button size="small" onClick={act(() => api.hub.cancel({ id: job.id }))} data-testid="hub-download-cancel">
            Cancel
          </Button>
        )}
      </Stack>
      {error !== undefined && <ErrorAlert error={error} testId="hub-download-action-error" />}
    </Box>
  );
}
