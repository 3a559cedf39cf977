// An output with the words that differ from its base (the reference or the first cell's output) highlighted, and
// a tint for its primary score. Shared by the side-by-side grid and the example drawer. An empty output reads
// "(empty)", so that it is not mistaken for a cell not shown.
import { Box } from '@mui/material';
import { alpha, useTheme } from '@mui/material/styles';
import { useMemo } from 'react';
import { scoreTone } from './format';
import { outputSegments } from './word-diff';

export function DiffText({ base, text }: { base: string | null; text: string }) {
  const segments = useMemo(
    () => (base === null ? [{ kind: 'same' as const, text }] : outputSegments(base, text)),
    [base, text],
  );
  return (
    <>
      {segments.map((s, i) =>
        s.kind === 'added' ? (
          <Box
            key={i}
            component="mark"
            sx={{ bgcolor: (t) => alpha(t.palette.warning.main, 0.3), color: 'inherit', borderRadius: 0.5 }}
            data-testid="diff-added"
          >
            {s.text}
          </Box>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** An output as the grid shows it: "(empty…)" when the model ended at once, otherwise its words against the base. */
export function OutputText({ base, text }: { base: string | null; text: string }) {
  if (text.trim() === '') {
    return (
      <Box component="span" sx={{ color: 'text.disabled', fontStyle: 'italic' }} data-testid="output-empty">
        (empty: the model ended at once)
      </Box>
    );
  }
  return <DiffText base={base} text={text} />;
}

/** The background of an output scored `score` on the primary metric: green full marks, red none, amber between. */
export function useScoreTint(): (score: number | null) => string | undefined {
  const theme = useTheme();
  return (score) => {
    const tone = scoreTone(score);
    if (tone === null) return undefined;
    const color =
      tone === 'pass'
        ? theme.palette.success.main
        : tone === 'fail'
          ? theme.palette.error.main
          : theme.palette.warning.main;
    return alpha(color, theme.palette.mode === 'dark' ? 0.22 : 0.12);
  };
}
