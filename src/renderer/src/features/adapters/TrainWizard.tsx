// "Train an adapter": data (a workspace dataset version or a JSONL file) -> template (saved or inline) with the
// preview -> settings (a preset over the dataset's recipe; hyper-parameters under Advanced) -> estimate, first from
// a formula, then calibrated by a few real steps on this machine -> start, or export the planned job for a GPU machine
// instead (nothing is trained here).
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Step,
  StepLabel,
  Stepper,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import type { ModelRecord, TrainingEstimate } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { DataStep } from './DataStep';
import { ExportJobDialog } from './ExportJobDialog';
import { bytes, seconds } from './format';
import { MethodStep } from './MethodStep';
import { TemplateStep } from './TemplateStep';
import { useWizardData } from './useWizardData';
import { formProblem, initialForm, resolveChoices, toSpec, type Choices, type WizardForm } from './wizard-form';

const STEPS = ['Data', 'Template', 'Settings', 'Estimate'];

function sourceLine(form: WizardForm, c: Choices): string {
  if (form.source === 'jsonl') return `Data: ${form.path}`;
  const data = c.dataset ? `${c.dataset.name} v${c.dataset.version} (train split)` : '—';
  return `Data: ${data}; prompt: ${c.template ? `${c.template.name} v${c.template.version}` : 'inline template'}`;
}

function timeSource(e: TrainingEstimate): string {
  if (e.tokensPerSecondSource === 'calibrated' && e.calibration) {
    return `timed from ${e.calibration.steps} real steps on this machine just now, ${e.calibration.stepSeconds.toFixed(2)} s each, plus ${seconds(e.calibration.setupSeconds)} to start; a busy machine takes longer`;
  }
  return e.tokensPerSecondSource === 'measured'
    ? `from an earlier run on this machine, ${e.tokensPerSecond.toFixed(0)} tokens/s`
    : `a rough guess from the model's size, ${e.tokensPerSecond.toFixed(0)} tokens/s`;
}

export function TrainWizard({
  models,
  onClose,
  onStarted,
}: {
  models: ModelRecord[];
  onClose: () => void;
  onStarted: () => void;
}) {
  const api = useApi();
  const { datasets, templates, recipes, names } = useWizardData();
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<WizardForm>(() => initialForm(models[0]?.id ?? ''));
  const [estimate, setEstimate] = useState<TrainingEstimate | undefined>(undefined);
  const [calibrating, setCalibrating] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const latest = useRef(0);
  const choicesOf = (f: WizardForm) =>
    resolveChoices(f, datasets.data ?? [], templates.data ?? [], recipes.data ?? [], models);
  const choices = choicesOf(form);
  // While the workspace's datasets, recipes and templates load, the defaults (dataset, preset, suggested template) are
  // not known yet: Next waits without a message, so the preview is never rendered without the template it will show.
  const pending = (loaded: { data?: unknown; error?: unknown }) =>
    loaded.data === undefined && loaded.error === undefined;
  const loading = form.source === 'dataset' && (pending(datasets) || pending(recipes) || pending(templates));
  const problem = step < 3 && !loading ? formProblem(form, choices, step) : null;

  /** The template version the shown preview was rendered with ('' for none or an inline prompt). */
  const previewedWith = useRef<string | null>(null);
  /** Estimates `f` (the preview and the numbers) and, when it succeeds, moves to `next`. */
  const run = async (next: number, f: WizardForm = form) => {
    // Only the newest estimate counts: renders run off the main thread, so an older one can answer last.
    const ticket = ++latest.current;
    setBusy(true);
    try {
      const resolved = choicesOf(f);
      previewedWith.current = resolved.template?.id ?? '';
      const spec = toSpec(f, resolved);
      const estimated = next >= 1 ? await api.adapters.estimate(spec) : undefined;
      if (ticket !== latest.current) return;
      if (estimated) setEstimate(estimated);
      setError(undefined);
      setStep(next);
      if (next === 3) void calibrate(ticket, spec);
    } catch (e) {
      if (ticket === latest.current) setError(e);
    } finally {
      if (ticket === latest.current) setBusy(false);
    }
  };
  /** The honest number: a few real steps of this run, timed; the formula's guess stays shown until it answers. */
  const calibrate = async (ticket: number, spec: ReturnType<typeof toSpec>) => {
    setCalibrating(true);
    try {
      const measured = await api.adapters.calibrate(spec);
      if (ticket === latest.current) setEstimate(measured);
    } catch (e) {
      if (ticket === latest.current) setError(e);
    } finally {
      if (ticket === latest.current) setCalibrating(false);
    }
  };
  // The demo workspace adds its templates just after it opens: a template that arrives (or changes) while the preview
  // is shown makes the suggested template change, and the preview must show the one the form now names.
  const templateId = choices.template?.id ?? '';
  useEffect(() => {
    if (step >= 1 && step < 3 && previewedWith.current !== null && previewedWith.current !== templateId) void run(step);
  }, [templateId, step]);
  const update = (change: (f: WizardForm) => WizardForm, refresh = false) => {
    const next = change(form);
    setForm(next);
    if (refresh) void run(step, next);
  };
  const start = async () => {
    setBusy(true);
    try {
      await api.adapters.startTraining(toSpec(form, choices, names.data ?? []));
      onStarted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const planned = exporting ? toSpec(form, choices, names.data ?? []) : null;

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth data-testid="train-wizard">
      <DialogTitle>Train an adapter</DialogTitle>
      <DialogContent>
        <Stepper activeStep={step} sx={{ mb: 3 }}>
          {STEPS.map((s) => (
            <Step key={s}>
              <StepLabel>{s}</StepLabel>
            </Step>
          ))}
        </Stepper>
        {step === 0 && <DataStep form={form} choices={choices} models={models} datasets={datasets} update={update} />}
        {step === 1 && (
          <TemplateStep
            form={form}
            choices={choices}
            templates={templates}
            preview={estimate?.preview}
            warnings={estimate?.warnings}
            personalData={estimate?.personalData}
            busy={busy}
            update={update}
            onRefresh={() => void run(1)}
          />
        )}
        {step === 2 && <MethodStep form={form} choices={choices} update={update} />}
        {step === 3 && estimate && (
          <Stack spacing={1} data-testid="wizard-estimate">
            <Typography>{sourceLine(form, choices)}</Typography>
            <Typography>
              {estimate.rows} rows ({estimate.tokens} tokens, longest {estimate.maxRowTokens}),{' '}
              {estimate.validationRows} validation rows
            </Typography>
            <Typography>
              {estimate.steps} optimizer steps, {estimate.trainableParameters.toLocaleString()} trainable parameters
            </Typography>
            <Typography>Adapter name: {toSpec(form, choices, names.data ?? []).name}</Typography>
            <Typography data-testid="wizard-time" data-source={estimate.tokensPerSecondSource}>
              <strong>About {seconds(estimate.seconds)}</strong> (an estimate; {timeSource(estimate)}), about{' '}
              {bytes(estimate.memoryBytes)} of memory
            </Typography>
            {calibrating && (
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="wizard-calibrating">
                <CircularProgress size={16} />
                <Typography variant="body2">
                  Timing a few real training steps on this machine for a better estimate…
                </Typography>
              </Stack>
            )}
            {estimate.tooLong.length > 0 && (
              <Alert severity="warning" data-testid="wizard-too-long">
                {estimate.tooLong.length} rows are longer than {estimate.maxLength} tokens: rows{' '}
                {estimate.tooLong
                  .slice(0, 10)
                  .map((r) => r.row + 1)
                  .join(', ')}
                {estimate.tooLong.length > 10 ? ', …' : ''}. Raise the maximum length or shorten them.
              </Alert>
            )}
          </Stack>
        )}
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={error} testId="wizard-error" />
        </Box>
      </DialogContent>
      <DialogActions>
        {problem && (
          <Typography variant="body2" color="text.secondary" sx={{ flex: 1, px: 2 }} data-testid="wizard-problem">
            {problem}
          </Typography>
        )}
        <Button onClick={onClose}>Close</Button>
        {step > 0 && (
          <Button onClick={() => setStep(step - 1)} disabled={busy}>
            Back
          </Button>
        )}
        {step < 3 && (
          <Button
            variant="contained"
            onClick={() => void run(step + 1)}
            disabled={busy || loading || problem !== null}
            data-testid="wizard-next"
          >
            Next
          </Button>
        )}
        {step === 3 && (
          <Button onClick={() => setExporting(true)} disabled={busy} data-testid="wizard-export-job">
            Export job instead…
          </Button>
        )}
        {step === 3 && (
          <Button variant="contained" onClick={() => void start()} disabled={busy} data-testid="wizard-start">
            Start training
          </Button>
        )}
      </DialogActions>
      {planned && (
        <ExportJobDialog
          job={{ spec: planned }}
          name={planned.name ?? 'planned job'}
          modelId={form.modelId}
          onClose={() => setExporting(false)}
        />
      )}
    </Dialog>
  );
}
