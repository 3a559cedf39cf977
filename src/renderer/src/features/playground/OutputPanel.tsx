// The Playground's output: the text as it streams in, a progress line while the model works, then the run's stats
// (tokens, speed, time to first token, why it stopped, the seed) or the error, and the prompt a template rendered.
import { Alert, AlertTitle, Box, Chip, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { UserError } from '../../../../shared/errors';
import { ErrorAlert } from '../../components/ErrorReporter';
import { finishReasonText, formatMs, formatRate } from './format';
import type { RunView } from './useGenerationRun';

export function OutputPanel({ view }: { view: RunView }) {
  const row = view.result?.rows[0];
  const working = view.phase === 'starting' || view.phase === 'running';
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2, minHeight: 160 }}
      data-testid="playground-output"
      aria-live="polite"
      aria-busy={working}
    >
      {working && <LinearProgress sx={{ mb: 1.5 }} aria-label="Generating" />}
      {view.phase === 'idle' && (
        <Typography color="text.secondary" data-testid="playground-output-empty">
          The model's answer appears here as it is written.
        </Typography>
      )}
      {view.phase === 'starting' && (
        <Typography color="text.secondary" variant="body2">
          Starting… (the first run loads the model)
        </Typography>
      )}
      {(view.text !== '' || view.phase === 'running' || view.phase === 'finished') && (
        <Typography
          component="pre"
          data-testid="playground-output-text"
          sx={{ m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: 'inherit' }}
        >
          {view.text}
          {view.phase === 'running' && (
            <Box component="span" aria-hidden sx={{ opacity: 0.5 }}>
              ▍
            </Box>
          )}
        </Typography>
      )}
      {view.phase === 'running' && (
        <Typography variant="caption" color="text.secondary" data-testid="playground-progress">
          {view.cancelling ? 'Cancelling…' : `${view.generatedTokens} tokens so far`}
        </Typography>
      )}
      {view.phase === 'finished' && row && view.result && (
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 2 }} data-testid="playground-stats">
          <Stat testId="stat-tokens" label={`${row.generatedTokens} tokens (prompt ${row.promptTokens})`} />
          <Stat testId="stat-speed" label={formatRate(row.tokensPerSecond)} />
          <Stat testId="stat-ttft" label={`first token ${formatMs(row.timeToFirstTokenMs)}`} />
          <Stat testId="stat-finish" label={`stopped: ${finishReasonText(row)}`} reason={row.finishReason} />
          <Stat testId="stat-seed" label={`seed ${view.result.seed}`} />
          {view.result.loadMs > 0 && (
            <Stat testId="stat-load" label={`model loaded in ${formatMs(view.result.loadMs)}`} />
          )}
        </Stack>
      )}
      {view.phase === 'failed' && <RunError error={view.error} />}
      {view.prompt !== null && (
        <Box component="details" sx={{ mt: 2 }} data-testid="playground-prompt">
          <Typography component="summary" variant="caption" color="text.secondary" sx={{ cursor: 'pointer' }}>
            The prompt the template rendered
          </Typography>
          <Typography
            component="pre"
            variant="body2"
            data-testid="playground-prompt-text"
            sx={{
              m: 0,
              mt: 1,
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-word',
              fontFamily: 'monospace',
              bgcolor: 'action.hover',
              p: 1,
              borderRadius: 1,
            }}
          >
            {view.prompt}
          </Typography>
        </Box>
      )}
    </Paper>
  );
}

function Stat({ label, testId, reason }: { label: string; testId: string; reason?: string }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={label}
      data-testid={testId}
      {...(reason ? { 'data-reason': reason } : {})}
    />
  );
}

function RunError({ error }: { error: unknown }) {
  if (!(error instanceof UserError)) return <ErrorAlert error={error} testId="playground-error" />;
  return (
    <Alert severity="error" data-testid="playground-error">
      <AlertTitle data-testid="playground-error-message">{error.message}</AlertTitle>
      {error.hint}
      {error.where && (
        <Typography variant="caption" component="p" sx={{ mt: 1, fontFamily: 'monospace', wordBreak: 'break-all' }}>
          {error.where}
        </Typography>
      )}
    </Alert>
  );
}
