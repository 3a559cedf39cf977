// "Export job": a training job as a folder that transformers + PEFT (+ accelerate) run on another machine, on the
// job's model or a larger one of its family; its output comes back through Import (with lineage to the job).
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import type { JobExport } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function ExportJobDialog(p: { jobId: string; name: string; modelId: string; onClose: () => void }) {
  const api = useApi();
  const models = useLoad((api) => api.models.list({}), []);
  const [to, setTo] = useState(`~/Dovetail exports/${p.name.replace(/[\\/:*?"<>|]+/g, '-')} (job)`);
  const [baseModelId, setBase] = useState(p.modelId);
  const [gpus, setGpus] = useState(2);
  const [done, setDone] = useState<JobExport | null>(null);
  const { busy, error, submit } = useSubmit(async () =>
    setDone(
      await api.adapters.exportJob({
        jobId: p.jobId,
        to,
        baseModelId: baseModelId === p.modelId ? null : baseModelId,
        gpus,
      }),
    ),
  );
  return (
    <Dialog open onClose={p.onClose} maxWidth="sm" fullWidth data-testid="export-job-dialog">
      <DialogTitle>Export the training job {p.name}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          A folder to train this job on a GPU machine with transformers + PEFT: the rows exactly as Dovetail tokenized
          them, the batches, the initial weights, a script, accelerate configs and a README. Import its output folder
          here to evaluate it beside this one.
        </DialogContentText>
        <Stack spacing={2}>
          <TextField
            label="New folder"
            size="small"
            fullWidth
            autoFocus
            value={to}
            onChange={(e) => setTo(e.target.value)}
            disabled={busy || done !== null}
            slotProps={{ htmlInput: { 'data-testid': 'export-job-to' } }}
          />
          <TextField
            select
            label="Base model (the job's, or a larger one of the same family)"
            size="small"
            value={baseModelId}
            onChange={(e) => setBase(e.target.value)}
            disabled={busy || done !== null}
            slotProps={{ htmlInput: { 'data-testid': 'export-job-base' } }}
          >
            {(models.data ?? []).map((m) => (
              <MenuItem key={m.id} value={m.id}>
                {m.name}
                {m.id === p.modelId ? " (the job's)" : ''}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="GPUs of the multi-GPU accelerate config"
            type="number"
            size="small"
            value={gpus}
            onChange={(e) => setGpus(Math.max(1, Math.min(64, Number(e.target.value) || 1)))}
            disabled={busy || done !== null}
            slotProps={{ htmlInput: { min: 1, max: 64, 'data-testid': 'export-job-gpus' } }}
          />
        </Stack>
        {done && (
          <Alert severity="success" sx={{ mt: 2 }} data-testid="export-job-done" data-path={done.path}>
            Exported to {done.path}: {done.rows} rows, {done.totalSteps} steps
            {done.step0Loss === null ? '' : `, step-0 loss ${done.step0Loss.toFixed(6)}`}. Run {done.command}, or{' '}
            {done.accelerateCommand}.
          </Alert>
        )}
        <ErrorAlert error={error} testId="export-job-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={p.onClose}>Close</Button>
        {done === null && (
          <Button
            variant="contained"
            disabled={busy || !to.trim()}
            onClick={() => void submit()}
            data-testid="export-job-submit"
          >
            Export job
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
