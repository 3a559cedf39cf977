// Promote a release to a channel: every gate of the channel is judged for the chosen release before the click, met
// or not, in plain words; the promotion goes ahead only when all are met.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import CancelIcon from '@mui/icons-material/Cancel';
import { useState } from 'react';
import type { Channel, Release } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { releaseLabel } from './format';

export function PromoteDialog({
  channel,
  releases,
  onClose,
}: {
  channel: Channel;
  releases: readonly Release[];
  onClose(): void;
}) {
  const api = useApi();
  const candidates = releases.filter((r) => r.id !== channel.releaseId);
  const [releaseId, setReleaseId] = useState(candidates[0]?.id ?? '');
  // Approvals and evidence change while the dialog is open (another window, the CLI): judge again on each change.
  const checks = useLoad(
    (a) => (releaseId === '' ? Promise.resolve([]) : a.releases.check({ channelId: channel.id, releaseId })),
    [releaseId, releases],
  );
  const promote = useSubmit(async () => {
    await api.releases.promote({ channelId: channel.id, releaseId });
    onClose();
  });
  const unmet = (checks.data ?? []).filter((c) => !c.met).length;
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="promote-dialog">
      <DialogTitle>Promote to {channel.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {candidates.length === 0 && (
            <Alert severity="info">Every release is already here: make a new release first.</Alert>
          )}
          <TextField
            select
            label="Release"
            value={releaseId}
            onChange={(e) => setReleaseId(e.target.value)}
            slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'promote-release' } as object } }}
          >
            {candidates.map((r) => (
              <MenuItem key={r.id} value={r.id} data-testid="promote-release-option" data-release={releaseLabel(r)}>
                {releaseLabel(r)} — {r.specializationName}
              </MenuItem>
            ))}
          </TextField>
          {checks.data && checks.data.length === 0 && releaseId !== '' && (
            <Alert severity="info">{channel.name} has no gates: any release may go there.</Alert>
          )}
          <List dense data-testid="promote-checks">
            {(checks.data ?? []).map((c) => (
              <ListItem key={c.gate} data-testid="promote-check" data-met={String(c.met)}>
                <ListItemIcon>
                  {c.met ? (
                    <CheckCircleIcon color="success" aria-label="met" />
                  ) : (
                    <CancelIcon color="error" aria-label="not met" />
                  )}
                </ListItemIcon>
                <ListItemText primary={c.gate} secondary={c.detail} />
              </ListItem>
            ))}
          </List>
          {unmet > 0 && (
            <Alert severity="warning" data-testid="promote-unmet">
              {unmet} gate{unmet === 1 ? '' : 's'} not met: the promotion is refused until{' '}
              {unmet === 1 ? 'it is' : 'they are'}.
            </Alert>
          )}
          <ErrorAlert error={checks.error ?? promote.error} testId="promote-error" />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="promote-cancel">
          Cancel
        </Button>
        <Button
          variant="contained"
          disabled={promote.busy || releaseId === '' || checks.loading || unmet > 0}
          onClick={() => void promote.submit()}
          data-testid="promote-confirm"
        >
          Promote
        </Button>
      </DialogActions>
    </Dialog>
  );
}
