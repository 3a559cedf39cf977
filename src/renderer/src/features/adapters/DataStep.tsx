// The wizard's Data step: the base model and where the rows come from: a dataset version of the workspace (its
// train split; the reference field is the target) or a JSONL file with its input and output fields.
import { Alert, ListItemText, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { DatasetVersion, ModelRecord } from '../../../../shared/contract';
import type { Loaded } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { splitCounts, trainable, withDataset, type Choices, type WizardForm } from './wizard-form';

const JSONL = 'jsonl';
const label = (v: DatasetVersion | undefined): string => (v ? `${v.name} v${v.version}` : '');

interface Props {
  form: WizardForm;
  choices: Choices;
  models: ModelRecord[];
  datasets: Loaded<DatasetVersion[]>;
  update: (change: (f: WizardForm) => WizardForm) => void;
}

export function DataStep({ form, choices, models, datasets, update }: Props) {
  const versions = datasets.data ?? [];
  const dataset = choices.dataset;
  const value = form.source === 'jsonl' ? JSONL : (dataset?.id ?? '');
  const set = <K extends keyof WizardForm>(key: K, v: WizardForm[K]) => update((f) => ({ ...f, [key]: v }));
  const choose = (id: string) =>
    update((f) => (id === JSONL ? { ...f, source: 'jsonl' } : { ...withDataset(f, id), source: 'dataset' }));
  return (
    <Stack spacing={2}>
      <TextField
        select
        label="Base model"
        size="small"
        value={form.modelId}
        onChange={(e) => set('modelId', e.target.value)}
        slotProps={{ htmlInput: { 'data-testid': 'wizard-model' } }}
      >
        {models.map((m) => (
          <MenuItem key={m.id} value={m.id}>
            {m.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Data"
        size="small"
        value={value}
        data-testid="wizard-source"
        onChange={(e) => choose(e.target.value)}
        slotProps={{
          select: { renderValue: (v) => (v === JSONL ? 'A JSONL file…' : label(versions.find((x) => x.id === v))) },
        }}
        helperText={datasets.loading && datasets.data === undefined ? 'Loading the workspace datasets…' : undefined}
      >
        {versions.map((v) => (
          <MenuItem key={v.id} value={v.id} disabled={!trainable(v)}>
            <ListItemText
              primary={label(v)}
              secondary={
                trainable(v)
                  ? `${splitCounts(v)} rows · target: ${v.roles.reference}`
                  : 'No reference field or train rows: cannot train on it'
              }
            />
          </MenuItem>
        ))}
        <MenuItem value={JSONL}>A JSONL file…</MenuItem>
      </TextField>
      <ErrorAlert error={datasets.error} testId="wizard-datasets-error" />
      {form.source === 'dataset' && datasets.data !== undefined && versions.length === 0 && (
        <Alert severity="info" data-testid="wizard-no-datasets">
          This workspace has no datasets yet: import one on the Datasets screen, or train on a JSONL file.
        </Alert>
      )}
      {form.source === 'dataset' && dataset && (
        <Typography variant="body2" color="text.secondary" data-testid="wizard-dataset-facts">
          {dataset.name} v{dataset.version}: {splitCounts(dataset)} rows. Trains on the train split, validates on the
          validation split; the target is the reference field &quot;{dataset.roles.reference}&quot;. Fields:{' '}
          {dataset.fields.map((f) => f.name).join(', ')}.
        </Typography>
      )}
      {form.source === 'jsonl' && (
        <>
          <TextField
            label="JSONL file path"
            size="small"
            value={form.path}
            onChange={(e) => set('path', e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': 'wizard-path' } }}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              label="Input field"
              size="small"
              value={form.inputField}
              onChange={(e) => set('inputField', e.target.value)}
            />
            <TextField
              label="Output field"
              size="small"
              value={form.outputField}
              onChange={(e) => set('outputField', e.target.value)}
            />
          </Stack>
        </>
      )}
      <TextField
        label={form.source === 'dataset' ? 'Use the first N training rows' : 'Use the first N rows'}
        size="small"
        value={form.maxRows}
        helperText="empty: all rows"
        onChange={(e) => set('maxRows', e.target.value)}
        slotProps={{ htmlInput: { 'data-testid': 'wizard-maxRows' } }}
        sx={{ maxWidth: 260 }}
      />
    </Stack>
  );
}
