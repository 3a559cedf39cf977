// What can be done with one stored report: export it in any format, make it again from the results as they are now,
// check it against the workspace (naming whatever changed since), or remove it.
import RefreshIcon from '@mui/icons-material/Refresh';
import VerifiedIcon from '@mui/icons-material/Verified';
import { Alert, Button, Stack } from '@mui/material';
import { useState } from 'react';
import type { ReportRecord, ReportVerification } from '../../../../shared/contract';
import type { ReportFormat } from '../../../../shared/report';
import { useApi } from '../../api';
import { downloadFile } from '../../components/download';
import { ErrorAlert } from '../../components/ErrorReporter';
import { FORMAT_CHOICES } from '../../components/ExportReportMenu';
import { useSubmit } from '../../components/useSubmit';

export function ReportActions({
  record,
  onRegenerated,
  onRemoved,
}: {
  record: ReportRecord;
  onRegenerated: (r: ReportRecord) => void;
  onRemoved: () => void;
}) {
  const api = useApi();
  const action = useSubmit();
  const [verification, setVerification] = useState<{ id: string; result: ReportVerification } | undefined>();
  const shown = verification?.id === record.id ? verification.result : undefined;
  const exportAs = (format: ReportFormat) =>
    action.submit(async () => downloadFile(await api.reports.export({ id: record.id, format })));
  return (
    <Stack spacing={1} sx={{ mb: 2 }}>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        {FORMAT_CHOICES.map((c) => (
          <Button
            key={c.format}
            variant={c.format === 'pdf' ? 'contained' : 'outlined'}
            size="small"
            disabled={action.busy}
            title={c.detail}
            onClick={() => void exportAs(c.format)}
            data-testid={`report-export-${c.format}`}
          >
            {c.label}
          </Button>
        ))}
        <Button
          size="small"
          startIcon={<VerifiedIcon />}
          disabled={action.busy}
          onClick={() =>
            void action.submit(async () =>
              setVerification({ id: record.id, result: await api.reports.verify({ id: record.id }) }),
            )
          }
          data-testid="report-verify"
        >
          Check against workspace
        </Button>
        <Button
          size="small"
          startIcon={<RefreshIcon />}
          disabled={action.busy}
          onClick={() => void action.submit(async () => onRegenerated(await api.reports.regenerate({ id: record.id })))}
          data-testid="report-regenerate"
        >
          Make again
        </Button>
        <Button
          size="small"
          color="inherit"
          disabled={action.busy}
          onClick={() =>
            void action.submit(async () => {
              await api.reports.remove({ id: record.id });
              onRemoved();
            })
          }
          data-testid="report-remove"
        >
          Remove
        </Button>
      </Stack>
      {action.error !== undefined && <ErrorAlert error={action.error} />}
      {shown && (
        <Alert severity={shown.ok ? 'success' : 'error'} data-testid="report-verification">
          {shown.ok
            ? `Matches this workspace: ${shown.checks.filter((c) => c.status === 'ok').length} parts with the same content hash.`
            : shown.problems.join('; ')}
        </Alert>
      )}
    </Stack>
  );
}
