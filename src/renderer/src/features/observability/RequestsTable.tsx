// The latest served requests, one row each: when, which model id, outcome or error class, tokens and timings.
import { Paper, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ServedRequest } from '../../../../shared/contract';

const ms = (v: number | null) => (v === null ? '' : `${Math.round(v)} ms`);

export function RequestsTable({ requests }: { requests: readonly ServedRequest[] }) {
  return (
    <Paper variant="outlined" sx={{ p: 1.5, overflowX: 'auto' }}>
      <Typography variant="subtitle2">Latest requests</Typography>
      <Table size="small" data-testid="serving-requests">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Model</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell align="right">Prompt / completion tokens</TableCell>
            <TableCell align="right">Queue</TableCell>
            <TableCell align="right">First token</TableCell>
            <TableCell align="right">Total</TableCell>
            <TableCell align="right">Batch</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {requests.map((r) => (
            <TableRow key={r.id} data-testid="serving-request-row">
              <TableCell>{new Date(r.at).toLocaleTimeString()}</TableCell>
              <TableCell>{r.model ?? '(none)'}</TableCell>
              <TableCell>{r.outcome === 'ok' ? 'ok' : `${r.outcome} (${r.errorClass ?? r.status})`}</TableCell>
              <TableCell align="right">
                {r.promptTokens ?? ''} / {r.completionTokens ?? ''}
              </TableCell>
              <TableCell align="right">{ms(r.queueMs)}</TableCell>
              <TableCell align="right">{ms(r.ttftMs)}</TableCell>
              <TableCell align="right">{ms(r.totalMs)}</TableCell>
              <TableCell align="right">{r.batchSize ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
