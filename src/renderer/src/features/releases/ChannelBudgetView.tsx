// A channel's performance budget against its current release: what its experiment evidence measured (what the
// promotion was judged on) and what serving measured for it, when serving has answered requests for it.
import { Stack, Typography } from '@mui/material';
import type { Channel } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { BudgetChecks } from '../../components/BudgetChecks';

export function ChannelBudgetView({ channel }: { channel: Channel }) {
  const view = useLoad(
    (a) => a.releases.budget({ channelId: channel.id }),
    [channel.id, channel.updatedAt, channel.releaseId],
  );
  const v = view.data;
  if (!v || v.budget === null || v.releaseId === null) return null;
  return (
    <Stack spacing={0.5} sx={{ mt: 1 }} data-testid="channel-budget">
      <Typography variant="caption" color="text.secondary">
        Budget, as measured in {v.evidence ? `"${v.evidence.name}"` : 'no attached experiment'}
      </Typography>
      {v.evidence && <BudgetChecks checks={v.evidence.checks} testId="channel-budget-evidence" />}
      <Typography variant="caption" color="text.secondary">
        {v.serving ? `Served since ${new Date(v.serving.since).toLocaleString()}` : 'Not served yet'}
      </Typography>
      {v.serving && <BudgetChecks checks={v.serving.checks} testId="channel-budget-serving" />}
    </Stack>
  );
}
