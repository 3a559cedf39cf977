// A channel's gates (admins): what a release must show before it may go to this channel.
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { useState } from 'react';
import type { Channel, MetricGate, Split } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { BudgetFields } from '../../components/BudgetFields';
import { budgetDraft, budgetFromDraft } from '../../components/budget-draft';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

interface MetricDraft {
  datasetVersionId: string;
  split: Split;
  metric: string;
  minPercent: string;
}

export function GatesDialog({ channel, onClose }: { channel: Channel; onClose(): void }) {
  const api = useApi();
  const datasets = useLoad((a) => a.datasets.list({}), []);
  const g = channel.gates;
  const [approvalByOther, setApprovalByOther] = useState(g.approvalByOther);
  const [approvedTemplate, setApprovedTemplate] = useState(g.approvedTemplate);
  const [reviewWin, setReviewWin] = useState(g.reviewWin);
  const [budget, setBudget] = useState(budgetDraft(g.budget));
  const [metrics, setMetrics] = useState<MetricDraft[]>(
    g.metrics.map((m) => ({ ...m, minPercent: String(m.min * 100) })),
  );
  const versions = (datasets.data ?? []).flatMap((d) =>
    d.versions.map((v) => ({ id: v.id, label: `${d.name} v${v.version}` })),
  );
  const edit = (i: number, patch: Partial<MetricDraft>) =>
    setMetrics(metrics.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const save = useSubmit(async () => {
    const gates = {
      approvalByOther,
      approvedTemplate,
      reviewWin,
      budget: budgetFromDraft(budget),
      metrics: metrics.map((m): MetricGate => ({
        datasetVersionId: m.datasetVersionId,
        split: m.split,
        metric: m.metric.trim(),
        min: Number(m.minPercent) / 100,
      })),
    };
    await api.releases.setGates({ channelId: channel.id, gates });
    onClose();
  });
  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth data-testid="gates-dialog">
      <DialogTitle>Gates of {channel.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={1.5} sx={{ pt: 1 }}>
          <FormControlLabel
            control={
              <Checkbox
                checked={approvalByOther}
                onChange={(e) => setApprovalByOther(e.target.checked)}
                data-testid="gate-approval"
              />
            }
            label="Approved by someone other than its author"
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={approvedTemplate}
                onChange={(e) => setApprovedTemplate(e.target.checked)}
                data-testid="gate-template"
              />
            }
            label="Its template version is approved"
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={reviewWin}
                onChange={(e) => setReviewWin(e.target.checked)}
                data-testid="gate-review"
              />
            }
            label="Won a closed blind review round against every other specialization in it (win-rate 95% CI above 50%)"
          />
          <Typography variant="subtitle2">
            Performance budget (measured in the newest attached experiment; empty: no limit)
          </Typography>
          <BudgetFields value={budget} onChange={setBudget} />
          <Typography variant="subtitle2">
            Metric thresholds (measured in an experiment attached to the release)
          </Typography>
          {metrics.map((m, i) => (
            <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="gate-metric">
              <TextField
                select
                label="Dataset"
                value={m.datasetVersionId}
                onChange={(e) => edit(i, { datasetVersionId: e.target.value })}
                sx={{ minWidth: 200 }}
                slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'gate-metric-dataset' } as object } }}
              >
                {versions.map((v) => (
                  <MenuItem key={v.id} value={v.id} data-testid="gate-metric-dataset-option">
                    {v.label}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="Split"
                value={m.split}
                onChange={(e) => edit(i, { split: e.target.value as Split })}
                sx={{ minWidth: 120 }}
              >
                {(['test', 'validation', 'train'] as const).map((s) => (
                  <MenuItem key={s} value={s}>
                    {s}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label="Metric (as experiments name it)"
                value={m.metric}
                onChange={(e) => edit(i, { metric: e.target.value })}
                slotProps={{ htmlInput: { 'data-testid': 'gate-metric-name' } }}
              />
              <TextField
                label="At least (%)"
                type="number"
                value={m.minPercent}
                onChange={(e) => edit(i, { minPercent: e.target.value })}
                sx={{ width: 120 }}
                slotProps={{ htmlInput: { 'data-testid': 'gate-metric-min' } }}
              />
              <IconButton
                aria-label="Remove this threshold"
                onClick={() => setMetrics(metrics.filter((_, j) => j !== i))}
              >
                <DeleteIcon />
              </IconButton>
            </Stack>
          ))}
          <Button
            sx={{ alignSelf: 'flex-start' }}
            onClick={() =>
              setMetrics([
                ...metrics,
                { datasetVersionId: versions[0]?.id ?? '', split: 'test', metric: '', minPercent: '50' },
              ])
            }
            data-testid="gate-metric-add"
          >
            Add a threshold
          </Button>
          <ErrorAlert error={save.error} testId="gates-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={save.busy} onClick={() => void save.submit()} data-testid="gates-save">
          Save gates
        </Button>
      </DialogActions>
    </Dialog>
  );
}
