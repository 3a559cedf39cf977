// Says so while the link to Dovetail's services is down (browser mode only: desktop IPC cannot drop).
import { Alert } from '@mui/material';
import { useConnection } from '../api';

export function ConnectionBanner() {
  const { status, epoch } = useConnection();
  // Before the first successful connection the app is simply starting, not "lost".
  if (status !== 'down' && !(status === 'connecting' && epoch > 0)) return null;
  return (
    <Alert severity="warning" square data-testid="connection-lost">
      Connection to Dovetail lost. Reconnecting… Changes made now may not be saved.
    </Alert>
  );
}
