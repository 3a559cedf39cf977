// Preview: a template (saved version or the editor's text) rendered for one row of a dataset version, with the row's
// reference, optionally with a demonstration set as `examples`, and a check of the fields the template reads
// against the dataset's fields; with a model, the prompt's tokens against its context window and a live run of the
// row (PreviewRun.tsx).
import NavigateBeforeIcon from '@mui/icons-material/NavigateBefore';
import NavigateNextIcon from '@mui/icons-material/NavigateNext';
import {
  Alert,
  Box,
  Chip,
  IconButton,
  LinearProgress,
  MenuItem,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { DatasetVersion, DemonstrationSetVersion } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { TemplateWarnings } from '../../components/TemplateWarnings';
import { checkFields, EXAMPLES_VARIABLE } from './template-text';
import { TextBlock } from './TextBlock';
import { DatasetVersionSelect } from './DatasetVersionSelect';
import { ModelPickers, RunOutput, TokenBudget } from './PreviewRun';
import { usePreview, type PreviewTemplate } from './usePreview';
import { usePromptRun } from './usePromptRun';
import type { DatasetOption } from './usePromptsData';
import { useModelList } from '../models/useModels';
import { useRunShortcuts } from '../../components/useRunShortcuts';

export interface PreviewPanelProps {
  readonly options: readonly DatasetOption[];
  readonly datasetVersionId: string | null;
  readonly onDatasetChange: (versionId: string) => void;
  /** The chosen version's details (undefined while loading). */
  readonly dataset: DatasetVersion | null | undefined;
  /** The fields the template reads; null while it does not parse. */
  readonly fields: readonly string[] | null;
  readonly template: PreviewTemplate;
  readonly sets: readonly DemonstrationSetVersion[];
  /** Told the preview row's data (for the editor's hover), or null when there is none. */
  readonly onRow?: (row: Record<string, unknown> | null) => void;
}

export function PreviewPanel(props: PreviewPanelProps) {
  const { options, datasetVersionId, onDatasetChange, dataset, fields, template, sets, onRow } = props;
  const api = useApi();
  // The row and examples chosen belong to one dataset version; another version starts again at row 1.
  const [row, setRow] = useState<{ datasetVersionId: string | null; idx: number }>({ datasetVersionId, idx: 0 });
  const [setVersionId, setSetVersionId] = useState<string | null>(null);
  const rowCount = dataset?.rowCount ?? 0;
  const rowIdx = row.datasetVersionId === datasetVersionId ? Math.min(row.idx, Math.max(0, rowCount - 1)) : 0;
  const goTo = (idx: number) => setRow({ datasetVersionId, idx: Math.max(0, Math.min(idx, rowCount - 1)) });
  const chosenSet = sets.find((s) => s.id === setVersionId) ?? null;
  const ready = datasetVersionId !== null && dataset !== undefined && dataset !== null && rowCount > 0;
  // A draft that does not parse is not sent: the editor says why, and the preview waits for a version that parses.
  useEffect(() => {
    if (!onRow) return;
    if (!ready) {
      onRow(null);
      return;
    }
    let current = true;
    api.datasets.rows({ versionId: datasetVersionId, offset: rowIdx, limit: 1 }).then(
      (page) => current && onRow(page.rows[0]?.data ?? null),
      () => current && onRow(null),
    );
    return () => {
      current = false;
    };
  }, [api, onRow, ready, datasetVersionId, rowIdx]);
  // The model that counts and answers: the first registered one unless another is chosen.
  const models = useModelList();
  const adapters = useLoad((a) => a.adapters.list({}), []);
  const [modelPick, setModelPick] = useState('');
  const [adapterPick, setAdapterPick] = useState<string | null>(null);
  const usable = (models.data ?? []).filter((m) => m.available);
  const modelId = usable.some((m) => m.id === modelPick) ? modelPick : (usable[0]?.id ?? '');
  const ofModel = (adapters.data ?? []).filter((a) => a.modelId === modelId);
  const adapterId = ofModel.some((a) => a.id === adapterPick) ? adapterPick : null;
  const request =
    ready && fields !== null
      ? { template, datasetVersionId, rowIdx, demonstrationSetVersionId: chosenSet?.id ?? null }
      : null;
  const preview = usePreview(request && { ...request, modelId: modelId === '' ? null : modelId });
  const run = usePromptRun();
  const canRun = request !== null && modelId !== '' && !run.busy;
  const startRun = () => {
    if (canRun) void run.start({ ...request, modelId, adapterId });
  };
  const onKeyDown = useRunShortcuts({ run: startRun, cancel: run.cancel, busy: run.busy });

  return (
    <Paper
      variant="outlined"
      sx={{ p: 2, outline: 'none' }}
      data-testid="template-preview"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <Typography variant="subtitle1" component="h2" sx={{ mb: 1.5 }}>
        Preview
      </Typography>
      <Stack spacing={1.5}>
        <DatasetVersionSelect
          options={options}
          value={datasetVersionId}
          onChange={onDatasetChange}
          label="Dataset"
          testId="preview-dataset"
        />
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <IconButton
            aria-label="Previous row"
            onClick={() => goTo(rowIdx - 1)}
            disabled={!ready || rowIdx === 0}
            data-testid="preview-prev"
          >
            <NavigateBeforeIcon />
          </IconButton>
          <RowNumberField
            key={`${datasetVersionId ?? ''}:${rowIdx}`}
            value={rowIdx + 1}
            max={rowCount}
            disabled={!ready}
            onCommit={(n) => goTo(n - 1)}
          />
          <Typography variant="body2" color="text.secondary" data-testid="preview-row-count">
            of {rowCount.toLocaleString('en-US')}
          </Typography>
          <IconButton
            aria-label="Next row"
            onClick={() => goTo(rowIdx + 1)}
            disabled={!ready || rowIdx >= rowCount - 1}
            data-testid="preview-next"
          >
            <NavigateNextIcon />
          </IconButton>
        </Stack>
        <TextField
          select
          size="small"
          label="Examples"
          value={chosenSet?.id ?? ''}
          onChange={(e) => setSetVersionId(e.target.value === '' ? null : e.target.value)}
          helperText={`A demonstration set, given to the template as ${EXAMPLES_VARIABLE}.`}
          slotProps={{
            select: { displayEmpty: true, SelectDisplayProps: { 'data-testid': 'preview-examples' } as object },
            inputLabel: { shrink: true },
          }}
        >
          <MenuItem value="">None</MenuItem>
          {sets.map((s) => (
            <MenuItem key={s.id} value={s.id} data-testid="preview-examples-option">
              {s.name} v{s.version} ({s.rowKeys.length} examples)
            </MenuItem>
          ))}
        </TextField>
        {dataset && fields && <FieldCheck fields={fields} dataset={dataset} hasExamples={chosenSet !== null} />}
        <ModelPickers
          models={usable}
          modelId={modelId}
          onModel={setModelPick}
          adapters={ofModel}
          adapterId={adapterId}
          onAdapter={setAdapterPick}
          disabled={run.busy}
        />
        {fields === null && (
          <Typography variant="body2" color="text.secondary" data-testid="preview-unparsed">
            The template does not parse yet; the preview follows as soon as it does.
          </Typography>
        )}
        {preview.loading && <LinearProgress aria-label="Rendering the preview" />}
        <ErrorAlert error={preview.error} testId="preview-error" />
        {ready && fields !== null && preview.rendered && preview.error === undefined && (
          <Stack spacing={1.5}>
            <TemplateWarnings warnings={preview.rendered.warnings} testId="preview-warnings" />
            {preview.rendered.chat && preview.rendered.system !== null && (
              <TextBlock label="System message" text={preview.rendered.system} testId="preview-system" />
            )}
            <TextBlock
              label={
                preview.rendered.chat
                  ? "User turn (sent through the model's chat template)"
                  : 'Completion text (the model continues it)'
              }
              text={preview.rendered.text}
              testId="preview-text"
            />
            {preview.rendered.tokens !== undefined && preview.rendered.contextLength !== undefined && (
              <TokenBudget tokens={preview.rendered.tokens} contextLength={preview.rendered.contextLength} />
            )}
            <TextBlock
              label="Reference (the expected output)"
              text={preview.rendered.reference ?? '(this dataset has no reference)'}
              testId="preview-reference"
            />
          </Stack>
        )}
        <RunOutput view={run.view} canRun={canRun} onRun={startRun} onCancel={run.cancel} />
      </Stack>
    </Paper>
  );
}

/** A row number that is taken when the field is left or Enter is pressed, not on every keystroke. */
function RowNumberField({
  value,
  max,
  disabled,
  onCommit,
}: {
  value: number;
  max: number;
  disabled: boolean;
  onCommit: (n: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const commit = () => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1 && n <= max) onCommit(n);
    else setText(String(value));
  };
  return (
    <TextField
      size="small"
      label="Row"
      value={text}
      disabled={disabled}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      sx={{ width: 110 }}
      slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'preview-row' } }}
    />
  );
}

function FieldCheck({
  fields,
  dataset,
  hasExamples,
}: {
  fields: readonly string[];
  dataset: DatasetVersion;
  hasExamples: boolean;
}) {
  const check = checkFields(fields, { fields: dataset.fields.map((f) => f.name), roles: dataset.roles });
  const shown = fields.filter((f) => f !== EXAMPLES_VARIABLE);
  return (
    <Box data-testid="preview-fields">
      <Stack direction="row" spacing={0.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" color="text.secondary" sx={{ mr: 0.5 }}>
          Reads:
        </Typography>
        {shown.length === 0 && (
          <Typography variant="body2" color="text.secondary">
            no fields
          </Typography>
        )}
        {shown.map((f) => (
          <Chip
            key={f}
            size="small"
            label={f}
            color={check.missing.includes(f) ? 'warning' : 'default'}
            variant="outlined"
          />
        ))}
      </Stack>
      {check.missing.length > 0 && (
        <Alert severity="warning" sx={{ mt: 1 }} data-testid="preview-missing-fields">
          {dataset.name} v{dataset.version} has no field {check.missing.join(', ')}:{' '}
          {check.missing.length === 1 ? 'it renders' : 'they render'} empty. Its fields are{' '}
          {dataset.fields.map((f) => f.name).join(', ')}.
        </Alert>
      )}
      {check.reference !== null && (
        <Alert severity="info" sx={{ mt: 1 }} data-testid="preview-reference-used">
          {check.reference} is the expected output: it is left out of prompts, so it renders empty here. Show it in
          examples as ex.{check.reference}.
        </Alert>
      )}
      {check.usesExamples && !hasExamples && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.5 }}>
          The template reads {EXAMPLES_VARIABLE}: choose a demonstration set above to see them.
        </Typography>
      )}
    </Box>
  );
}
