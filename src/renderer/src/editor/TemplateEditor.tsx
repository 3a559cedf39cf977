// A Monaco editor for prompt templates, themed with the app. Loaded lazily: Monaco is large and most screens
// do not need it. Uncontrolled (initialValue): feeding every keystroke back as `value` races fast typing.
// Parse errors of @huggingface/jinja show as an inline marker (template-diagnostics.ts) and as a line under the
// editor; completion and hover use the dataset's fields and the preview row (setTemplateContext).
import Editor, { type OnMount } from '@monaco-editor/react';
import { Box, CircularProgress, Typography } from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import { useThemeMode } from '../theme/ThemeModeProvider';
import { monaco } from './monaco-setup';
import { templateDiagnostic, type TemplateDiagnostic } from './template-diagnostics';
import { setTemplateContext, TEMPLATE_LANGUAGE_ID } from './template-language';

export interface TemplateEditorProps {
  readonly initialValue: string;
  onChange(value: string): void;
  readonly ariaLabel: string;
  readonly height?: number | string;
  readonly testId?: string;
  /** The dataset's field names, offered by completion. */
  readonly fields?: readonly string[];
  /** The preview row, whose values show on hover. */
  readonly row?: Readonly<Record<string, unknown>> | null;
  readonly reference?: string | null;
}

const MARKER_OWNER = 'dovetail-template';
const SETTLE_MS = 200;

export default function TemplateEditor({
  initialValue,
  onChange,
  ariaLabel,
  height = 240,
  testId,
  fields = [],
  row = null,
  reference = null,
}: TemplateEditorProps) {
  const { mode } = useThemeMode();
  const [model, setModel] = useState<ReturnType<Parameters<OnMount>[0]['getModel']>>(null);
  const [diagnostic, setDiagnostic] = useState<TemplateDiagnostic | null>(() => templateDiagnostic(initialValue));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const check = (text: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setDiagnostic(templateDiagnostic(text)), SETTLE_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    if (!model) return;
    const uri = model.uri.toString();
    setTemplateContext(uri, { fields, row, reference });
    return () => setTemplateContext(uri, null);
  }, [model, fields, row, reference]);

  useEffect(() => {
    if (!model || model.isDisposed()) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      diagnostic ? [{ ...diagnostic, severity: monaco.MarkerSeverity.Error, source: 'template parser' }] : [],
    );
  }, [model, diagnostic]);

  return (
    <Box>
      <Box
        data-testid={testId}
        sx={{ border: 1, borderColor: diagnostic ? 'error.main' : 'divider', borderRadius: 1, overflow: 'hidden' }}
      >
        <Editor
          height={height}
          language={TEMPLATE_LANGUAGE_ID}
          theme={mode === 'dark' ? 'vs-dark' : 'vs'}
          defaultValue={initialValue}
          onMount={(editor) => setModel(editor.getModel())}
          onChange={(next) => {
            onChange(next ?? '');
            check(next ?? '');
          }}
          loading={<CircularProgress size={24} />}
          options={{
            ariaLabel,
            minimap: { enabled: false },
            wordWrap: 'on',
            fontSize: 14,
            lineNumbers: 'on',
            scrollBeyondLastLine: false,
            automaticLayout: true,
            renderLineHighlight: 'none',
            folding: true,
            showFoldingControls: 'always',
            matchBrackets: 'always',
            hover: { enabled: 'on', delay: 300 },
            // Enter inserts a line; a suggestion is taken with Tab, so typing prose never picks a word by accident.
            acceptSuggestionOnEnter: 'off',
          }}
        />
      </Box>
      {diagnostic && (
        <Typography
          variant="caption"
          color="error"
          component="p"
          role="alert"
          data-testid={testId ? `${testId}-error` : undefined}
          sx={{ mt: 0.5 }}
        >
          Line {diagnostic.startLineNumber}, column {diagnostic.startColumn}: {diagnostic.message}
        </Typography>
      )}
    </Box>
  );
}
