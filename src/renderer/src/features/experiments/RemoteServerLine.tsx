// The server an experiment's cells generate on, as recorded when it was created: kind, address and version, the
// model name of each cell and what the server served then (part of the experiment's lineage).
import { Typography } from '@mui/material';
import type { Experiment } from '../../../../shared/contract';
import { describeRemoteServer } from '../../../../shared/remote-engine';
import { formatDate } from './format';

export function RemoteServerLine({ experiment: e }: { experiment: Experiment }) {
  const remote = e.spec.remote;
  if (!remote) return null;
  const cells = e.cells.map((c) => `${c.label} → ${remote.models[c.specializationId] ?? '?'}`).join(', ');
  const served = remote.identity?.models.map((m) => m.id).join(', ');
  return (
    <Typography variant="body2" color="text.secondary" data-testid="experiment-remote">
      Generated on {describeRemoteServer(remote)} · {cells}
      {remote.identity
        ? ` · it served ${served || 'nothing'} when checked ${formatDate(remote.identity.checkedAt)}`
        : ''}
    </Typography>
  );
}
