// The wizard's Settings step: a preset (Quick / Balanced / Thorough over the dataset's recipe) and the method, with
// rank, alpha, learning rate, steps and the other hyper-parameters folded under Advanced (editing one makes the
// settings 'custom').
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  FormControlLabel,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { loraModulesOf, targetsFor } from '../../../../shared/lora';
import { PRESETS, type PresetId, type TrainingSettings } from './presets';
import { dropoutProblem, settingsOf, withSetting, type Choices, type WizardForm } from './wizard-form';

type NumberKey =
  'r' | 'alpha' | 'n' | 'epochs' | 'batchSize' | 'warmupSteps' | 'evalEvery' | 'checkpointEvery' | 'seed';
type TextKey = 'lr' | 'maxSteps';

interface Props {
  form: WizardForm;
  choices: Choices;
  update: (change: (f: WizardForm) => WizardForm) => void;
}

export function MethodStep({ form, choices, update }: Props) {
  const t = settingsOf(form, choices);
  const set = <K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]) =>
    update((f) => withSetting(f, choices, key, value));
  const num = (key: NumberKey, label: string) => (
    <TextField
      label={label}
      type="number"
      size="small"
      value={t[key]}
      onChange={(e) => set(key, Number(e.target.value))}
      slotProps={{ htmlInput: { 'data-testid': `wizard-${key}` } }}
    />
  );
  const text = (key: TextKey, label: string, helper: string) => (
    <TextField
      label={label}
      size="small"
      value={t[key]}
      helperText={helper}
      onChange={(e) => set(key, e.target.value)}
      slotProps={{ htmlInput: { 'data-testid': `wizard-${key}` } }}
    />
  );
  const lora = t.method !== 'soft-prompt';
  const dropoutError = dropoutProblem(t.dropout);
  return (
    <Stack spacing={2}>
      <RadioGroup
        value={form.preset}
        onChange={(e) => update((f) => ({ ...f, preset: e.target.value as PresetId }))}
        data-testid="wizard-preset"
      >
        {PRESETS.map((p) => (
          <FormControlLabel
            key={p.id}
            value={p.id}
            control={<Radio size="small" />}
            data-testid={`wizard-preset-${p.id}`}
            label={
              <span>
                <strong>{p.label}</strong>{' '}
                <Typography component="span" variant="body2" color="text.secondary">
                  {p.help}
                </Typography>
              </span>
            }
          />
        ))}
        {form.preset === 'custom' && (
          <FormControlLabel
            value="custom"
            control={<Radio size="small" />}
            label={<strong>Custom (edited under Advanced)</strong>}
          />
        )}
      </RadioGroup>
      <Alert severity="info" data-testid="wizard-recipe">
        {choices.recipe
          ? `Recommended for ${choices.dataset?.name ?? 'this dataset'}: ${choices.recipe.note}`
          : 'Recommended: a LoRA and a soft prompt trained together (learning rate 2e-3, batch 8). On the bundled triage task a LoRA alone at its usual 2e-4 learned next to nothing in one epoch.'}
      </Alert>
      <TextField
        select
        label="Method"
        size="small"
        value={t.method}
        onChange={(e) => set('method', e.target.value as TrainingSettings['method'])}
        data-testid="wizard-method"
      >
        <MenuItem value="lora">LoRA</MenuItem>
        <MenuItem value="soft-prompt">Soft prompt</MenuItem>
        <MenuItem value="both">LoRA + soft prompt</MenuItem>
      </TextField>
      <Accordion>
        <AccordionSummary data-testid="wizard-advanced">Advanced: rank, alpha, learning rate, steps</AccordionSummary>
        <AccordionDetails>
          <Stack spacing={2}>
            <Stack direction="row" spacing={2}>
              {lora && num('r', 'LoRA rank r')}
              {lora && num('alpha', 'lora_alpha')}
              {lora && (
                <TextField
                  label="LoRA dropout"
                  type="number"
                  size="small"
                  value={t.dropout}
                  error={dropoutError !== null}
                  helperText={dropoutError ?? 'lora_dropout; 0: off'}
                  onChange={(e) => set('dropout', e.target.value)}
                  slotProps={{ htmlInput: { 'data-testid': 'wizard-dropout', min: 0, max: 0.95, step: 0.05 } }}
                />
              )}
              {t.method !== 'lora' && num('n', 'Virtual tokens')}
            </Stack>
            <Stack direction="row" spacing={2}>
              {text('lr', 'Learning rate', 'empty: 2e-4 LoRA, 3e-2 soft prompt, 1e-3 both')}
              {num('epochs', 'Epochs')}
              {text('maxSteps', 'Max steps', 'empty: all epochs')}
              {num('batchSize', 'Batch size')}
            </Stack>
            {lora && (
              <TextField
                select
                label="LoRA targets"
                size="small"
                value={targetsFor(choices.architecture, t.targets)}
                slotProps={{ select: { multiple: true } }}
                onChange={(e) => set('targets', e.target.value as unknown as string[])}
              >
                {loraModulesOf(choices.architecture).map((x) => (
                  <MenuItem key={x} value={x}>
                    {x}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <Stack direction="row" spacing={2}>
              {num('warmupSteps', 'Warm-up steps')}
              <TextField
                label="Max length"
                size="small"
                value={form.maxLength}
                helperText="empty: the model's context"
                onChange={(e) => update((f) => ({ ...f, maxLength: e.target.value }))}
                slotProps={{ htmlInput: { 'data-testid': 'wizard-maxLength' } }}
              />
              {num('evalEvery', 'Validate every N steps')}
              {num('checkpointEvery', 'Checkpoint every N steps')}
              {num('seed', 'Seed')}
            </Stack>
          </Stack>
        </AccordionDetails>
      </Accordion>
    </Stack>
  );
}
