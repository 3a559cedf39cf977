// One channel: the release it serves, its gates, Promote (with every gate judged before the click), one-click
// rollback to the release before, and its history of moves.
import {
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Collapse,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { Channel, Release } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { gatesSummary, releaseLabel } from './format';
import { ChannelBudgetView } from './ChannelBudgetView';
import { GatesDialog } from './GatesDialog';
import { PromoteDialog } from './PromoteDialog';

export function ChannelCard({
  channel,
  releases,
  isAdmin,
}: {
  channel: Channel;
  releases: readonly Release[];
  isAdmin: boolean;
}) {
  const api = useApi();
  const [dialog, setDialog] = useState<'promote' | 'gates' | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const history = useLoad((a) => a.releases.history({ channelId: channel.id }), [channel.id, channel.updatedAt]);
  const current = releases.find((r) => r.id === channel.releaseId);
  const name = (id: string | null) => {
    const r = releases.find((x) => x.id === id);
    return r ? releaseLabel(r) : 'nothing';
  };
  const rollback = useSubmit(async () => {
    await api.releases.rollback({ channelId: channel.id });
  });
  const canRollBack = (history.data ?? []).some(
    (m) => m.kind === 'promote' && m.toReleaseId === channel.releaseId && m.fromReleaseId !== null,
  );
  return (
    <Card
      variant="outlined"
      sx={{ minWidth: 280, maxWidth: 360 }}
      data-testid="channel-card"
      data-channel={channel.name}
    >
      <CardContent>
        <Typography variant="overline">{channel.name}</Typography>
        <Typography variant="h6" data-testid="channel-release">
          {current ? releaseLabel(current) : 'No release yet'}
        </Typography>
        {current && (
          <Typography variant="body2" color="text.secondary">
            {current.specializationName}
          </Typography>
        )}
        <Chip
          size="small"
          sx={{ mt: 1, maxWidth: '100%' }}
          label={gatesSummary(channel.gates)}
          title={gatesSummary(channel.gates)}
        />
        <ChannelBudgetView channel={channel} />
        <ErrorAlert error={rollback.error} testId="channel-error" />
        <Collapse in={showHistory}>
          <List dense data-testid="channel-history">
            {(history.data ?? []).map((m) => (
              <ListItem key={m.seq} disableGutters>
                <ListItemText
                  primary={`${m.kind === 'promote' ? 'Promoted' : 'Rolled back'} to ${name(m.toReleaseId)}`}
                  secondary={`from ${name(m.fromReleaseId)} by ${m.actorName}, ${new Date(m.at).toLocaleString()}`}
                />
              </ListItem>
            ))}
          </List>
        </Collapse>
      </CardContent>
      <CardActions>
        <Button size="small" variant="contained" onClick={() => setDialog('promote')} data-testid="channel-promote">
          Promote…
        </Button>
        <Button
          size="small"
          disabled={!canRollBack || rollback.busy}
          onClick={() => void rollback.submit()}
          data-testid="channel-rollback"
          title={
            canRollBack ? 'Go back to the release this channel served before' : 'No earlier release on this channel'
          }
        >
          Roll back
        </Button>
        {isAdmin && (
          <Button size="small" onClick={() => setDialog('gates')} data-testid="channel-gates">
            Gates…
          </Button>
        )}
        <Button size="small" onClick={() => setShowHistory((v) => !v)} data-testid="channel-history-toggle">
          {showHistory ? 'Hide history' : 'History'}
        </Button>
      </CardActions>
      {dialog === 'promote' && <PromoteDialog channel={channel} releases={releases} onClose={() => setDialog(null)} />}
      {dialog === 'gates' && <GatesDialog channel={channel} onClose={() => setDialog(null)} />}
    </Card>
  );
}
