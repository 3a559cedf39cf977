// Portal mode's whole app: a reviewer on another machine, reached through a share link, sees only the blinded queue
// of that one round (the same QueueView as in the Review section) under a minimal bar with the round's name and
// progress. Everything comes from the reviewer methods over the share server; there is no workspace, user or event.
import { AppBar, Box, LinearProgress, Toolbar, Typography } from '@mui/material';
import { useCallback } from 'react';
import { ApiProvider, useLoad, type ApiConnection } from '../../api';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { ErrorAlert, ErrorReporter } from '../../components/ErrorReporter';
import { ThemeModeProvider } from '../../theme/ThemeModeProvider';
import { QueueView } from '../review/QueueView';

export function PortalApp({ connection, roundId }: { connection: ApiConnection; roundId: string }) {
  return (
    <ThemeModeProvider>
      <ErrorBoundary>
        <ErrorReporter>
          <ApiProvider value={connection}>
            <PortalShell roundId={roundId} />
          </ApiProvider>
        </ErrorReporter>
      </ErrorBoundary>
    </ThemeModeProvider>
  );
}

function PortalShell({ roundId }: { roundId: string }) {
  const queue = useLoad((api) => api.reviews.queue({ roundId }), [roundId]);
  const { reload } = queue;
  const onProgress = useCallback(() => reload(), [reload]);
  const round = queue.data?.round;
  return (
    <Box data-testid="portal" sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <AppBar position="static" color="default" elevation={0}>
        <Toolbar variant="dense" sx={{ gap: 2 }}>
          <Typography variant="subtitle1" component="h1" sx={{ fontWeight: 500 }}>
            Dovetail review
          </Typography>
          <Typography variant="subtitle1" color="text.secondary" sx={{ flex: 1 }} data-testid="portal-round">
            {round?.name ?? ''}
          </Typography>
          {queue.data && (
            <Typography variant="body2" data-testid="portal-progress">
              {queue.data.done} / {queue.data.items.length} judged
            </Typography>
          )}
        </Toolbar>
      </AppBar>
      <Box sx={{ p: 2, maxWidth: 1400, mx: 'auto' }}>
        {/* The queue is mounted once: reloading the bar's progress must not reset the reviewer's place. */}
        {round ? (
          <QueueView round={round} onProgress={onProgress} />
        ) : queue.error ? (
          <ErrorAlert error={queue.error} testId="portal-error" />
        ) : (
          <LinearProgress aria-label="Loading the round" />
        )}
      </Box>
    </Box>
  );
}
