// How rows are split: by hash of each row's key (seed and percentages; the default 80/10/10 with seed 0), by the
// split each file is (chosen next to each file), or by a column that names the split.
import { FormControlLabel, MenuItem, Radio, RadioGroup, Stack, TextField, Typography } from '@mui/material';
import type { ImportForm, SplitKind } from './import-form';

export interface SplitSettingsFormProps {
  form: ImportForm;
  columns: readonly string[];
  onChange: (patch: Partial<ImportForm>) => void;
}

export function SplitSettingsForm({ form, columns, onChange }: SplitSettingsFormProps) {
  const percent = (key: 'train' | 'validation' | 'test', label: string) => (
    <TextField
      label={`${label} %`}
      size="small"
      type="number"
      value={form[key]}
      onChange={(e) => onChange({ [key]: e.target.value })}
      sx={{ width: 120 }}
      slotProps={{ htmlInput: { min: 0, max: 100, 'data-testid': `split-${key}` } }}
    />
  );
  return (
    <Stack spacing={1.5} data-testid="split-settings">
      <Typography variant="subtitle2" component="h3">
        Splits
      </Typography>
      <RadioGroup row value={form.splitKind} onChange={(e) => onChange({ splitKind: e.target.value as SplitKind })}>
        <FormControlLabel
          value="hash"
          control={<Radio slotProps={{ input: { 'data-testid': 'split-kind-hash' } as object }} />}
          label="By hash of each row's key"
        />
        <FormControlLabel
          value="given"
          control={<Radio slotProps={{ input: { 'data-testid': 'split-kind-given' } as object }} />}
          label="Each file is a split"
        />
        <FormControlLabel
          value="column"
          control={<Radio slotProps={{ input: { 'data-testid': 'split-kind-column' } as object }} />}
          label="A column names the split"
        />
      </RadioGroup>
      {form.splitKind === 'hash' && (
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
          {percent('train', 'Train')}
          {percent('validation', 'Validation')}
          {percent('test', 'Test')}
          <TextField
            label="Seed"
            size="small"
            value={form.seed}
            onChange={(e) => onChange({ seed: e.target.value })}
            sx={{ width: 100 }}
            slotProps={{ htmlInput: { 'data-testid': 'split-seed' } }}
          />
          <Typography variant="body2" color="text.secondary">
            The same key always lands in the same split for the same seed.
          </Typography>
        </Stack>
      )}
      {form.splitKind === 'given' && (
        <Typography variant="body2" color="text.secondary">
          Choose the split next to each file above.
        </Typography>
      )}
      {form.splitKind === 'column' && (
        <TextField
          select
          label="Split column"
          size="small"
          value={form.splitColumn}
          onChange={(e) => onChange({ splitColumn: e.target.value })}
          sx={{ maxWidth: 280 }}
          helperText="Values: train, validation (or dev, valid, val), test"
        >
          {columns.map((c) => (
            <MenuItem key={c} value={c}>
              {c}
            </MenuItem>
          ))}
        </TextField>
      )}
    </Stack>
  );
}
