// The Playground's workbench for the registered models: model picker, prompt, decoding settings, run / cancel and
// the streamed output. Settings start from the chosen model's defaults (loaded by generation.prepare, which also
// warms the model up), greedy unless the user turns sampling on.
import { Box, Button, Chip, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { parseDecodingSettings, type ModelRecord } from '../../../../shared/contract';
import { UserError } from '../../../../shared/errors';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { DecodingPanel } from './DecodingPanel';
import { fieldOfServerError, formFromDefaults, overridesFromForm, type DecodingForm, type FieldErrors } from './decoding-form';
import { OutputPanel } from './OutputPanel';
import { EMPTY_PROMPT, PromptEditor, promptOf, type PromptDraft } from './PromptEditor';
import { useGenerationRun } from './useGenerationRun';

const FALLBACK_FORM = formFromDefaults(parseDecodingSettings({}));

export function Playground({ models }: { models: readonly ModelRecord[] }) {
  const [chosenId, setChosenId] = useState<string | undefined>(undefined);
  const model = models.find((m) => m.id === chosenId) ?? models.find((m) => m.available) ?? models[0]!;
  const prepared = useLoad((api) => api.generation.prepare({ modelId: model.id }), [model.id]);
  const [form, setForm] = useState<{ modelId: string | null; value: DecodingForm }>({ modelId: null, value: FALLBACK_FORM });
  const [draft, setDraft] = useState<PromptDraft>(EMPTY_PROMPT);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const { view, start, cancel, busy } = useGenerationRun();

  // A newly chosen model brings its own defaults (once: a reconnect reloads them but keeps the user's edits).
  const defaults = prepared.data;
  useEffect(() => {
    if (defaults && defaults.modelId !== form.modelId) setForm({ modelId: defaults.modelId, value: formFromDefaults(defaults.settings) });
  }, [defaults, form.modelId]);

  // Until the model's defaults arrive the settings wait (edits made now would be replaced by them).
  const settingsReady = form.modelId === model.id || prepared.error !== undefined;
  const chatAvailable = model.tokenizer.hasChatTemplate;
  const effectiveDraft = chatAvailable ? draft : { ...draft, mode: 'raw' as const };
  const prompt = promptOf(effectiveDraft);
  const serverField = view.phase === 'failed' && view.error instanceof UserError ? fieldOfServerError(view.error.where) : undefined;
  const errors: FieldErrors = serverField ? { ...localErrors, [serverField]: view.error instanceof UserError ? view.error.message : '' } : localErrors;

  const run = () => {
    if (busy || prompt === null || !model.available) return;
    const out = overridesFromForm(form.value);
    if ('errors' in out) {
      setLocalErrors(out.errors);
      return;
    }
    setLocalErrors({});
    void start({ modelId: model.id, prompts: [prompt], settings: out.settings });
  };

  // Ctrl/Cmd+Enter and Esc work wherever the focus is while the Playground is shown (Run takes the focus away
  // from the prompt when it disables itself).
  const keys = useRef({ run, cancel, busy });
  keys.current = { run, cancel, busy };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        keys.current.run();
      } else if (event.key === 'Escape' && keys.current.busy) {
        event.preventDefault();
        keys.current.cancel();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <Box sx={{ p: 3, maxWidth: 1080, mx: 'auto' }} data-testid="playground">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Playground
        </Typography>
        <ModelStatus loading={prepared.loading} ready={defaults?.modelId === model.id} />
        <TextField
          select
          size="small"
          label="Model"
          value={model.id}
          onChange={(e) => setChosenId(e.target.value)}
          disabled={busy}
          sx={{ minWidth: 260 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'playground-model' } as object } }}
        >
          {models.map((m) => (
            <MenuItem key={m.id} value={m.id} disabled={!m.available} data-testid="playground-model-option">
              {m.name}
              {m.available ? '' : ' (unavailable)'}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {!model.available && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={new UserError(`This model cannot be used now: ${model.unavailableReason ?? 'its folder is missing'}.`, { hint: 'Open Models to see what changed.' })} testId="playground-model-unavailable" />
        </Box>
      )}
      {prepared.error !== undefined && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={prepared.error} testId="playground-prepare-error" />
        </Box>
      )}
      <Stack spacing={2}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          <PromptEditor draft={effectiveDraft} chatAvailable={chatAvailable} disabled={busy} onChange={setDraft} />
        </Paper>
        <DecodingPanel
          form={form.value}
          errors={errors}
          disabled={busy || !settingsReady}
          onChange={(value) => {
            setForm({ ...form, value });
            setLocalErrors({});
          }}
          onReset={() => defaults && setForm({ modelId: defaults.modelId, value: formFromDefaults(defaults.settings) })}
        />
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <Button variant="contained" onClick={run} disabled={busy || prompt === null || !model.available} data-testid="playground-run">
            Run
          </Button>
          <Button onClick={cancel} disabled={!busy || view.cancelling} data-testid="playground-cancel">
            Cancel
          </Button>
        </Stack>
        <OutputPanel view={serverField ? { ...view, phase: 'idle' } : view} />
      </Stack>
    </Box>
  );
}

function ModelStatus({ loading, ready }: { loading: boolean; ready: boolean }) {
  if (loading) return <Chip size="small" label="Loading model…" data-testid="playground-model-status" data-state="loading" />;
  if (ready) return <Chip size="small" color="success" variant="outlined" label="Model ready" data-testid="playground-model-status" data-state="ready" />;
  return null;
}
