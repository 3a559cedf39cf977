// An older template version, read-only, with "Restore as new version" (which saves its content as the newest).
import { Alert, Box, Button, Chip, Stack, Typography } from '@mui/material';
import type { TemplateVersion } from '../../../../shared/contract';
import { ErrorAlert } from '../../components/ErrorReporter';
import { shortDate } from './format';
import { TextBlock } from './TextBlock';

export function ReadOnlyVersion(props: {
  version: TemplateVersion;
  restoring: boolean;
  error: unknown;
  onRestore: () => void;
  onBack: () => void;
}) {
  const { version: v, restoring, error, onRestore, onBack } = props;
  return (
    <Stack spacing={2} data-testid="template-readonly">
      <Alert severity="info">
        Version {v.version} of {v.name}, read-only: {v.message || 'no message'} ({shortDate(v.createdAt)}).
      </Alert>
      <TextBlock label="Template" text={v.source} testId="template-readonly-source" maxHeight={400} />
      <Typography variant="body2">
        {v.chat
          ? "Chat: sent as a user turn through the model's chat template."
          : 'Raw completion: the model continues the text.'}
      </Typography>
      {v.chat && v.system !== null && (
        <TextBlock label="System message" text={v.system} testId="template-readonly-system" />
      )}
      <Stack direction="row" spacing={0.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" color="text.secondary" sx={{ mr: 0.5 }}>
          Fields used:
        </Typography>
        {v.fields.map((f) => (
          <Chip key={f} size="small" label={f} />
        ))}
      </Stack>
      <Box>
        <ErrorAlert error={error} testId="template-restore-error" />
      </Box>
      <Stack direction="row" spacing={1}>
        <Button variant="contained" onClick={onRestore} disabled={restoring} data-testid="template-restore">
          Restore as new version
        </Button>
        <Button onClick={onBack} disabled={restoring} data-testid="template-back-to-latest">
          Back to the latest
        </Button>
      </Stack>
    </Stack>
  );
}
