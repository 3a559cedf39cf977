// In the example drawer: what each model-graded metric's judge was asked about this output and what it answered,
// raw, with the score read from it or why none could be (an unparseable answer is shown, never scored).
import { Box, Chip, Stack, Typography } from '@mui/material';
import type { ExampleDetails } from '../../../../shared/contract';

type Cell = ExampleDetails['cells'][number];

const mono = { fontFamily: 'monospace', fontSize: 13, whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;

export function JudgeAnswers({ cell }: { cell: Cell }) {
  const judged = cell.output.judged ?? [];
  if (judged.length === 0) return null;
  return (
    <Stack spacing={1} sx={{ mt: 1 }}>
      {judged.map((j) => {
        const prompt = cell.judgePrompts?.find((p) => p.metric === j.metric);
        return (
          <Box key={j.metric} data-testid="example-judge">
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
                Judge{prompt ? ` “${prompt.judge}”` : ''} for {j.label}
              </Typography>
              <Chip
                size="small"
                variant="outlined"
                color={j.score === null ? 'warning' : 'default'}
                label={j.answer === null ? 'not judged yet' : j.score === null ? 'unparseable' : `score ${j.score}`}
                data-testid="example-judge-score"
              />
            </Stack>
            {prompt && (
              <Box
                sx={{ ...mono, bgcolor: 'action.hover', p: 1, borderRadius: 1, maxHeight: 160, overflow: 'auto' }}
                data-testid="example-judge-prompt"
              >
                {prompt.prompt}
              </Box>
            )}
            <Box sx={{ ...mono, p: 1 }} data-testid="example-judge-answer">
              {j.answer ?? '—'}
            </Box>
            {j.score === null && j.reason && (
              <Typography variant="caption" color="warning.main">
                {j.reason}
              </Typography>
            )}
          </Box>
        );
      })}
    </Stack>
  );
}
