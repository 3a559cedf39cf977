// One specialization's context cost per component, measured on the first rows of a dataset split picked here (the
// dataset its demonstrations come from, else the first one, to start with).
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import type { Specialization, Split } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ContextCostTable } from './ContextCostTable';

export function ContextCostDialog({
  spec,
  preferredVersionId,
  onClose,
}: {
  spec: Specialization;
  preferredVersionId: string | null;
  onClose(): void;
}) {
  const datasets = useLoad((a) => a.datasets.list({}), []);
  const versions = (datasets.data ?? []).flatMap((d) =>
    d.versions.map((v) => ({ id: v.id, label: `${d.name} v${v.version}` })),
  );
  const [picked, setPicked] = useState<string | null>(null);
  const [split, setSplit] = useState<Split>('test');
  const versionId = picked ?? (versions.find((v) => v.id === preferredVersionId) ?? versions[0])?.id ?? null;
  const cost = useLoad(
    (a) =>
      versionId === null
        ? Promise.resolve(null)
        : a.experiments.contextCost({ specializationId: spec.id, datasetVersionId: versionId, split }),
    [spec.id, versionId, split],
  );
  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth data-testid="context-cost-dialog">
      <DialogTitle>Context cost of {spec.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Stack direction="row" spacing={1}>
            <TextField
              select
              size="small"
              label="Measured on"
              value={versionId ?? ''}
              onChange={(e) => setPicked(e.target.value)}
              sx={{ minWidth: 240 }}
            >
              {versions.map((v) => (
                <MenuItem key={v.id} value={v.id}>
                  {v.label}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              label="Split"
              value={split}
              onChange={(e) => setSplit(e.target.value as Split)}
              sx={{ minWidth: 120 }}
            >
              {(['test', 'validation', 'train'] as const).map((s) => (
                <MenuItem key={s} value={s}>
                  {s}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          <ErrorAlert error={cost.error} testId="context-cost-error" />
          {cost.data ? (
            <ContextCostTable rows={[{ label: spec.name, cost: cost.data }]} />
          ) : (
            !cost.error && <CircularProgress size={20} aria-label="Counting context tokens" />
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
