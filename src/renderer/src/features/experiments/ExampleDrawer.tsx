// One example in depth (experiments.example): its input and reference, and per cell the prompt exactly as rendered
// (chat or raw, with the system message), the output with its differences, tokens, time to first token and latency.
import CloseIcon from '@mui/icons-material/Close';
import { Box, Chip, CircularProgress, Divider, Drawer, IconButton, Paper, Stack, Typography } from '@mui/material';
import type { Experiment } from '../../../../shared/contract';
import { METRIC_BINARY, type MetricKind } from '../../../../shared/metrics';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { DiffText, useScoreTint } from './DiffText';
import { formatMs, formatValue } from './format';
import { JudgeAnswers } from './JudgeAnswers';

const mono = { fontFamily: 'monospace', fontSize: 13, whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;

export function ExampleDrawer({
  experiment,
  exampleIdx,
  onClose,
}: {
  experiment: Experiment;
  exampleIdx: number;
  onClose: () => void;
}) {
  const details = useLoad((a) => a.experiments.example({ id: experiment.id, exampleIdx }), [experiment.id, exampleIdx]);
  const tint = useScoreTint();
  const d = details.data;
  const primary = experiment.spec.metrics[0];
  return (
    <Drawer anchor="right" open onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', md: 760 } } } }}>
      <Box sx={{ p: 2 }} data-testid="example-drawer">
        <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
          <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
            Example {exampleIdx + 1}
            {d ? (
              <Typography component="span" color="text.secondary">
                {' '}
                · {d.key}
              </Typography>
            ) : null}
          </Typography>
          <IconButton onClick={onClose} aria-label="Close (Esc)">
            <CloseIcon />
          </IconButton>
        </Stack>
        {!d ? (
          details.error ? (
            <ErrorAlert error={details.error} />
          ) : (
            <CircularProgress aria-label="Loading the example" />
          )
        ) : (
          <Stack spacing={2}>
            <Box>
              {Object.entries(d.input).map(([k, v]) => (
                <Box key={k} sx={{ mb: 1 }}>
                  <Typography variant="overline" color="text.secondary">
                    {k}
                  </Typography>
                  <Box sx={mono}>{typeof v === 'string' ? v : JSON.stringify(v, null, 2)}</Box>
                </Box>
              ))}
              <Typography variant="overline" color="text.secondary">
                reference
              </Typography>
              <Box sx={mono} data-testid="example-reference">
                {d.reference ?? '—'}
              </Box>
            </Box>
            <Divider />
            {d.cells.map((c) => {
              const { cell, prompt, system, chat, output } = c;
              return (
                <Paper key={cell.specializationId} variant="outlined" sx={{ p: 1.5 }} data-testid="example-cell">
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
                    <Typography variant="subtitle2" sx={{ flex: 1 }}>
                      {cell.label}
                    </Typography>
                    <Chip size="small" variant="outlined" label={chat ? 'chat template' : 'raw text'} />
                    {output.finishReason && (
                      <Chip size="small" variant="outlined" label={`ended: ${output.finishReason}`} />
                    )}
                    {output.score !== null && primary && (
                      <Chip
                        size="small"
                        label={scoreLabel(output.score, primary.kind)}
                        sx={{ bgcolor: tint(output.score) }}
                        data-testid="example-score"
                      />
                    )}
                  </Stack>
                  {system && (
                    <>
                      <Typography variant="caption" color="text.secondary">
                        System
                      </Typography>
                      <Box sx={{ ...mono, bgcolor: 'action.hover', p: 1, borderRadius: 1, mb: 1 }}>{system}</Box>
                    </>
                  )}
                  <Typography variant="caption" color="text.secondary">
                    {chat ? 'User turn' : 'Prompt'}
                  </Typography>
                  <Box
                    sx={{ ...mono, bgcolor: 'action.hover', p: 1, borderRadius: 1, maxHeight: 260, overflow: 'auto' }}
                    data-testid="example-prompt"
                  >
                    {prompt}
                  </Box>
                  <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }}>
                    Output
                  </Typography>
                  <Box
                    sx={{ ...mono, p: 1, borderRadius: 1, bgcolor: tint(output.score) }}
                    data-testid="example-output"
                  >
                    {output.text === null ? (
                      <Typography variant="body2" color="text.disabled">
                        not generated yet
                      </Typography>
                    ) : (
                      <DiffText base={d.reference} text={output.text} />
                    )}
                  </Box>
                  <Typography
                    variant="caption"
                    color="text.secondary"
                    component="div"
                    sx={{ mt: 1 }}
                    data-testid="example-stats"
                  >
                    {output.promptTokens ?? '—'} prompt tokens · {output.generatedTokens ?? '—'} output tokens · first
                    token {formatMs(output.timeToFirstTokenMs)} · total {formatMs(output.totalMs)}
                  </Typography>
                  <JudgeAnswers cell={c} />
                </Paper>
              );
            })}
          </Stack>
        )}
      </Box>
    </Drawer>
  );
}

function scoreLabel(score: number, kind: MetricKind): string {
  if (kind === 'length') return `length ${formatValue(score, kind)}`;
  if (METRIC_BINARY[kind]) return score >= 1 ? 'pass' : 'fail';
  return `score ${formatValue(score, kind)}`;
}
