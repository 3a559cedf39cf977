// The editable template: name (a new template only), the Jinja source in the Monaco TemplateEditor, the chat switch
// and system message, a version message and "Save version" (Ctrl/Cmd+S, bound by the workbench). A save error from
// the service (a parse error with its hint, a missing name) shows here; nothing is saved then.
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Chip,
  CircularProgress,
  FormControlLabel,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { lazy, Suspense } from 'react';
import { UserError } from '../../../../shared/errors';
import { ErrorAlert } from '../../components/ErrorReporter';
import { fieldErrorText } from '../../components/error-text';
import { MOD_KEY_LABEL } from '../shell/useShortcuts';
import { saveErrorPart } from './format';

const TemplateEditor = lazy(() => import('../../editor/TemplateEditor'));
const EMPTY: readonly string[] = [];

export interface TemplateDraft {
  readonly name: string;
  readonly source: string;
  readonly system: string;
  readonly chat: boolean;
  readonly message: string;
}

export interface TemplateFormProps {
  readonly draft: TemplateDraft;
  readonly onChange: (draft: TemplateDraft) => void;
  readonly isNew: boolean;
  /**
   * Changes when the source is replaced from outside (restore, examples loop, starting template): the editor reloads.
   */
  readonly editorKey: number;
  /** What the draft reads, from the last version of it that parsed. */
  readonly fields: readonly string[];
  readonly parses: boolean;
  readonly dirty: boolean;
  readonly saving: boolean;
  readonly saveError: unknown;
  /** A line after a save ("Saved version 2"), or null. */
  readonly notice: string | null;
  readonly onSave: () => void;
  readonly onInsertExamples: () => void;
  /** Opens guided mode (absent: no button). */
  readonly onGuided?: () => void;
  /** For the editor's completion and hover: the preview dataset's fields, reference and current row. */
  readonly datasetFields?: readonly string[];
  readonly reference?: string | null;
  readonly row?: Readonly<Record<string, unknown>> | null;
}

export function TemplateForm(props: TemplateFormProps) {
  const {
    draft,
    onChange,
    isNew,
    editorKey,
    fields,
    parses,
    dirty,
    saving,
    saveError,
    notice,
    onSave,
    onInsertExamples,
    onGuided,
    datasetFields,
    reference,
    row,
  } = props;
  const part = saveErrorPart(saveError);
  const nameError = part === 'name' && saveError instanceof UserError ? fieldErrorText(saveError) : undefined;
  const set = <K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <Stack spacing={2} data-testid="template-form">
      {isNew && (
        <TextField
          label="Template name"
          size="small"
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
          error={nameError !== undefined}
          helperText={nameError ?? 'A new template needs a name.'}
          slotProps={{ htmlInput: { 'data-testid': 'template-name' } }}
        />
      )}
      <Suspense fallback={<CircularProgress size={24} />}>
        <TemplateEditor
          key={editorKey}
          initialValue={draft.source}
          onChange={(source) => set('source', source)}
          ariaLabel="Prompt template"
          testId="template-editor"
          height={260}
          fields={datasetFields ?? EMPTY}
          reference={reference ?? null}
          row={row ?? null}
        />
      </Suspense>
      <Stack
        direction="row"
        spacing={1}
        useFlexGap
        sx={{ alignItems: 'center', flexWrap: 'wrap', minHeight: 32 }}
        data-testid="template-fields"
      >
        <Typography variant="body2" color="text.secondary">
          Fields used:
        </Typography>
        {fields.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            none yet
          </Typography>
        ) : (
          fields.map((field) => <Chip key={field} label={field} size="small" />)
        )}
        {!parses && (
          <Chip
            size="small"
            color="warning"
            variant="outlined"
            label="not parsed yet"
            data-testid="template-unparsed"
          />
        )}
        <Box sx={{ flex: 1 }} />
        {onGuided && (
          <Button size="small" onClick={onGuided} data-testid="template-guided">
            Guided…
          </Button>
        )}
        <Button size="small" onClick={onInsertExamples} data-testid="template-insert-examples">
          Insert examples loop
        </Button>
      </Stack>
      {part === 'source' && saveError instanceof UserError ? (
        <Alert severity="error" data-testid="template-save-error">
          <AlertTitle>{saveError.message}</AlertTitle>
          {saveError.hint}
        </Alert>
      ) : (
        part === null && <ErrorAlert error={saveError} testId="template-save-error" />
      )}
      <Box>
        <FormControlLabel
          control={
            <Switch
              checked={draft.chat}
              onChange={(e) => set('chat', e.target.checked)}
              slotProps={{ input: { 'aria-label': 'Chat' } }}
              data-testid="template-chat"
            />
          }
          label="Chat"
        />
        <Typography variant="caption" color="text.secondary" component="p">
          {draft.chat
            ? "On: the text is sent as a user turn through the model's chat template."
            : 'Off: raw completion, the model continues the text as it is.'}
        </Typography>
      </Box>
      <TextField
        label="System message (optional)"
        size="small"
        multiline
        maxRows={6}
        value={draft.system}
        disabled={!draft.chat}
        onChange={(e) => set('system', e.target.value)}
        helperText={draft.chat ? 'Sent before the user turn.' : 'Used only with chat on.'}
        slotProps={{ htmlInput: { 'data-testid': 'template-system' } }}
      />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label="Version message"
          size="small"
          value={draft.message}
          onChange={(e) => set('message', e.target.value)}
          helperText="What changed, for the version list."
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'template-message', maxLength: 500 } }}
        />
        <Button
          variant="contained"
          onClick={onSave}
          disabled={saving || (!isNew && !dirty)}
          data-testid="template-save"
          sx={{ mt: 0.25 }}
        >
          Save version
        </Button>
      </Stack>
      <Typography variant="caption" color="text.secondary" data-testid="template-save-status" role="status">
        {saving
          ? 'Saving…'
          : (notice ??
            (isNew
              ? `${MOD_KEY_LABEL}+S saves the first version.`
              : dirty
                ? `Unsaved changes. ${MOD_KEY_LABEL}+S saves a new version.`
                : 'No changes since the latest version.'))}
      </Typography>
    </Stack>
  );
}
