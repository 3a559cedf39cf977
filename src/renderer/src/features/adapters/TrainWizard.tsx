// "Train an adapter": data -> template preview -> method and hyper-parameters (Advanced folded) -> estimate -> start.
import { Accordion, AccordionDetails, AccordionSummary, Alert, Box, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, MenuItem, Stack, Step, StepLabel, Stepper, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { LORA_TARGETS, type ModelRecord, type TrainingEstimate } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { bytes, seconds } from './format';
import { initialForm, TEMPLATES, toSpec, type WizardForm } from './wizard-form';

const STEPS = ['Data', 'Template', 'Method', 'Estimate'];

export function TrainWizard({ models, onClose, onStarted }: { models: ModelRecord[]; onClose: () => void; onStarted: () => void }) {
  const api = useApi();
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<WizardForm>(() => initialForm(models[0]?.id ?? ''));
  const [estimate, setEstimate] = useState<TrainingEstimate | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof WizardForm>(key: K, value: WizardForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const num = (key: 'r' | 'alpha' | 'n' | 'epochs' | 'batchSize' | 'warmupSteps' | 'evalEvery' | 'checkpointEvery' | 'seed', label: string) => (
    <TextField label={label} type="number" size="small" value={form[key]} onChange={(e) => set(key, Number(e.target.value))} slotProps={{ htmlInput: { 'data-testid': `wizard-${key}` } }} />
  );
  const text = (key: 'maxRows' | 'lr' | 'maxSteps' | 'maxLength', label: string, helper: string) => (
    <TextField label={label} size="small" value={form[key]} helperText={helper} onChange={(e) => set(key, e.target.value)} slotProps={{ htmlInput: { 'data-testid': `wizard-${key}` } }} />
  );

  const run = async (next: number) => {
    setBusy(true);
    try {
      if (next >= 1) setEstimate(await api.adapters.estimate(toSpec(form)));
      setError(undefined);
      setStep(next);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    setBusy(true);
    try {
      await api.adapters.startTraining(toSpec(form));
      onStarted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth data-testid="train-wizard">
      <DialogTitle>Train an adapter</DialogTitle>
      <DialogContent>
        <Stepper activeStep={step} sx={{ mb: 3 }}>
          {STEPS.map((s) => (
            <Step key={s}><StepLabel>{s}</StepLabel></Step>
          ))}
        </Stepper>
        {step === 0 && (
          <Stack spacing={2}>
            <TextField select label="Base model" size="small" value={form.modelId} onChange={(e) => set('modelId', e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'wizard-model' } }}>
              {models.map((m) => <MenuItem key={m.id} value={m.id}>{m.name}</MenuItem>)}
            </TextField>
            <TextField select label="Data" size="small" value={form.source} data-testid="wizard-source"
              onChange={(e) => { const source = e.target.value as WizardForm['source']; setForm((f) => ({ ...f, source, ...(source === 'jsonl' ? {} : TEMPLATES[source]) })); }}>
              <MenuItem value="support-triage">Demo: support-triage (message → triage JSON)</MenuItem>
              <MenuItem value="wordnet-supersense">Demo: wordnet-supersense (definition → supersense)</MenuItem>
              <MenuItem value="jsonl">A JSONL file…</MenuItem>
            </TextField>
            {form.source === 'jsonl' && <TextField label="JSONL file path" size="small" value={form.path} onChange={(e) => set('path', e.target.value)} />}
            <Stack direction="row" spacing={2}>
              <TextField label="Input field" size="small" value={form.inputField} onChange={(e) => set('inputField', e.target.value)} />
              <TextField label="Output field" size="small" value={form.outputField} onChange={(e) => set('outputField', e.target.value)} />
              {text('maxRows', 'Use the first N rows', 'empty: all rows')}
            </Stack>
          </Stack>
        )}
        {step === 1 && (
          <Stack spacing={2}>
            <TextField label="Prompt template (Jinja; the row's fields and {{ input }})" multiline minRows={3} value={form.prompt} onChange={(e) => set('prompt', e.target.value)} />
            <FormControlLabel control={<Checkbox checked={form.chat} onChange={(e) => set('chat', e.target.checked)} />} label="Wrap the prompt in the model's chat template" />
            <Button variant="outlined" onClick={() => void run(1)} disabled={busy}>Refresh preview</Button>
            {estimate?.preview && (
              <Box data-testid="wizard-preview" sx={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap', bgcolor: 'action.hover', p: 1.5, borderRadius: 1 }}>
                <b>prompt:</b> {estimate.preview.prompt}{'\n'}<b>target:</b> {estimate.preview.target}
              </Box>
            )}
          </Stack>
        )}
        {step === 2 && (
          <Stack spacing={2}>
            <TextField select label="Method" size="small" value={form.method} onChange={(e) => set('method', e.target.value as WizardForm['method'])}>
              <MenuItem value="lora">LoRA</MenuItem>
              <MenuItem value="soft-prompt">Soft prompt</MenuItem>
              <MenuItem value="both">LoRA + soft prompt</MenuItem>
            </TextField>
            <Stack direction="row" spacing={2}>
              {form.method !== 'soft-prompt' && num('r', 'LoRA rank r')}
              {form.method !== 'soft-prompt' && num('alpha', 'lora_alpha')}
              {form.method !== 'lora' && num('n', 'Virtual tokens')}
              {num('epochs', 'Epochs')}
              {text('maxSteps', 'Max steps', 'empty: all epochs')}
            </Stack>
            <Accordion>
              <AccordionSummary>Advanced</AccordionSummary>
              <AccordionDetails>
                <Stack spacing={2}>
                  {form.method !== 'soft-prompt' && (
                    <TextField select label="LoRA targets" size="small" value={form.targets} slotProps={{ select: { multiple: true } }} onChange={(e) => set('targets', e.target.value as unknown as string[])}>
                      {LORA_TARGETS.map((t) => <MenuItem key={t} value={t}>{t}</MenuItem>)}
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
        )}
        {step === 3 && estimate && (
          <Stack spacing={1} data-testid="wizard-estimate">
            <Typography>{estimate.rows} rows ({estimate.tokens} tokens, longest {estimate.maxRowTokens}), {estimate.validationRows} validation rows</Typography>
            <Typography>{estimate.steps} optimizer steps, {estimate.trainableParameters.toLocaleString()} trainable parameters</Typography>
            <Typography>About {seconds(estimate.seconds)} at {estimate.tokensPerSecond.toFixed(0)} tokens/s ({estimate.tokensPerSecondSource === 'measured' ? 'measured on this machine' : 'rough formula'}), about {bytes(estimate.memoryBytes)} of memory</Typography>
            {estimate.tooLong.length > 0 && (
              <Alert severity="warning" data-testid="wizard-too-long">
                {estimate.tooLong.length} rows are longer than {estimate.maxLength} tokens: rows {estimate.tooLong.slice(0, 10).map((r) => r.row + 1).join(', ')}{estimate.tooLong.length > 10 ? ', …' : ''}. Raise the maximum length or shorten them.
              </Alert>
            )}
          </Stack>
        )}
        <Box sx={{ mt: 2 }}><ErrorAlert error={error} testId="wizard-error" /></Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        {step > 0 && <Button onClick={() => setStep(step - 1)} disabled={busy}>Back</Button>}
        {step < 3 && <Button variant="contained" onClick={() => void run(step + 1)} disabled={busy || !form.modelId} data-testid="wizard-next">Next</Button>}
        {step === 3 && <Button variant="contained" onClick={() => void start()} disabled={busy} data-testid="wizard-start">Start training</Button>}
      </DialogActions>
    </Dialog>
  );
}
