// The Reports section: every report made in this workspace (from its page's "Export report", here, or the CLI),
// filtered by kind; the selected one shown as its document, with export in every format, "make again" from the stored
// results, and a check of its lineage against the workspace.
import {
  Box,
  Button,
  Chip,
  CircularProgress,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { ReportRecord } from '../../../../shared/contract';
import { REPORT_KINDS, type ReportKind } from '../../../../shared/report';
import { useApi, useLoad } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import type { Section } from '../shell/sections';
import { KIND_LABELS } from './labels';
import { NewReportDialog } from './NewReportDialog';
import { ReportActions } from './ReportActions';
import { ReportDocumentView } from './ReportDocumentView';

const when = (iso: string) => new Date(iso).toLocaleString();

export function ReportsSection({ section }: { section: Section }) {
  const api = useApi();
  const [kind, setKind] = useState<ReportKind | null>(null);
  const [creating, setCreating] = useState(false);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const reports = useLoad((a) => a.reports.list({ kind }), [kind]);
  const { reload } = reports;
  useEffect(() => api.reports.onChanged(() => reload()), [api, reload]);
  const list = reports.data;
  const selected = list?.find((r) => r.id === selectedId) ?? list?.[0];
  const doc = useLoad((a) => (selected ? a.reports.get({ id: selected.id }) : Promise.resolve(null)), [selected?.id]);

  const created = (r: ReportRecord) => {
    setCreating(false);
    setKind(null);
    setSelectedId(r.id);
  };
  const dialog = creating && <NewReportDialog onClose={() => setCreating(false)} onCreated={created} />;
  const newButton = (
    <Button variant="contained" onClick={() => setCreating(true)} data-testid="report-new">
      New report
    </Button>
  );

  if (list === undefined)
    return reports.error !== undefined ? (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={reports.error} />
      </Box>
    ) : (
      <Box sx={{ display: 'grid', placeItems: 'center', p: 6 }}>
        <CircularProgress aria-label="Loading reports" />
      </Box>
    );
  if (list.length === 0 && kind === null)
    return (
      <>
        <EmptyState
          icon={section.icon}
          title={section.emptyTitle}
          description={section.description}
          testId={`empty-${section.id}`}
        >
          <Stack direction="row" sx={{ justifyContent: 'center', mt: 3 }}>
            {newButton}
          </Stack>
        </EmptyState>
        {dialog}
      </>
    );
  return (
    <Box sx={{ p: 2 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h2" sx={{ mr: 1 }}>
          Reports
        </Typography>
        {[null, ...REPORT_KINDS].map((k) => (
          <Chip
            key={k ?? 'all'}
            label={k === null ? 'All' : KIND_LABELS[k]}
            color={kind === k ? 'primary' : 'default'}
            variant={kind === k ? 'filled' : 'outlined'}
            onClick={() => setKind(k)}
            data-testid={`report-filter-${k ?? 'all'}`}
          />
        ))}
        <Box sx={{ flexGrow: 1 }} />
        {newButton}
      </Stack>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start' }}>
        <Paper variant="outlined" sx={{ width: 460, flexShrink: 0 }}>
          <Table size="small" aria-label="Reports">
            <TableHead>
              <TableRow>
                <TableCell>Report</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Made</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.length === 0 && (
                <TableRow>
                  <TableCell colSpan={3}>No {KIND_LABELS[kind ?? 'experiment'].toLowerCase()} reports yet.</TableCell>
                </TableRow>
              )}
              {list.map((r) => (
                <TableRow
                  key={r.id}
                  hover
                  selected={r.id === selected?.id}
                  onClick={() => setSelectedId(r.id)}
                  sx={{ cursor: 'pointer' }}
                  data-testid="report-row"
                >
                  <TableCell>
                    {r.title}
                    {r.against && (
                      <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                        vs {r.against.name}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{KIND_LABELS[r.kind]}</TableCell>
                  <TableCell>
                    {when(r.createdAt)}
                    <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                      by {r.author}
                    </Typography>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
        <Paper variant="outlined" sx={{ flexGrow: 1, p: 2, minWidth: 0 }}>
          {selected && (
            <ReportActions
              record={selected}
              onRegenerated={(r) => setSelectedId(r.id)}
              onRemoved={() => setSelectedId(undefined)}
            />
          )}
          {doc.error !== undefined && <ErrorAlert error={doc.error} />}
          {doc.data && <ReportDocumentView document={doc.data.document} />}
        </Paper>
      </Box>
      {dialog}
    </Box>
  );
}
