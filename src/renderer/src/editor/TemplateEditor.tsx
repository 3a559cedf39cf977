// A Monaco editor for prompt templates, themed with the app. Loaded lazily: Monaco is large and most screens
// do not need it. Uncontrolled (initialValue): feeding every keystroke back as `value` races fast typing.
import Editor from '@monaco-editor/react';
import { Box, CircularProgress } from '@mui/material';
import { useThemeMode } from '../theme/ThemeModeProvider';
import './monaco-setup';
import { TEMPLATE_LANGUAGE_ID } from './template-language';

export interface TemplateEditorProps {
  readonly initialValue: string;
  onChange(value: string): void;
  readonly ariaLabel: string;
  readonly height?: number | string;
  readonly testId?: string;
}

export default function TemplateEditor({ initialValue, onChange, ariaLabel, height = 240, testId }: TemplateEditorProps) {
  const { mode } = useThemeMode();
  return (
    <Box data-testid={testId} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, overflow: 'hidden' }}>
      <Editor
        height={height}
        language={TEMPLATE_LANGUAGE_ID}
        theme={mode === 'dark' ? 'vs-dark' : 'vs'}
        defaultValue={initialValue}
        onChange={(next) => onChange(next ?? '')}
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
        }}
      />
    </Box>
  );
}
