// The wizard's Method step: LoRA and/or soft prompt with their settings (LoRA rank, alpha, dropout; virtual tokens),
// the epoch/step budget, and the Advanced hyper-parameters folded away.
import { Accordion, AccordionDetails, AccordionSummary, MenuItem, Stack, TextField } from '@mui/material';
import { LORA_MODULES } from '../../../../shared/contract';
import { dropoutProblem, type WizardForm } from './wizard-form';

type NumberKey = 'r' | 'alpha' | 'n' | 'epochs' | 'batchSize' | 'warmupSteps' | 'evalEvery' | 'checkpointEvery' | 'seed';
type TextKey = 'lr' | 'maxSteps' | 'maxLength';

export function MethodStep({ form, update }: { form: WizardForm; update: (change: (f: WizardForm) => WizardForm) => void }) {
  const set = <K extends keyof WizardForm>(key: K, value: WizardForm[K]) => update((f) => ({ ...f, [key]: value }));
  const num = (key: NumberKey, label: string) => (
    <TextField label={label} type="number" size="small" value={form[key]} onChange={(e) => set(key, Number(e.target.value))} slotProps={{ htmlInput: { 'data-testid': `wizard-${key}` } }} />
  );
  const text = (key: TextKey, label: string, helper: string) => (
    <TextField label={label} size="small" value={form[key]} helperText={helper} onChange={(e) => set(key, e.target.value)} slotProps={{ htmlInput: { 'data-testid': `wizard-${key}` } }} />
  );
  const lora = form.method !== 'soft-prompt';
  const dropoutError = dropoutProblem(form.dropout);
  return (
    <Stack spacing={2}>
      <TextField select label="Method" size="small" value={form.method} onChange={(e) => set('method', e.target.value as WizardForm['method'])} data-testid="wizard-method">
        <MenuItem value="lora">LoRA</MenuItem>
        <MenuItem value="soft-prompt">Soft prompt</MenuItem>
        <MenuItem value="both">LoRA + soft prompt</MenuItem>
      </TextField>
      <Stack direction="row" spacing={2}>
        {lora && num('r', 'LoRA rank r')}
        {lora && num('alpha', 'lora_alpha')}
        {lora && (
          <TextField label="LoRA dropout" type="number" size="small" value={form.dropout} error={dropoutError !== null} helperText={dropoutError ?? 'lora_dropout; 0: off'}
            onChange={(e) => set('dropout', e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'wizard-dropout', min: 0, max: 0.95, step: 0.05 } }} />
        )}
        {form.method !== 'lora' && num('n', 'Virtual tokens')}
        {num('epochs', 'Epochs')}
        {text('maxSteps', 'Max steps', 'empty: all epochs')}
      </Stack>
      <Accordion>
        <AccordionSummary>Advanced</AccordionSummary>
        <AccordionDetails>
          <Stack spacing={2}>
            {lora && (
              <TextField select label="LoRA targets" size="small" value={form.targets} slotProps={{ select: { multiple: true } }} onChange={(e) => set('targets', e.target.value as unknown as string[])}>
                {LORA_MODULES.map((t) => <MenuItem key={t} value={t}>{t}</MenuItem>)}
              </TextField>
            )}
            <Stack direction="row" spacing={2}>
              {text('lr', 'Learning rate', 'empty: 2e-4 LoRA, 3e-2 soft prompt')}
              {num('batchSize', 'Batch size')}
              {num('warmupSteps', 'Warm-up steps')}
              {text('maxLength', 'Max length', "empty: the model's context")}
            </Stack>
            <Stack direction="row" spacing={2}>
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
