// Making a report: its kind, what it reports on (and, for a comparison, the second release), from stored results.
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { ReportRecord } from '../../../../shared/contract';
import { REPORT_KINDS, type ReportKind } from '../../../../shared/report';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { KIND_HELP, KIND_LABELS } from './labels';

export function NewReportDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (record: ReportRecord) => void;
}) {
  const api = useApi();
  const [kind, setKind] = useState<ReportKind>('experiment');
  const [subject, setSubject] = useState('');
  const [against, setAgainst] = useState('');
  const subjects = useLoad((a) => a.reports.subjects({ kind }), [kind]);
  const comparison = kind === 'release-comparison';
  const make = useSubmit(async () => {
    onCreated(await api.reports.generate({ kind, subject, against: comparison ? against : null }));
  });
  const options = subjects.data ?? [];
  const ready = subject !== '' && (!comparison || (against !== '' && against !== subject));
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>New report</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            select
            label="Kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as ReportKind);
              setSubject('');
              setAgainst('');
            }}
            helperText={KIND_HELP[kind]}
            slotProps={{ htmlInput: { 'data-testid': 'report-kind' } }}
          >
            {REPORT_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {KIND_LABELS[k]}
              </MenuItem>
            ))}
          </TextField>
          {subjects.error !== undefined && <ErrorAlert error={subjects.error} />}
          {subjects.data !== undefined && options.length === 0 && (
            <Typography color="text.secondary" data-testid="report-no-subjects">
              Nothing to report on yet: this workspace has no {KIND_LABELS[kind].toLowerCase()} with results.
            </Typography>
          )}
          {options.length > 0 && (
            <TextField
              select
              label={comparison ? 'Release' : KIND_LABELS[kind]}
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'report-subject' } }}
            >
              {options.map((s) => (
                <MenuItem key={s.id} value={s.id}>
                  {s.name}
                </MenuItem>
              ))}
            </TextField>
          )}
          {comparison && options.length > 0 && (
            <TextField
              select
              label="Compared with"
              value={against}
              onChange={(e) => setAgainst(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'report-against' } }}
            >
              {options
                .filter((s) => s.id !== subject)
                .map((s) => (
                  <MenuItem key={s.id} value={s.id}>
                    {s.name}
                  </MenuItem>
                ))}
            </TextField>
          )}
          {make.error !== undefined && <ErrorAlert error={make.error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={!ready || make.busy}
          onClick={() => void make.submit()}
          data-testid="report-generate"
        >
          {make.busy ? 'Making…' : 'Make report'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
