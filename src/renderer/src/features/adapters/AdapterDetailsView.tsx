// One adapter version: "Compare with the base model", the active check (explained in plain words), vLLM
// compatibility, lineage (base model, data, template, hyper-parameters, final losses) and its loss curve; "Try it"
// opens the Playground with it, Export writes it as a PEFT folder, Export job its training job for PEFT elsewhere.
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { sectionHref } from '../shell/useSection';
import { ExportDialog } from './ExportDialog';
import { ExportJobDialog } from './ExportJobDialog';
import { CompareWithBaseDialog } from './CompareWithBaseDialog';
import { LossChart } from './LossChart';

/** What "active" means, for someone who has never seen a logit. */
const ACTIVE_HELP =
  'Active means the adapter really changes what the model says: on a few test inputs, Dovetail compares the ' +
  "model's scores for every possible next word with and without the adapter. Max |Δlogit| is the largest change of one such " +
  'score; "next token changed" counts the places where the most likely next word is now a different one. Active ' +
  'says nothing ' +
  'about whether the change is for the better: compare with the base model to find out.';

export function AdapterDetailsView({ id, onRemoved }: { id: string; onRemoved: () => void }) {
  const api = useApi();
  const details = useLoad((api) => api.adapters.get({ id }), [id]);
  const [exporting, setExporting] = useState(false);
  const [exportingJob, setExportingJob] = useState(false);
  const [comparing, setComparing] = useState(false);
  const d = details.data;
  if (!d)
    return details.error ? <ErrorAlert error={details.error} /> : <CircularProgress aria-label="Loading the adapter" />;
  const lineage = d.lineage as {
    base_model?: { name?: string; content_hash?: string };
    dataset?: { id: string; version: string } | null;
    template?: { version: string } | null;
    hyper_parameters?: Record<string, unknown>;
  };
  const rows: [string, string][] = [
    ['Source', d.source],
    ['Method', d.method],
    ['Base model', `${lineage.base_model?.name ?? ''} (${(lineage.base_model?.content_hash ?? '').slice(0, 12)}…)`],
    ['Data', lineage.dataset ? `${lineage.dataset.id} (sha256 ${lineage.dataset.version.slice(0, 12)}…)` : '—'],
    ['Template', lineage.template ? `sha256 ${lineage.template.version.slice(0, 12)}…` : '—'],
    ...Object.entries(lineage.hyper_parameters ?? {})
      .filter(([k]) => k !== 'prompt_template')
      .map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  ];
  return (
    <Paper variant="outlined" sx={{ p: 2, flex: 1 }} data-testid="adapter-details">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="h6" sx={{ flex: 1 }}>
          {d.name}
        </Typography>
        <Button variant="contained" onClick={() => setComparing(true)} data-testid="adapter-compare-base">
          Compare with the base model
        </Button>
        <Button
          variant="outlined"
          size="small"
          href={sectionHref('playground', { adapter: id })}
          disabled={!d.check.active}
          data-testid="adapter-try"
        >
          Try it
        </Button>
        <Button variant="outlined" size="small" onClick={() => setExporting(true)} data-testid="adapter-export">
          Export
        </Button>
        {d.jobId !== null && d.source === 'trained' && (
          <Button
            variant="outlined"
            size="small"
            onClick={() => setExportingJob(true)}
            data-testid="adapter-export-job"
          >
            Export job
          </Button>
        )}
      </Stack>
      {exporting && <ExportDialog adapterId={id} name={d.name} onClose={() => setExporting(false)} />}
      {exportingJob && d.jobId !== null && (
        <ExportJobDialog
          job={{ jobId: d.jobId }}
          name={d.name}
          modelId={d.modelId}
          onClose={() => setExportingJob(false)}
        />
      )}
      <Alert severity={d.check.active ? 'success' : 'error'} sx={{ my: 1 }} data-testid="adapter-check">
        {d.check.active ? 'Active' : 'Inactive'}: max |Δlogit| {d.check.maxAbsDelta.toExponential(2)}, next token
        changed at {d.check.argmaxChanged} of {d.check.positions} canary positions.
        <Typography variant="body2" sx={{ mt: 0.5 }} data-testid="adapter-check-help">
          {ACTIVE_HELP}
        </Typography>
      </Alert>
      <Alert severity={d.vllm.compatible ? 'info' : 'warning'} sx={{ mb: 1 }} data-testid="adapter-vllm">
        {d.vllm.compatible
          ? 'Loads in vLLM.'
          : `Not loadable in vLLM: ${d.vllm.problems.map((p) => p.message).join('; ')}`}
      </Alert>
      <Table size="small" data-testid="adapter-lineage">
        <TableBody>
          {rows.map(([k, v]) => (
            <TableRow key={k}>
              <TableCell component="th" sx={{ width: 220 }}>
                {k}
              </TableCell>
              <TableCell>{v}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {d.source === 'trained' && (
        <Box sx={{ mt: 2 }}>
          <LossChart history={d.history} testId="adapter-loss-chart" />
        </Box>
      )}
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }}>
        {d.folder}
      </Typography>
      <Button
        color="error"
        sx={{ mt: 1 }}
        data-testid="adapter-remove"
        onClick={() => void api.adapters.remove({ id }).then(onRemoved, () => details.reload())}
      >
        Remove
      </Button>
      {comparing && (
        <CompareWithBaseDialog
          adapter={d}
          onClose={() => setComparing(false)}
          onStarted={(experimentId) => {
            window.location.hash = sectionHref('experiments', { experiment: experimentId });
          }}
        />
      )}
    </Paper>
  );
}
