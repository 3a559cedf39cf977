// An import's error as the user needs it: the first bad line and its reason as the title, the next problems listed
// (the server puts them on the message's following lines), the hint, and the file:line at fault.
import { Alert, AlertTitle, Box, Typography } from '@mui/material';
import { UserError } from '../../../../shared/errors';
import { ErrorAlert } from '../../components/ErrorReporter';

export function ImportErrorPanel({ error, testId }: { error: unknown; testId: string }) {
  if (!(error instanceof UserError)) return <ErrorAlert error={error} testId={testId} />;
  const [title, ...more] = error.message.split('\n');
  return (
    <Alert severity="error" data-testid={testId}>
      <AlertTitle data-testid={`${testId}-message`}>{title}</AlertTitle>
      {more.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid={`${testId}-list`}>
          {more.map((line) => (
            <li key={line}>
              <Typography variant="body2">{line.replace(/^- /, '')}</Typography>
            </li>
          ))}
        </Box>
      )}
      {error.hint && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {error.hint}
        </Typography>
      )}
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
