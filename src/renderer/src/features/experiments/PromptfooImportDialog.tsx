// "Import a promptfoo config": a path, then the preview (templates as converted, the tests as rows, the metrics the
// assertions became, what is not imported and why, the config's problems by line), a name and the local model that
// replaces the config's providers, and the judge that runs llm-rubric checks; Import makes everything and opens the experiment. Refused while problems remain.
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { PromptfooPreview } from '../../../../shared/contract';
import { metricLabel } from '../../../../shared/metrics';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { JudgePicker } from './JudgePicker';
import { useModelList } from '../models/useModels';

export interface PromptfooImportDialogProps {
  onClose: () => void;
  onImported: (experimentId: string) => void;
}

export function PromptfooImportDialog({ onClose, onImported }: PromptfooImportDialogProps) {
  const api = useApi();
  // Kept fresh: the demo workspace registers its model just after it opens, maybe while this dialog is open.
  const models = useModelList();
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<PromptfooPreview | null>(null);
  const [name, setName] = useState('');
  const [modelId, setModelId] = useState('');
  const [judgeId, setJudgeId] = useState('');
  const judged = judgeId === '' ? {} : { judgeId };
  const { busy, error, submit } = useSubmit();
  const modelList = models.data ?? [];
  const chosenModel = modelId !== '' ? modelId : (modelList[0]?.id ?? '');

  const inspect = (judge = judged) =>
    submit(async () => {
      const result = await api.imports.inspectPromptfoo({ path: path.trim(), ...judge });
      setPreview(result);
      if (name === '') setName(result.description ?? 'promptfoo import');
    });
  const runImport = () =>
    submit(async () => {
      const made = await api.imports.importPromptfoo({
        path: path.trim(),
        name: name.trim(),
        modelId: chosenModel,
        ...judged,
      });
      onImported(made.experimentId);
    });

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="md" fullWidth data-testid="promptfoo-dialog">
      <DialogTitle>Import a promptfoo config</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label="promptfoo config (.yaml or .json)"
            size="small"
            value={path}
            disabled={busy}
            onChange={(e) => {
              setPath(e.target.value);
              setPreview(null);
            }}
            slotProps={{ htmlInput: { 'data-testid': 'promptfoo-path' } }}
          />
          <JudgePicker
            value={judgeId}
            checks="llm-rubric"
            testId="promptfoo-judge"
            disabled={busy}
            onChange={(id) => {
              setJudgeId(id);
              if (preview !== null) void inspect(id === '' ? {} : { judgeId: id });
            }}
          />
          {preview && <PreviewBody preview={preview} />}
          {preview && preview.problems.length === 0 && (
            <Stack direction="row" spacing={1.5}>
              <TextField
                label="Name (dataset, templates, experiment)"
                size="small"
                value={name}
                onChange={(e) => setName(e.target.value)}
                sx={{ flex: 1 }}
                slotProps={{ htmlInput: { 'data-testid': 'promptfoo-name' } }}
              />
              <TextField
                select
                label="Local model (replaces the providers)"
                size="small"
                value={chosenModel}
                onChange={(e) => setModelId(e.target.value)}
                sx={{ minWidth: 280 }}
                slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'promptfoo-model' } as object } }}
              >
                {modelList.map((m) => (
                  <MenuItem key={m.id} value={m.id}>
                    {m.name}
                  </MenuItem>
                ))}
              </TextField>
            </Stack>
          )}
          <ErrorAlert error={error} testId="promptfoo-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Close
        </Button>
        {preview === null ? (
          <Button
            variant="contained"
            disabled={busy || path.trim() === ''}
            onClick={() => void inspect()}
            data-testid="promptfoo-preview"
          >
            Preview
          </Button>
        ) : (
          <Button
            variant="contained"
            disabled={busy || preview.problems.length > 0 || name.trim() === '' || chosenModel === ''}
            onClick={() => void runImport()}
            data-testid="promptfoo-import"
          >
            Import and create the experiment
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

function PreviewBody({ preview }: { preview: PromptfooPreview }) {
  const columns = preview.dataset.columns;
  return (
    <Stack spacing={1.5} data-testid="promptfoo-summary">
      {preview.problems.length > 0 && (
        <Alert severity="error" data-testid="promptfoo-problems">
          The config cannot be imported as it is:
          {preview.problems.map((p) => (
            <Box key={`${p.line}-${p.reason}`}>
              {p.line > 0 ? `Line ${p.line} ` : 'The file '}
              {p.reason}
            </Box>
          ))}
        </Alert>
      )}
      <Typography variant="subtitle2">
        {preview.templates.length} template{preview.templates.length === 1 ? '' : 's'}, {preview.dataset.rows} test
        {preview.dataset.rows === 1 ? '' : 's'} as rows of the test split
      </Typography>
      {preview.templates.map((t) => (
        <Box key={t.label} data-testid="promptfoo-template">
          <Typography variant="caption" color="text.secondary">
            {t.label}
            {t.system === null ? '' : ` (system: ${t.system})`}
          </Typography>
          <Box component="pre" sx={{ m: 0, p: 1, bgcolor: 'action.hover', whiteSpace: 'pre-wrap', fontSize: 13 }}>
            {t.source}
          </Box>
        </Box>
      ))}
      <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
        {columns.map((c) => (
          <Chip key={c.name} size="small" label={`${c.name}: ${c.role}`} variant="outlined" />
        ))}
      </Stack>
      <Typography variant="subtitle2">Metrics</Typography>
      {preview.metrics.map((m) => (
        <Typography key={m.from} variant="body2" data-testid="promptfoo-metric">
          {metricLabel(m.spec)}
          {m.spec.threshold === undefined ? '' : ` ≥ ${m.spec.threshold}`} (from {m.from}){m.note ? `: ${m.note}` : ''}
        </Typography>
      ))}
      {preview.unsupported.length > 0 && (
        <Alert severity="warning" data-testid="promptfoo-unsupported">
          Not imported:
          {preview.unsupported.map((u) => (
            <Box key={u.from}>
              <b>{u.name}</b> ({u.from}): {u.reason}
            </Box>
          ))}
        </Alert>
      )}
      {preview.notes.map((n) => (
        <Alert key={n} severity="info">
          {n}
        </Alert>
      ))}
    </Stack>
  );
}
