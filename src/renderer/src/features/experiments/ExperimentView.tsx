// One experiment: what it compares, its run (state, progress with done/total, reused outputs, rows/s and ETA;
// Run / Resume / Cancel; failures with their hint), and its results and side-by-side outputs. Results refresh while
// it runs, at most every few seconds, and once more when it ends. A remote experiment names the server it runs on.
// Tabs: results, side-by-side outputs, failure modes, and what 8-bit and 4-bit weights change on the task.
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Paper,
  Stack,
  Tab,
  Tabs,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import type { Experiment, ExperimentState } from '../../../../shared/contract';
import { metricLabel } from '../../../../shared/metrics';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ExportReportMenu } from '../../components/ExportReportMenu';
import { formatDate, percentDone, progressLine } from './format';
import { ResultsView } from './ResultsView';
import { SideBySide } from './SideBySide';
import { FailureModesTab } from '../robustness/FailureModesTab';
import { useSubmit } from '../../components/useSubmit';
import { RemoteServerLine } from './RemoteServerLine';
import { FormatCheckPanel } from './FormatCheckPanel';

const REFRESH_MS = 3000;

export const STATE_COLOR: Record<ExperimentState, 'default' | 'info' | 'success' | 'warning' | 'error'> = {
  created: 'default',
  running: 'info',
  completed: 'success',
  cancelled: 'warning',
  interrupted: 'warning',
  failed: 'error',
};

/** A counter that follows progress at most every `ms` (always catching the last change), and a state change at once. */
function useRefreshVersion(state: string, done: number, ms: number): number {
  const [version, setVersion] = useState(0);
  const last = useRef(0);
  const seen = useRef({ state, done });
  useEffect(() => {
    if (seen.current.state === state && seen.current.done === done) return;
    const wait = seen.current.state !== state ? 0 : Math.max(0, last.current + ms - Date.now());
    seen.current = { state, done };
    const timer = setTimeout(() => {
      last.current = Date.now();
      setVersion((v) => v + 1);
    }, wait);
    return () => clearTimeout(timer);
  }, [state, done, ms]);
  return version;
}

function designLine(e: Experiment): string {
  const s = e.spec;
  const rows = s.limit === null ? `the ${s.split} split` : `the first ${s.limit} rows of the ${s.split} split`;
  const design =
    s.design.kind === 'ablation'
      ? `Ablation, ${e.cells.length} cells`
      : `${e.cells.length} specialization${e.cells.length === 1 ? '' : 's'} compared`;
  return `${design} · ${rows} · ${s.metrics.map((m) => metricLabel(m)).join(', ')} · seed ${s.seed}, batch ${s.batchSize}`;
}

export function ExperimentView({
  experiment: e,
  datasetName,
  onRemoved,
}: {
  experiment: Experiment;
  datasetName: string | undefined;
  onRemoved: () => void;
}) {
  const api = useApi();
  const [tab, setTab] = useState<'results' | 'outputs' | 'failures' | 'formats'>('results');
  const { busy, error: actionError, submit } = useSubmit();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const running = e.state === 'running';
  const version = useRefreshVersion(e.state, e.progress?.done ?? 0, REFRESH_MS);
  const started = e.progress !== null || e.state !== 'created';
  const results = useLoad(
    (a) => (started ? a.experiments.results({ id: e.id }) : Promise.resolve(null)),
    [e.id, version, started],
  );

  const act = (call: () => Promise<unknown>) => void submit(call);
  const p = e.progress;
  const resumable = e.state === 'interrupted' || e.state === 'cancelled' || e.state === 'failed';

  return (
    <Box sx={{ flex: 1, minWidth: 0 }} data-testid="experiment-view" data-state={e.state}>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
          <Typography variant="h6" component="h2" sx={{ flex: 1, minWidth: 0 }} noWrap title={e.name}>
            {e.name}
          </Typography>
          <Chip size="small" color={STATE_COLOR[e.state]} label={e.state} data-testid="experiment-state" />
          {e.state === 'created' && (
            <Button
              variant="contained"
              disabled={busy}
              onClick={() => act(() => api.experiments.run({ id: e.id }))}
              data-testid="experiment-run"
            >
              Run
            </Button>
          )}
          {resumable && (
            <Button
              variant="contained"
              disabled={busy}
              onClick={() => act(() => api.experiments.run({ id: e.id }))}
              data-testid="experiment-resume"
            >
              {e.state === 'failed' ? 'Retry' : 'Resume'}
            </Button>
          )}
          {running && (
            <Button
              color="error"
              disabled={busy}
              onClick={() => act(() => api.experiments.cancel({ id: e.id }))}
              data-testid="experiment-cancel"
            >
              Cancel
            </Button>
          )}
          <ExportReportMenu kind="experiment" subjectId={e.id} disabled={busy || !started} testId="experiment-export" />
          {!running && (
            <Button
              color="inherit"
              disabled={busy}
              onClick={() => setConfirmRemove(true)}
              data-testid="experiment-remove"
            >
              Remove
            </Button>
          )}
        </Stack>
        <Typography variant="body2" color="text.secondary">
          {datasetName ? `${datasetName} · ` : ''}
          {designLine(e)} · created {formatDate(e.createdAt)}
        </Typography>
        <RemoteServerLine experiment={e} />
        {/* Fixed height: the bar and its line are there in every state, so nothing below jumps when a run starts. */}
        <Box sx={{ mt: 1.5, minHeight: 36 }} data-testid="experiment-progress">
          <LinearProgress
            variant={running && p === null ? 'indeterminate' : 'determinate'}
            value={percentDone(p)}
            color={e.state === 'failed' ? 'error' : e.state === 'completed' ? 'success' : 'primary'}
            sx={{ height: 6, borderRadius: 3 }}
          />
          <Typography
            variant="caption"
            color="text.secondary"
            component="div"
            sx={{ mt: 0.5 }}
            data-testid="experiment-progress-text"
          >
            {p
              ? `${progressLine(p, running)}${running && p.cell ? ` · generating: ${p.cell}` : ''}`
              : running
                ? 'Loading the model…'
                : 'Not run yet. Outputs already stored for the same specialization and rows are reused.'}
          </Typography>
        </Box>
        {e.state === 'interrupted' && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            The run stopped before it finished (the app or the engine closed). Resume continues with the missing
            outputs.
          </Alert>
        )}
        {e.error && (
          <Alert severity="error" sx={{ mt: 1 }} data-testid="experiment-failure">
            <AlertTitle>{e.error.message}</AlertTitle>
            {e.error.hint}
          </Alert>
        )}
        {actionError !== undefined && (
          <Box sx={{ mt: 1 }}>
            <ErrorAlert error={actionError} testId="experiment-action-error" />
          </Box>
        )}
      </Paper>
      <Tabs
        value={tab}
        onChange={(_e, v: 'results' | 'outputs' | 'failures' | 'formats') => setTab(v)}
        sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}
      >
        <Tab value="results" label="Results" data-testid="tab-results" />
        <Tab value="outputs" label="Side by side" data-testid="tab-outputs" />
        <Tab value="failures" label="Failure modes" data-testid="tab-failures" />
        <Tab value="formats" label="Weight formats" data-testid="tab-formats" />
      </Tabs>
      {tab === 'failures' && <FailureModesTab experiment={e} />}
      {tab === 'formats' && <FormatCheckPanel experiment={e} version={version} />}
      {tab === 'results' ? (
        !started ? (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            Run the experiment to see its results.
          </Typography>
        ) : results.data ? (
          <>
            {(results.data.contamination ?? []).map((w) => (
              <Alert key={w} severity="warning" sx={{ mb: 1 }} data-testid="experiment-contamination">
                {w}
              </Alert>
            ))}
            <ResultsView experiment={e} results={results.data} />
          </>
        ) : results.error ? (
          <ErrorAlert error={results.error} testId="results-error" />
        ) : (
          <CircularProgress aria-label="Loading results" />
        )
      ) : tab === 'outputs' ? (
        <SideBySide experiment={e} version={version} />
      ) : null}
      <Dialog open={confirmRemove} onClose={() => setConfirmRemove(false)}>
        <DialogTitle>Remove “{e.name}”?</DialogTitle>
        <DialogContent>
          <Typography>
            The experiment and its results are removed. Generated outputs stay stored and are reused by any experiment
            on the same rows.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmRemove(false)}>Keep it</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              setConfirmRemove(false);
              act(() => api.experiments.remove({ id: e.id }).then(onRemoved));
            }}
            data-testid="experiment-remove-confirm"
          >
            Remove
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
