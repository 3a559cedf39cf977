// "Export job": a training job (stored, or only planned in the wizard) as a folder that transformers + PEFT
// (+ accelerate) run on another machine, on the job's model or a larger one of its family; its output comes back
// through Import (with lineage to the job).
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
import type { JobExport, TrainingSpecIn } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { exportFolderFor, ExportFolderField } from './ExportFolderField';
import { useModelList } from '../models/useModels';

/** A job that ran (or runs) here, or one the wizard planned and nothing trained yet. */
export type JobToExport = { readonly jobId: string } | { readonly spec: TrainingSpecIn };

export function ExportJobDialog(p: { job: JobToExport; name: string; modelId: string; onClose: () => void }) {
  const api = useApi();
  const models = useModelList();
  const [to, setTo] = useState(exportFolderFor(p.name, ' (job)'));
  const [baseModelId, setBase] = useState(p.modelId);
  const [gpus, setGpus] = useState(2);
  const [done, setDone] = useState<JobExport | null>(null);
  const run = useSubmit(async () =>
    setDone(
      await api.adapters.exportJob({
        ...('jobId' in p.job ? { jobId: p.job.jobId } : { spec: p.job.spec }),
        to,
        baseModelId: baseModelId === p.modelId ? null : baseModelId,
        gpus,
      }),
    ),
  );
  const { busy, error, submit } = run;
  const planned = 'spec' in p.job;
  // A larger base must be of the same architecture (and give the same token ids, which the export checks).
  const architecture = models.data?.find((m) => m.id === p.modelId)?.architecture;
  const bases = (models.data ?? []).filter((m) => m.architecture === architecture);
  return (
    <Dialog open onClose={p.onClose} maxWidth="sm" fullWidth data-testid="export-job-dialog">
      <DialogTitle>
        Export the {planned ? 'planned ' : ''}training job {p.name}
      </DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          A folder to train this job on a GPU machine with transformers + PEFT: the rows exactly as Dovetail tokenized
          them, the batches, the initial weights, a script, accelerate configs and a README.{' '}
          {planned
            ? 'Nothing is trained here. Import its output folder to evaluate it.'
            : 'Import its output folder here to evaluate it beside this one.'}
        </DialogContentText>
        <Stack spacing={2}>
          <ExportFolderField
            label="New folder"
            value={to}
            onChange={setTo}
            disabled={busy || done !== null}
            submit={run}
            testId="export-job-to"
          />
          <TextField
            select
            label="Base model (the job's, or a larger one of the same family)"
            size="small"
            value={baseModelId}
            onChange={(e) => setBase(e.target.value)}
            disabled={busy || done !== null}
            helperText="A larger base must give every row the same token ids; the export checks it"
            slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'export-job-base' } as object } }}
          >
            {bases.map((m) => (
              <MenuItem key={m.id} value={m.id} data-testid="export-job-base-option">
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
        <Button onClick={p.onClose} data-testid="export-job-close">
          Close
        </Button>
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
