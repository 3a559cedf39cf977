// The decoding settings, collapsed to a one-line summary: greedy or sampling (temperature, top-k, top-p), repetition
// penalty, max new tokens, stop strings, seed, and "ignore end of text". Bad values show at their field.
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  FormControlLabel,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useState, type ChangeEvent } from 'react';
import { summary, type DecodingField, type DecodingForm, type FieldErrors } from './decoding-form';

export interface DecodingPanelProps {
  readonly form: DecodingForm;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  onChange(form: DecodingForm): void;
  onReset(): void;
}

interface NumberFieldSpec {
  readonly field: Exclude<DecodingField, 'do_sample' | 'ignore_eos' | 'stop_strings' | 'seed'>;
  readonly label: string;
  readonly help: string;
  readonly step: number;
  readonly sampling?: boolean;
}

const NUMBER_FIELDS: readonly NumberFieldSpec[] = [
  {
    field: 'temperature',
    label: 'Temperature',
    help: 'Above 1 more varied, below 1 more predictable.',
    step: 0.1,
    sampling: true,
  },
  { field: 'top_k', label: 'Top-k', help: 'Sample among the k likeliest tokens; 0 is off.', step: 1, sampling: true },
  {
    field: 'top_p',
    label: 'Top-p',
    help: 'Sample among the likeliest tokens that add up to p; 1 is off.',
    step: 0.05,
    sampling: true,
  },
  {
    field: 'repetition_penalty',
    label: 'Repetition penalty',
    help: 'Above 1 discourages repeating tokens; 1 is off.',
    step: 0.05,
  },
  { field: 'max_new_tokens', label: 'Max new tokens', help: 'The answer stops at this length.', step: 1 },
];

export function DecodingPanel({ form, errors, disabled, onChange, onReset }: DecodingPanelProps) {
  const set = (field: DecodingField) => (event: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...form, [field]: event.target.type === 'checkbox' ? event.target.checked : event.target.value });
  const hasErrors = Object.keys(errors).length > 0;
  const [open, setOpen] = useState(false);

  return (
    <Accordion
      disableGutters
      variant="outlined"
      expanded={open || hasErrors}
      onChange={(_e, expanded) => setOpen(expanded)}
      data-testid="decoding-panel"
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-controls="decoding-settings" data-testid="decoding-toggle">
        <Box>
          <Typography variant="subtitle2">Decoding settings</Typography>
          <Typography variant="body2" color={hasErrors ? 'error' : 'text.secondary'} data-testid="decoding-summary">
            {hasErrors ? 'Some settings need fixing' : summary(form)}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails id="decoding-settings">
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center' }}>
          <FormControlLabel
            control={
              <Switch
                checked={form.do_sample}
                onChange={set('do_sample')}
                disabled={disabled}
                slotProps={{ input: { 'data-testid': 'setting-do_sample' } as object }}
              />
            }
            label="Sample (off: greedy, always the likeliest token)"
          />
          <FormControlLabel
            control={
              <Switch
                checked={form.ignore_eos}
                onChange={set('ignore_eos')}
                disabled={disabled}
                slotProps={{ input: { 'data-testid': 'setting-ignore_eos' } as object }}
              />
            }
            label="Ignore end of text"
          />
        </Box>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 2, mt: 2 }}>
          {NUMBER_FIELDS.map((spec) => (
            <TextField
              key={spec.field}
              label={spec.label}
              type="number"
              size="small"
              value={form[spec.field]}
              onChange={set(spec.field)}
              disabled={disabled || (spec.sampling === true && !form.do_sample)}
              error={errors[spec.field] !== undefined}
              helperText={errors[spec.field] ?? spec.help}
              slotProps={{
                htmlInput: { step: spec.step, 'data-testid': `setting-${spec.field}` },
                formHelperText: { 'data-testid': `setting-${spec.field}-help` } as object,
              }}
            />
          ))}
          <TextField
            label="Seed"
            size="small"
            value={form.seed}
            onChange={set('seed')}
            disabled={disabled}
            placeholder="random"
            error={errors.seed !== undefined}
            helperText={errors.seed ?? 'Blank: a new one each run (shown with the result).'}
            slotProps={{
              htmlInput: { inputMode: 'numeric', 'data-testid': 'setting-seed' },
              formHelperText: { 'data-testid': 'setting-seed-help' } as object,
            }}
          />
          <TextField
            label="Stop strings"
            size="small"
            multiline
            minRows={2}
            value={form.stop_strings}
            onChange={set('stop_strings')}
            disabled={disabled}
            error={errors.stop_strings !== undefined}
            helperText={errors.stop_strings ?? 'One per line; the answer ends before the first one it writes.'}
            slotProps={{ htmlInput: { 'data-testid': 'setting-stop_strings' } }}
          />
        </Box>
        <Button size="small" onClick={onReset} disabled={disabled} sx={{ mt: 1 }} data-testid="decoding-reset">
          Reset to the model's defaults
        </Button>
      </AccordionDetails>
    </Accordion>
  );
}
