// "Import OpenAI graders" in the New experiment dialog: a graders file (one grader, a list, or an eval's
// testing_criteria) previewed as metrics, with the graders that have no equivalent here named and why; model graders
// (score_model, label_model) map once a local judge specialization is picked; Add puts the metrics in the dialog's list.
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { JudgePicker } from './JudgePicker';
import type { GradersPreview } from '../../../../shared/contract';
import { metricLabel, type MetricSpecInput } from '../../../../shared/metrics';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

export function GradersImportButton({ onAdd }: { onAdd: (specs: MetricSpecInput[]) => void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<GradersPreview | null>(null);
  const [judgeId, setJudgeId] = useState('');
  const { busy, error, submit } = useSubmit();
  const inspect = (judge = judgeId) =>
    submit(async () =>
      setPreview(await api.imports.inspectGraders({ path: path.trim(), ...(judge === '' ? {} : { judgeId: judge }) })),
    );
  const needsJudge = preview?.unsupported.some((u) => /\((score|label)_model\)$/.test(u.from)) ?? false;
  const close = () => {
    setOpen(false);
    setPreview(null);
    setJudgeId('');
  };
  const usable = preview !== null && preview.problems.length === 0 && preview.metrics.length > 0;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="metrics-import-graders">
        Import OpenAI graders
      </Button>
      <Dialog open={open} onClose={close} maxWidth="md" fullWidth data-testid="graders-dialog">
        <DialogTitle>Import OpenAI graders as metrics</DialogTitle>
        <DialogContent>
          <Stack spacing={1.5} sx={{ pt: 1 }}>
            <TextField
              label="Graders file (.json: a grader, a list, or an eval with testing_criteria)"
              size="small"
              value={path}
              onChange={(e) => {
                setPath(e.target.value);
                setPreview(null);
              }}
              slotProps={{ htmlInput: { 'data-testid': 'graders-path' } }}
            />
            <JudgePicker
              value={judgeId}
              checks="score_model, label_model"
              testId="graders-judge"
              onChange={(id) => {
                setJudgeId(id);
                // A preview on screen is read again with the judge, so its model graders map at once.
                if (preview !== null) void inspect(id);
              }}
            />
            {needsJudge && judgeId === '' && (
              <Alert severity="info" data-testid="graders-needs-judge">
                Model graders need a judge: pick a specialization above to import them as judge metrics.
              </Alert>
            )}
            {preview?.problems.map((p) => (
              <Alert key={`${p.line}-${p.reason}`} severity="error">
                Line {p.line} {p.reason}
              </Alert>
            ))}
            {preview?.metrics.map((m) => (
              <Box key={m.from} data-testid="graders-metric">
                {m.from}: {metricLabel({ ...m.spec, name: '' })}
                {m.note ? ` (${m.note})` : ''}
              </Box>
            ))}
            {preview !== null && preview.unsupported.length > 0 && (
              <Alert severity="warning" data-testid="graders-unsupported">
                Not imported:
                {preview.unsupported.map((u) => (
                  <Box key={u.from}>
                    <b>{u.from}</b>: {u.reason}
                  </Box>
                ))}
              </Alert>
            )}
            {preview?.notes.map((n) => (
              <Alert key={n} severity="info">
                {n}
              </Alert>
            ))}
            <ErrorAlert error={error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Close</Button>
          {preview === null ? (
            <Button variant="contained" disabled={busy || path.trim() === ''} onClick={() => void inspect()}>
              Preview
            </Button>
          ) : (
            <Button
              variant="contained"
              disabled={!usable}
              onClick={() => {
                onAdd(preview.metrics.map((m) => m.spec));
                close();
              }}
              data-testid="graders-add"
            >
              Add {preview.metrics.length} metric{preview.metrics.length === 1 ? '' : 's'}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
