// "Train an adapter": data (a workspace dataset version or a JSONL file) -> template (saved or inline) with the
// preview -> method and hyper-parameters (Advanced folded) -> estimate -> start.
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Step, StepLabel, Stepper, Typography } from '@mui/material';
import { useRef, useState } from 'react';
import type { ModelRecord, TrainingEstimate } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { DataStep } from './DataStep';
import { bytes, seconds } from './format';
import { MethodStep } from './MethodStep';
import { TemplateStep } from './TemplateStep';
import { useWizardData } from './useWizardData';
import { formProblem, initialForm, resolveChoices, toSpec, type Choices, type WizardForm } from './wizard-form';

const STEPS = ['Data', 'Template', 'Method', 'Estimate'];

function sourceLine(form: WizardForm, c: Choices): string {
  if (form.source === 'jsonl') return `Data: ${form.path}`;
  const data = c.dataset ? `${c.dataset.name} v${c.dataset.version} (train split)` : '—';
  return `Data: ${data}; prompt: ${c.template ? `${c.template.name} v${c.template.version}` : 'inline template'}`;
}

export function TrainWizard({ models, onClose, onStarted }: { models: ModelRecord[]; onClose: () => void; onStarted: () => void }) {
  const api = useApi();
  const { datasets, templates } = useWizardData();
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<WizardForm>(() => initialForm(models[0]?.id ?? ''));
  const [estimate, setEstimate] = useState<TrainingEstimate | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);
  const choicesOf = (f: WizardForm) => resolveChoices(f, datasets.data ?? [], templates.data ?? []);
  const choices = choicesOf(form);
  // While the workspace's datasets load, the default dataset is not known yet: Next waits without a message.
  const loading = form.source === 'dataset' && datasets.data === undefined && datasets.error === undefined;
  const problem = step < 3 && !loading ? formProblem(form, choices, step) : null;

  /** Estimates `f` (the preview and the numbers) and, when it succeeds, moves to `next`. */
  const run = async (next: number, f: WizardForm = form) => {
    // Only the newest estimate counts: renders run off the main thread, so an older one can answer last.
    const ticket = ++latest.current;
    setBusy(true);
    try {
      const estimated = next >= 1 ? await api.adapters.estimate(toSpec(f, choicesOf(f))) : undefined;
      if (ticket !== latest.current) return;
      if (estimated) setEstimate(estimated);
      setError(undefined);
      setStep(next);
    } catch (e) {
      if (ticket === latest.current) setError(e);
    } finally {
      if (ticket === latest.current) setBusy(false);
    }
  };
  const update = (change: (f: WizardForm) => WizardForm, refresh = false) => {
    const next = change(form);
    setForm(next);
    if (refresh) void run(step, next);
  };
  const start = async () => {
    setBusy(true);
    try {
      await api.adapters.startTraining(toSpec(form, choices));
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
        {step === 0 && <DataStep form={form} choices={choices} models={models} datasets={datasets} update={update} />}
        {step === 1 && <TemplateStep form={form} choices={choices} templates={templates} preview={estimate?.preview} warnings={estimate?.warnings} personalData={estimate?.personalData} busy={busy} update={update} onRefresh={() => void run(1)} />}
        {step === 2 && <MethodStep form={form} update={update} />}
        {step === 3 && estimate && (
          <Stack spacing={1} data-testid="wizard-estimate">
            <Typography>{sourceLine(form, choices)}</Typography>
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
        {problem && <Typography variant="body2" color="text.secondary" sx={{ flex: 1, px: 2 }} data-testid="wizard-problem">{problem}</Typography>}
        <Button onClick={onClose}>Close</Button>
        {step > 0 && <Button onClick={() => setStep(step - 1)} disabled={busy}>Back</Button>}
        {step < 3 && <Button variant="contained" onClick={() => void run(step + 1)} disabled={busy || loading || problem !== null} data-testid="wizard-next">Next</Button>}
        {step === 3 && <Button variant="contained" onClick={() => void start()} disabled={busy} data-testid="wizard-start">Start training</Button>}
      </DialogActions>
    </Dialog>
  );
}
