// The review of one template version: its status and who moved it when, the workflow's buttons for the current user
// (a refusal, e.g. approving one's own version, shows the service's reason), and the checks before approval run on a
// dataset version's validation split with a model, with their newest report.
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import { Alert, Box, Button, Chip, LinearProgress, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import {
  TEMPLATE_STATUS_LABELS,
  type TemplateCheckReport,
  type TemplateStatus,
  type TemplateVersion,
} from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { TemplateWarnings } from '../../components/TemplateWarnings';
import { DatasetVersionSelect } from './DatasetVersionSelect';
import { shortDate } from './format';
import { MOVE_LABELS, movesFrom, STATUS_COLORS } from './status';
import type { DatasetOption } from './usePromptsData';
import { useModelList } from '../models/useModels';
import { useSubmit } from '../../components/useSubmit';

export interface ReviewPanelProps {
  readonly version: TemplateVersion;
  readonly datasets: readonly DatasetOption[];
  readonly datasetVersionId: string | null;
  readonly onChanged: (version: TemplateVersion) => void;
}

export function ReviewPanel({ version, datasets, datasetVersionId, onChanged }: ReviewPanelProps) {
  const api = useApi();
  const { busy, error, submit, clear } = useSubmit();
  const [note, setNote] = useState('');
  useEffect(() => clear(), [version.id, clear]);

  const move = (to: TemplateStatus) =>
    submit(async () => {
      onChanged(await api.templates.setStatus({ versionId: version.id, status: to, note }));
      setNote('');
    });

  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="template-review">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle1" component="h2" sx={{ flex: 1 }}>
          Review of version {version.version}
        </Typography>
        <Chip
          label={TEMPLATE_STATUS_LABELS[version.status]}
          color={STATUS_COLORS[version.status]}
          data-testid="template-status"
        />
      </Stack>
      <Typography variant="body2" color="text.secondary">
        Written by {version.authorName ?? 'an unknown author'} on {shortDate(version.createdAt)}.
      </Typography>
      {version.history.length > 0 && (
        <Box component="ul" sx={{ pl: 2, my: 1 }} data-testid="template-status-history">
          {version.history.map((c, i) => (
            <Typography component="li" variant="body2" key={i}>
              {TEMPLATE_STATUS_LABELS[c.to]} by {c.userName ?? 'a removed user'} · {shortDate(c.at)}
              {c.note ? ` · “${c.note}”` : ''}
            </Typography>
          ))}
        </Box>
      )}
      {movesFrom(version.status).length > 0 && (
        <Stack spacing={1} sx={{ mt: 1.5 }}>
          <TextField
            size="small"
            label="Note (optional)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'template-status-note' } }}
          />
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
            {movesFrom(version.status).map((to) => (
              <Button
                key={to}
                size="small"
                variant={to === 'approved' || to === 'in-review' ? 'contained' : 'outlined'}
                disabled={busy}
                onClick={() => void move(to)}
                data-testid={`template-move-${to}`}
              >
                {MOVE_LABELS[to]}
              </Button>
            ))}
          </Stack>
        </Stack>
      )}
      <Box sx={{ mt: 1 }}>
        <ErrorAlert error={error} testId="template-status-error" />
      </Box>
      {version.status !== 'deprecated' && (
        <Checks version={version} datasets={datasets} initialDatasetId={datasetVersionId} />
      )}
    </Paper>
  );
}

function Checks({
  version,
  datasets,
  initialDatasetId,
}: {
  version: TemplateVersion;
  datasets: readonly DatasetOption[];
  initialDatasetId: string | null;
}) {
  const api = useApi();
  const models = useModelList();
  const last = useLoad((a) => a.templates.lastChecks({ versionId: version.id }), [version.id]);
  const [datasetId, setDatasetId] = useState<string | null>(initialDatasetId);
  const [modelId, setModelId] = useState<string>('');
  const { busy: running, error, submit } = useSubmit();
  const usable = (models.data ?? []).filter((m) => m.available);
  const chosenModel = usable.some((m) => m.id === modelId) ? modelId : (usable[0]?.id ?? '');
  const chosenDataset = datasetId ?? initialDatasetId;

  const run = () => {
    if (chosenDataset === null || chosenModel === '') return;
    void submit(async () =>
      last.set(
        await api.templates.checks({ versionId: version.id, datasetVersionId: chosenDataset, modelId: chosenModel }),
      ),
    );
  };

  return (
    <Box sx={{ mt: 2 }} data-testid="template-checks">
      <Typography variant="subtitle2" sx={{ mb: 1 }}>
        Checks before approval
      </Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <DatasetVersionSelect
          options={datasets}
          value={chosenDataset}
          onChange={setDatasetId}
          label="Validation rows of"
          testId="checks-dataset"
        />
        <TextField
          select
          size="small"
          label="Model"
          value={chosenModel}
          onChange={(e) => setModelId(e.target.value)}
          sx={{ minWidth: 180 }}
          disabled={usable.length === 0}
          helperText={usable.length === 0 ? 'Add a model in Models first.' : undefined}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'checks-model' } as object } }}
        >
          {usable.map((m) => (
            <MenuItem key={m.id} value={m.id}>
              {m.name}
            </MenuItem>
          ))}
        </TextField>
        <Button
          variant="outlined"
          onClick={() => void run()}
          disabled={running || chosenDataset === null || chosenModel === ''}
          data-testid="checks-run"
        >
          Run checks
        </Button>
      </Stack>
      {running && <LinearProgress sx={{ mt: 1 }} aria-label="Running the checks" />}
      <ErrorAlert error={error} testId="checks-error" />
      {last.data && <CheckReport report={last.data} />}
    </Box>
  );
}

function CheckReport({ report }: { report: TemplateCheckReport }) {
  const line = (name: string, outcome: 'passed' | 'failed', message: string, testId: string) => (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }} data-testid={testId} data-outcome={outcome}>
      {outcome === 'passed' ? (
        <CheckCircleIcon color="success" fontSize="small" />
      ) : (
        <ErrorIcon color="error" fontSize="small" />
      )}
      <Typography variant="body2">
        <strong>{name}:</strong> {message}
      </Typography>
    </Stack>
  );
  return (
    <Stack spacing={0.75} sx={{ mt: 1.5 }} data-testid="checks-report" data-passed={report.passed}>
      <Alert severity={report.passed ? 'success' : 'error'} sx={{ py: 0 }}>
        {report.passed ? 'All checks passed' : 'A check failed: approval is refused until the checks pass'} (
        {shortDate(report.ranAt)})
      </Alert>
      {line('Renders every validation row', report.render.outcome, report.render.message, 'check-render')}
      {report.render.failures.length > 0 && (
        <Box component="ul" sx={{ pl: 4, my: 0 }} data-testid="check-render-failures">
          {report.render.failures.slice(0, 10).map((f) => (
            <Typography component="li" variant="caption" key={f.rowIdx}>
              Row {f.rowIdx + 1} ({f.key}): {f.reason}
            </Typography>
          ))}
        </Box>
      )}
      <TemplateWarnings warnings={report.render.warnings} testId="check-render-warnings" />
      {line('Context budget', report.budget.outcome, report.budget.message, 'check-budget')}
      <Typography variant="caption" color="text.secondary" sx={{ pl: 3.5 }}>
        Counted with {report.budget.method.charAt(0).toLowerCase() + report.budget.method.slice(1)}
      </Typography>
      {line('Prompt-leakage probe', report.leakage.outcome, report.leakage.message, 'check-leakage')}
      {report.target &&
        line(
          'Reads no part of the answer (target leakage)',
          report.target.outcome,
          report.target.message,
          'check-target',
        )}
    </Stack>
  );
}
