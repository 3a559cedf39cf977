// The audit entries as a table: number, time, who, action, objects (with content hashes before -> after) and the
// arguments as recorded (secrets already replaced by main). The entry verification found broken is highlighted.
import { Table, TableBody, TableCell, TableHead, TableRow, Tooltip } from '@mui/material';
import type { AuditEntry } from '../../../../shared/contract';
import { actorLabel, objectLabel } from '../../../../shared/audit-format';
import { argsSummary } from './audit-filter';

export function AuditTable({ entries, brokenSeq }: { entries: readonly AuditEntry[]; brokenSeq: number | undefined }) {
  return (
    <Table size="small" data-testid="audit-table">
      <TableHead>
        <TableRow>
          <TableCell>#</TableCell>
          <TableCell>When</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Objects</TableCell>
          <TableCell>Arguments</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map((e) => (
          <TableRow
            key={e.seq}
            data-testid="audit-row"
            data-seq={e.seq}
            data-broken={e.seq === brokenSeq ? 'true' : undefined}
            selected={e.seq === brokenSeq}
            sx={e.seq === brokenSeq ? { outline: '2px solid', outlineColor: 'error.main' } : undefined}
          >
            <TableCell>{e.seq}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{new Date(e.at).toLocaleString()}</TableCell>
            <TableCell data-testid="audit-actor">{actorLabel(e.actor)}</TableCell>
            <TableCell data-testid="audit-method">
              <code>{e.method}</code>
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>
              {e.objects.map((o) => (
                <div key={o.id}>{objectLabel(o)}</div>
              ))}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>
              <Tooltip title={argsSummary(e.args, 2000)}>
                <span>{argsSummary(e.args)}</span>
              </Tooltip>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
