// The Playground's workbench: what to run (a model alone, a saved specialization, or a model with adapters, a
// template and demonstrations), the prompt (chat or raw text for a model alone; the template's fields otherwise),
// decoding settings, run / cancel and the streamed output. Settings start from the model's defaults (loaded by
// generation.prepare, which also warms the model up) under the saved or specialization's overrides; the picks and
// decoding are saved per workspace.
import { Box, Chip, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import { useEffect, useMemo, useRef, useState } from 'react';
import { parseDecodingSettings, type ModelRecord } from '../../../../shared/contract';
import { UserError } from '../../../../shared/errors';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { liveFields } from '../experiments/TryLive';
import { useSpecializationParts, useSpecializations } from '../experiments/useExperimentsData';
import { DecodingPanel } from './DecodingPanel';
import {
  fieldOfServerError,
  formFromDefaults,
  formFromOverrides,
  overridesFromForm,
  type DecodingForm,
  type FieldErrors,
} from './decoding-form';
import { FieldsInput } from './FieldsInput';
import { OutputPanel } from './OutputPanel';
import { PartsPicker } from './PartsPicker';
import { partsOf, runKind, withoutStale, type Picks } from './playground-picks';
import { EMPTY_PROMPT, PromptEditor, promptOf, type PromptDraft } from './PromptEditor';
import { RunControls } from './RunControls';
import { useGenerationRun } from './useGenerationRun';
import { usePlaygroundSettings } from './usePlaygroundSettings';

const FALLBACK_FORM = formFromDefaults(parseDecodingSettings({}));

export function Playground({ models }: { models: readonly ModelRecord[] }) {
  const { initial, error, save } = usePlaygroundSettings();
  if (initial === undefined) {
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        {error === undefined ? (
          <CircularProgress aria-label="Loading the Playground" />
        ) : (
          <ErrorAlert error={error} testId="playground-settings-error" />
        )}
      </Box>
    );
  }
  return <Workbench models={models} initial={initial} save={save} />;
}

interface FormState {
  /** The model and specialization the form was made for ('' until the first defaults arrive). */
  readonly basis: string;
  readonly value: DecodingForm;
}

function Workbench({
  models,
  initial,
  save,
}: {
  models: readonly ModelRecord[];
  initial: Picks;
  save: (picks: Picks) => void;
}) {
  const api = useApi();
  const specializations = useSpecializations();
  const { adapters, templates, demonstrations } = useSpecializationParts();
  const [chosen, setChosen] = useState<Picks>(initial);
  const spec = specializations.data?.find((s) => s.id === chosen.specializationId) ?? null;
  const model =
    models.find((m) => m.id === (spec?.modelId ?? chosen.modelId)) ?? models.find((m) => m.available) ?? models[0]!;
  const picks = withoutStale(
    chosen,
    { specializations: specializations.data, adapters: adapters.data, demonstrations: demonstrations.data },
    model.id,
  );
  const kind = runKind(picks);

  const prepared = useLoad((a) => a.generation.prepare({ modelId: model.id }), [model.id]);
  const version = useLoad(
    (a) =>
      picks.templateVersionId === null ? Promise.resolve(null) : a.templates.version({ id: picks.templateVersionId }),
    [picks.templateVersionId],
  );
  const templateId = version.data?.templateId ?? null;
  const versions = useLoad(
    (a) => (templateId === null ? Promise.resolve([]) : a.templates.versions({ templateId })),
    [templateId],
  );
  const fields = useMemo(() => liveFields([version.data ?? null]), [version.data]);
  const [values, setValues] = useState<Record<string, string>>({});

  const [form, setForm] = useState<FormState>({ basis: '', value: FALLBACK_FORM });
  const [draft, setDraft] = useState<PromptDraft>({ ...EMPTY_PROMPT, mode: initial.promptMode });
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const { view, start, cancel, busy } = useGenerationRun();

  // New defaults for a newly chosen model or specialization: the first time with the saved overrides, later with the
  // specialization's (or none); a reconnect reloads the defaults but keeps the user's edits.
  const defaults = prepared.data;
  const basis = `${model.id}|${picks.specializationId ?? ''}`;
  useEffect(() => {
    if (!defaults || defaults.modelId !== model.id || form.basis === basis) return;
    const overrides = form.basis === '' ? initial.decoding : (spec?.decoding ?? {});
    setForm({ basis, value: formFromOverrides(defaults.settings, overrides) });
  }, [defaults, model.id, basis, form.basis, initial.decoding, spec]);

  // Saved a moment after each change, once the form holds real settings (an invalid form keeps the last valid ones).
  const lastValid = useRef(initial.decoding);
  useEffect(() => {
    if (form.basis === '') return;
    const out = overridesFromForm(form.value);
    if ('settings' in out) lastValid.current = out.settings;
    save({ ...picks, modelId: model.id, promptMode: draft.mode, decoding: lastValid.current });
  }, [picks, model.id, draft.mode, form, save]);

  const settingsReady = form.basis === basis || prepared.error !== undefined;
  const chatAvailable = model.tokenizer.hasChatTemplate;
  const effectiveDraft = chatAvailable ? draft : { ...draft, mode: 'raw' as const };
  const prompt = promptOf(effectiveDraft);
  const hasInput = kind === 'model' ? prompt !== null : fields.some((f) => (values[f] ?? '').trim() !== '');
  const canRun = !busy && hasInput && model.available;
  const serverField =
    view.phase === 'failed' && view.error instanceof UserError ? fieldOfServerError(view.error.where) : undefined;
  const errors: FieldErrors = serverField
    ? { ...localErrors, [serverField]: view.error instanceof UserError ? view.error.message : '' }
    : localErrors;

  const run = () => {
    if (!canRun) return;
    const out = overridesFromForm(form.value);
    if ('errors' in out) {
      setLocalErrors(out.errors);
      return;
    }
    setLocalErrors({});
    const input = Object.fromEntries(fields.map((f) => [f, values[f] ?? '']));
    const { specializationId } = picks;
    if (kind === 'model' && prompt !== null)
      void start(() => api.generation.start({ modelId: model.id, prompts: [prompt], settings: out.settings }));
    else if (specializationId !== null)
      void start(() => api.specializations.try({ specializationId, fields: input, decoding: out.settings }));
    else
      void start(() => api.specializations.tryParts({ parts: partsOf(picks, model.id, out.settings), fields: input }));
  };

  return (
    <Box sx={{ p: 3, maxWidth: 1080, mx: 'auto' }} data-testid="playground" data-run-kind={kind}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Playground
        </Typography>
        <ModelStatus loading={prepared.loading} ready={defaults?.modelId === model.id} />
      </Stack>
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <PartsPicker
          picks={picks}
          modelId={model.id}
          version={version.data ?? null}
          lists={{
            models,
            specializations: specializations.data ?? [],
            adapters: adapters.data ?? [],
            templates: templates.data ?? [],
            versions: versions.data ?? [],
            demonstrations: demonstrations.data ?? [],
          }}
          disabled={busy}
          onChange={setChosen}
        />
      </Paper>
      {!model.available && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert
            error={
              new UserError(`This model cannot be used now: ${model.unavailableReason ?? 'its folder is missing'}.`, {
                hint: 'Open Models to see what changed.',
              })
            }
            testId="playground-model-unavailable"
          />
        </Box>
      )}
      {prepared.error !== undefined && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={prepared.error} testId="playground-prepare-error" />
        </Box>
      )}
      <Stack spacing={2}>
        <Paper variant="outlined" sx={{ p: 2 }}>
          {kind === 'model' ? (
            <PromptEditor draft={effectiveDraft} chatAvailable={chatAvailable} disabled={busy} onChange={setDraft} />
          ) : (
            <FieldsInput
              fields={fields}
              values={values}
              disabled={busy}
              template={version.data ?? null}
              onChange={setValues}
            />
          )}
        </Paper>
        <DecodingPanel
          form={form.value}
          errors={errors}
          disabled={busy || !settingsReady}
          onChange={(value) => {
            setForm({ ...form, value });
            setLocalErrors({});
          }}
          onReset={() =>
            defaults && setForm({ basis, value: formFromOverrides(defaults.settings, spec?.decoding ?? {}) })
          }
        />
        <RunControls run={run} cancel={cancel} busy={busy} canRun={canRun} cancelling={view.cancelling} />
        <OutputPanel view={serverField ? { ...view, phase: 'idle' } : view} />
      </Stack>
    </Box>
  );
}

function ModelStatus({ loading, ready }: { loading: boolean; ready: boolean }) {
  if (loading)
    return <Chip size="small" label="Loading model…" data-testid="playground-model-status" data-state="loading" />;
  if (ready)
    return (
      <Chip
        size="small"
        color="success"
        variant="outlined"
        label="Model ready"
        data-testid="playground-model-status"
        data-state="ready"
      />
    );
  return null;
}
