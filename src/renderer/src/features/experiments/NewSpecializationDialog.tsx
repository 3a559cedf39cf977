// "New specialization": a base model plus optional LoRA, soft prompt (a chosen adapter fills in the template it was
// trained with), template version and demonstration set, and its decoding (greedy unless sampling). The service's
// errors show at their field, or above the buttons with the hint.
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { Specialization } from '../../../../shared/contract';
import { UserError } from '../../../../shared/errors';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { MOD_KEY_LABEL } from '../shell/useShortcuts';
import {
  adaptersFor,
  emptySpecializationForm,
  specFieldOfWhere,
  toCreateSpecialization,
  withAdapterDefaults,
  type SpecErrors,
  type SpecializationForm,
} from './specialization-form';
import { useSpecializationParts } from './useExperimentsData';
import { SampleSwitch } from './SampleSwitch';
import { useRunShortcuts } from '../../components/useRunShortcuts';

export function NewSpecializationDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (s: Specialization & { warnings: string[] }) => void;
}) {
  const api = useApi();
  const { models, adapters, templates, demonstrations } = useSpecializationParts();
  const modelList = models.data ?? [];
  const [form, setForm] = useState<SpecializationForm>(() => emptySpecializationForm(''));
  const modelId = form.modelId || (modelList.find((m) => m.available)?.id ?? modelList[0]?.id ?? '');
  const [errors, setErrors] = useState<SpecErrors>({});
  const { busy, error: failure, submit: send } = useSubmit();
  const versions = useLoad(
    (a) => (form.templateId === '' ? Promise.resolve([]) : a.templates.versions({ templateId: form.templateId })),
    [form.templateId],
  );
  const set = <K extends keyof SpecializationForm>(key: K, value: SpecializationForm[K]) => {
    setForm((f) => ({ ...f, modelId, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  /** A chosen adapter brings the template it was trained with (when none is chosen yet). */
  const chooseAdapter = (key: 'loraAdapterId' | 'softPromptAdapterId', id: string) => {
    set(key, id);
    const adapter = (adapters.data ?? []).find((a) => a.id === id);
    if (!adapter) return;
    void api.adapters.get({ id }).then(
      async (d) => {
        const versionId = d.training?.templateVersionId ?? null;
        const version = versionId === null ? null : await api.templates.version({ id: versionId });
        setForm((f) =>
          withAdapterDefaults(
            { ...f, modelId, [key]: id },
            adapter,
            version ? { templateId: version.templateId, templateVersionId: version.id } : null,
          ),
        );
      },
      () => undefined,
    );
  };
  const loras = adaptersFor(adapters.data ?? [], modelId, 'lora');
  const softPrompts = adaptersFor(adapters.data ?? [], modelId, 'softPrompt');
  const templateList = templates.data ?? [];
  const versionList =
    versions.data && versions.data.length > 0
      ? versions.data
      : templateList.filter((t) => t.id === form.templateId).map((t) => t.latest);

  const submit = () => {
    if (busy) return;
    const out = toCreateSpecialization({ ...form, modelId });
    if ('errors' in out) {
      setErrors(out.errors);
      return;
    }
    void send(async () => {
      try {
        onCreated(await api.specializations.create(out.arg));
      } catch (error) {
        // An error naming a field of the form is shown at that field; the rest under the form.
        const field = error instanceof UserError ? specFieldOfWhere(error.where) : undefined;
        if (!field || !(error instanceof UserError)) throw error;
        setErrors({ [field]: error.hint ? `${error.message}. ${error.hint}` : error.message });
      }
    });
  };
  const onKeyDown = useRunShortcuts({ run: submit });
  const field = (key: keyof SpecErrors, helper = ' ') => ({
    error: errors[key] !== undefined,
    helperText: errors[key] ?? helper,
  });
  const testId = (id: string) => ({ htmlInput: { 'data-testid': id } });
  const selectTestId = (id: string) => ({ select: { SelectDisplayProps: { 'data-testid': id } as object } });
  const adapterSelect = (
    key: 'loraAdapterId' | 'softPromptAdapterId',
    label: string,
    list: typeof loras,
    help: string,
    testId: string,
  ) => (
    <TextField
      select
      label={label}
      size="small"
      fullWidth
      value={form[key]}
      onChange={(e) => chooseAdapter(key, e.target.value)}
      {...field(key, help)}
      slotProps={selectTestId(testId)}
    >
      <MenuItem value="">None</MenuItem>
      {list.map((a) => (
        <MenuItem key={a.id} value={a.id}>
          {a.name} ({a.method})
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth onKeyDown={onKeyDown} data-testid="specialization-dialog">
      <DialogTitle>New specialization</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          A base model and the parts that specialize it. Every part is optional; an ablation later measures what each
          one adds.
        </Typography>
        <Stack spacing={1}>
          <Stack direction="row" spacing={2}>
            <TextField
              label="Name"
              size="small"
              autoFocus
              fullWidth
              value={form.name}
              onChange={(e) => set('name', e.target.value)}
              {...field('name')}
              slotProps={testId('spec-name')}
            />
            <TextField
              select
              label="Base model"
              size="small"
              fullWidth
              value={modelId}
              onChange={(e) =>
                setForm((f) => ({ ...f, modelId: e.target.value, loraAdapterId: '', softPromptAdapterId: '' }))
              }
              {...field('modelId')}
              slotProps={selectTestId('spec-model')}
            >
              {modelList.map((m) => (
                <MenuItem key={m.id} value={m.id} disabled={!m.available}>
                  {m.name}
                  {m.available ? '' : ' (unavailable)'}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          <Stack direction="row" spacing={2}>
            {adapterSelect(
              'loraAdapterId',
              'LoRA adapter',
              loras,
              loras.length === 0
                ? 'No LoRA adapters for this model yet (train one in Adapters)'
                : 'Adapters of this model with a LoRA part',
              'spec-lora',
            )}
            {adapterSelect(
              'softPromptAdapterId',
              'Soft prompt',
              softPrompts,
              softPrompts.length === 0
                ? 'No soft prompts for this model yet'
                : 'Adapters of this model with a soft prompt',
              'spec-soft-prompt',
            )}
          </Stack>
          <Stack direction="row" spacing={2}>
            <TextField
              select
              label="Prompt template"
              size="small"
              fullWidth
              value={form.templateId}
              onChange={(e) => {
                const t = templateList.find((x) => x.id === e.target.value);
                setForm((f) => ({ ...f, modelId, templateId: e.target.value, templateVersionId: t?.latest.id ?? '' }));
              }}
              {...field(
                'templateVersionId',
                templateList.length === 0
                  ? 'No templates yet (write one in Prompts)'
                  : 'None: the input fields are sent as they are',
              )}
              slotProps={selectTestId('spec-template')}
            >
              <MenuItem value="">None</MenuItem>
              {templateList.map((t) => (
                <MenuItem key={t.id} value={t.id}>
                  {t.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Template version"
              size="small"
              fullWidth
              disabled={form.templateId === ''}
              value={form.templateVersionId}
              onChange={(e) => set('templateVersionId', e.target.value)}
              helperText=" "
              slotProps={selectTestId('spec-template-version')}
            >
              {versionList.map((v) => (
                <MenuItem key={v.id} value={v.id}>
                  v{v.version}
                  {v.message ? ` · ${v.message}` : ''}
                  {v.fields.length > 0 ? ` · reads ${v.fields.join(', ')}` : ''}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          <TextField
            select
            label="Demonstrations"
            size="small"
            value={form.demonstrationSetVersionId}
            onChange={(e) => set('demonstrationSetVersionId', e.target.value)}
            {...field('demonstrationSetVersionId', 'Worked examples shown before each input')}
            slotProps={selectTestId('spec-demonstrations')}
          >
            <MenuItem value="">None</MenuItem>
            {(demonstrations.data ?? []).map((d) => (
              <MenuItem key={d.id} value={d.id}>
                {d.name} v{d.version} ({d.rowKeys.length} examples)
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2 }}>
            <Typography variant="subtitle2" sx={{ mb: 1 }}>
              Decoding
            </Typography>
            <SampleSwitch checked={form.doSample} onChange={(on) => set('doSample', on)} />
            <Stack direction="row" spacing={2} sx={{ mt: 1 }}>
              <TextField
                label="Max new tokens"
                size="small"
                value={form.maxNewTokens}
                onChange={(e) => set('maxNewTokens', e.target.value)}
                {...field('maxNewTokens', "Blank: the model's default")}
                slotProps={testId('spec-max-new-tokens')}
              />
              {form.doSample && (
                <>
                  <TextField
                    label="Temperature"
                    size="small"
                    value={form.temperature}
                    onChange={(e) => set('temperature', e.target.value)}
                    {...field('temperature')}
                    slotProps={testId('spec-temperature')}
                  />
                  <TextField
                    label="Top-p"
                    size="small"
                    value={form.topP}
                    onChange={(e) => set('topP', e.target.value)}
                    {...field('topP')}
                    slotProps={testId('spec-top-p')}
                  />
                  <TextField
                    label="Seed"
                    size="small"
                    value={form.seed}
                    onChange={(e) => set('seed', e.target.value)}
                    {...field('seed')}
                    slotProps={testId('spec-seed')}
                  />
                </>
              )}
            </Stack>
            <TextField
              label="Stop strings"
              size="small"
              fullWidth
              multiline
              minRows={1}
              maxRows={4}
              sx={{ mt: 1 }}
              value={form.stopStrings}
              onChange={(e) => set('stopStrings', e.target.value)}
              {...field('stopStrings', 'One per line; write \\n for a line break')}
              slotProps={testId('spec-stop-strings')}
            />
          </Box>
          {modelList.length === 0 && models.data !== undefined && (
            <Alert severity="info">Add a base model on the Models screen first.</Alert>
          )}
          <ErrorAlert error={failure} testId="spec-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1, pl: 2 }}>
          {MOD_KEY_LABEL}+Enter creates it
        </Typography>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={submit} disabled={busy || modelId === ''} data-testid="spec-create">
          Create
        </Button>
      </DialogActions>
    </Dialog>
  );
}
