// "Import OpenAI graders" in the New experiment dialog: a graders file (one grader, a list, or an eval's
// testing_criteria) previewed as metrics, with the graders that have no equivalent here named and why; Add puts the
// metrics in the dialog's list.
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useState } from 'react';
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
  const { busy, error, submit } = useSubmit();
  const inspect = () => submit(async () => setPreview(await api.imports.inspectGraders({ path: path.trim() })));
  const close = () => {
    setOpen(false);
    setPreview(null);
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
