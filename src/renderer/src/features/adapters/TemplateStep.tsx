// The wizard's Template step: for a dataset source a saved template version (rendered exactly as experiments render
// it) or an inline prompt over the row's fields by name; for a JSONL file the inline prompt with {{ input }}. The
// preview is the estimate's first rendered (prompt, target) pair.
import { Box, Button, Checkbox, FormControlLabel, Link, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { TemplateSummary, TrainingEstimate } from '../../../../shared/contract';
import { useLoad, type Loaded } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { TemplateWarnings } from '../../components/TemplateWarnings';
import { sectionHref } from '../shell/useSection';
import { withInlinePrompt, type Choices, type WizardForm } from './wizard-form';

const INLINE = '__inline__';
const mono = {
  fontFamily: 'monospace',
  whiteSpace: 'pre-wrap',
  bgcolor: 'action.hover',
  p: 1.5,
  borderRadius: 1,
} as const;

interface Props {
  form: WizardForm;
  choices: Choices;
  templates: Loaded<TemplateSummary[]>;
  preview: TrainingEstimate['preview'] | undefined;
  /** Names the prompt reads that rows do not set (rendered as empty text). */
  warnings: readonly string[] | undefined;
  /** Personal data in the training rows: a link to the version's scan. */
  personalData: TrainingEstimate['personalData'];
  busy: boolean;
  /** Changes the form; with refresh, renders the preview again for the changed form. */
  update: (change: (f: WizardForm) => WizardForm, refresh?: boolean) => void;
  onRefresh: () => void;
}

export function TemplateStep({
  form,
  choices,
  templates,
  preview,
  warnings,
  personalData,
  busy,
  update,
  onRefresh,
}: Props) {
  const list = templates.data ?? [];
  const saved = form.source === 'dataset' ? choices.template : null;
  const versions = useLoad(
    (a) => (saved === null ? Promise.resolve([]) : a.templates.versions({ templateId: saved.templateId })),
    [saved?.templateId],
  );
  const versionOptions = saved === null ? [] : versions.data?.some((v) => v.id === saved.id) ? versions.data : [saved];
  const chooseTemplate = (id: string) => {
    if (id === INLINE) return update((f) => withInlinePrompt(f, choices), true);
    const t = list.find((x) => x.id === id);
    if (t) update((f) => ({ ...f, template: { kind: 'saved', version: t.latest } }), true);
  };
  const chooseVersion = (id: string) => {
    const v = versionOptions.find((x) => x.id === id);
    if (v) update((f) => ({ ...f, template: { kind: 'saved', version: v } }), true);
  };
  const fields = choices.dataset?.fields.map((f) => f.name).filter((n) => n !== choices.dataset?.roles.reference) ?? [];
  return (
    <Stack spacing={2}>
      {form.source === 'dataset' && (
        <Stack direction="row" spacing={2}>
          <TextField
            select
            label="Prompt"
            size="small"
            value={saved?.templateId ?? INLINE}
            onChange={(e) => chooseTemplate(e.target.value)}
            data-testid="wizard-template"
            sx={{ flex: 2 }}
          >
            {list.map((t) => (
              <MenuItem key={t.id} value={t.id}>
                {t.name}
              </MenuItem>
            ))}
            <MenuItem value={INLINE}>Write a prompt here…</MenuItem>
          </TextField>
          {saved && (
            <TextField
              select
              label="Version"
              size="small"
              value={saved.id}
              onChange={(e) => chooseVersion(e.target.value)}
              data-testid="wizard-template-version"
              sx={{ flex: 1 }}
            >
              {versionOptions.map((v) => (
                <MenuItem key={v.id} value={v.id}>{`v${v.version} · ${v.createdAt.slice(0, 10)}`}</MenuItem>
              ))}
            </TextField>
          )}
        </Stack>
      )}
      <ErrorAlert error={templates.error ?? versions.error} testId="wizard-templates-error" />
      {saved ? (
        <Box data-testid="wizard-template-source">
          <Typography variant="caption" color="text.secondary">
            {saved.name} v{saved.version}
            {saved.chat ? ", sent through the model's chat template" : ', raw completion text'}
            {saved.message ? `: ${saved.message}` : ''}
          </Typography>
          <Box sx={mono}>{saved.source}</Box>
        </Box>
      ) : (
        <>
          <TextField
            label={
              form.source === 'dataset'
                ? "Prompt template (Jinja over the row's fields by name)"
                : "Prompt template (Jinja; the row's fields and {{ input }})"
            }
            helperText={
              form.source === 'dataset' && choices.dataset
                ? `Fields: ${fields.join(', ')}. The reference field "${choices.dataset.roles.reference}" is the target and never reaches the prompt.`
                : undefined
            }
            multiline
            minRows={3}
            value={form.source === 'dataset' ? choices.prompt : form.prompt}
            onChange={(e) => {
              const v = e.target.value;
              update((f) => (f.source === 'dataset' ? { ...f, inlinePrompt: v } : { ...f, prompt: v }));
            }}
            slotProps={{ htmlInput: { 'data-testid': 'wizard-prompt' } }}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={form.chat}
                onChange={(e) => {
                  const c = e.target.checked;
                  update((f) => ({ ...f, chat: c }));
                }}
              />
            }
            label="Wrap the prompt in the model's chat template"
          />
        </>
      )}
      <Button
        variant="outlined"
        onClick={onRefresh}
        disabled={busy}
        sx={{ alignSelf: 'flex-start' }}
        data-testid="wizard-refresh-preview"
      >
        Refresh preview
      </Button>
      <TemplateWarnings warnings={warnings} testId="wizard-template-warnings" />
      {personalData && (
        <Link
          href={sectionHref('datasets', { version: personalData.datasetVersionId, scan: '1' })}
          data-testid="wizard-personal-data-link"
        >
          See the {personalData.findings} personal-data findings and redact them
        </Link>
      )}
      {preview && (
        <Box data-testid="wizard-preview" sx={mono}>
          <b>prompt:</b> {preview.prompt}
          {'\n'}
          <b>target:</b> {preview.target}
        </Box>
      )}
    </Stack>
  );
}
