// A model error as the user needs it: the loader's message (which names the file and field), its hint, and the
// exact path at fault, which the shared ErrorAlert leaves out.
import { Alert, AlertTitle, Typography } from '@mui/material';
import { UserError } from '../../../../shared/errors';
import { ErrorAlert } from '../../components/ErrorReporter';

export function ModelErrorAlert({ error, testId }: { error: unknown; testId: string }) {
  if (!(error instanceof UserError)) return <ErrorAlert error={error} testId={testId} />;
  return (
    <Alert severity="error" data-testid={testId}>
      <AlertTitle data-testid={`${testId}-message`}>{error.message}</AlertTitle>
      {error.hint && <Typography variant="body2">{error.hint}</Typography>}
      {error.where && (
        <Typography
          variant="caption"
          component="p"
          sx={{ mt: 1, fontFamily: 'monospace', wordBreak: 'break-all' }}
          data-testid={`${testId}-where`}
        >
          {error.where}
        </Typography>
      )}
    </Alert>
  );
}
