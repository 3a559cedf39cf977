// Runs the engine self-test (a small graph built in code, run in the worker, checked against plain JS) and
// shows the outcome, so a user can tell whether local inference works on this machine.
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { SelfTestResult } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';

type Run = { state: 'running' } | { state: 'done'; result: SelfTestResult } | { state: 'failed'; error: unknown };

export function SelfTestDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useApi();
  const [run, setRun] = useState<Run>({ state: 'running' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setRun({ state: 'running' });
    api.engine.selfTest({}).then(
      (result) => current && setRun({ state: 'done', result }),
      (error: unknown) => current && setRun({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [api, open, attempt]);

  return (
    <Dialog open={open} onClose={onClose} data-testid="selftest-dialog" maxWidth="sm" fullWidth>
      <DialogTitle>Engine self-test</DialogTitle>
      <DialogContent>
        {run.state === 'running' && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
            <CircularProgress size={20} />
            <Typography>Running a small model graph in the engine…</Typography>
          </Box>
        )}
        {run.state === 'done' && (
          <Alert
            severity={run.result.ok ? 'success' : 'error'}
            data-testid="selftest-result"
            data-ok={String(run.result.ok)}
          >
            <AlertTitle>
              {run.result.ok ? 'Self-test passed' : 'Self-test failed'} in {run.result.milliseconds.toFixed(1)} ms on{' '}
              {run.result.provider}
            </AlertTitle>
            {run.result.detail}
          </Alert>
        )}
        {run.state === 'failed' && <ErrorAlert error={run.error} testId="selftest-error" />}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => setAttempt((n) => n + 1)} disabled={run.state === 'running'}>
          Run again
        </Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
