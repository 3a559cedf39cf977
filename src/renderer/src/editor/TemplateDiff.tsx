// Monaco's diff editor over two template texts (read-only, side by side), with the template language's highlighting.
// The two text models are kept by the wrapper on unmount and disposed here a tick later, after the widget: disposing
// them first is an error in Monaco ("TextModel got disposed before DiffEditorWidget model got reset").
import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { Box, CircularProgress } from '@mui/material';
import { useEffect, useRef } from 'react';
import { useThemeMode } from '../theme/ThemeModeProvider';
import './monaco-setup';
import { TEMPLATE_LANGUAGE_ID } from './template-language';

export default function TemplateDiff({
  original,
  modified,
  height = 320,
  testId,
}: {
  original: string;
  modified: string;
  height?: number;
  testId?: string;
}) {
  const { mode } = useThemeMode();
  const models = useRef<{ dispose(): void }[]>([]);
  const onMount: DiffOnMount = (editor) => {
    const m = editor.getModel();
    if (m) models.current = [m.original, m.modified];
  };
  useEffect(
    () => () => {
      const owned = models.current;
      setTimeout(() => owned.forEach((m) => m.dispose()), 0);
    },
    [],
  );
  return (
    <Box data-testid={testId} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, overflow: 'hidden' }}>
      <DiffEditor
        height={height}
        language={TEMPLATE_LANGUAGE_ID}
        theme={mode === 'dark' ? 'vs-dark' : 'vs'}
        original={original}
        modified={modified}
        loading={<CircularProgress size={24} />}
        onMount={onMount}
        keepCurrentOriginalModel
        keepCurrentModifiedModel
        options={{
          readOnly: true,
          originalEditable: false,
          renderSideBySide: true,
          minimap: { enabled: false },
          wordWrap: 'on',
          scrollBeyondLastLine: false,
          automaticLayout: true,
        }}
      />
    </Box>
  );
}
