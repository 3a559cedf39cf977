// "Export report" with a format choice, for any page whose object has a report kind (experiment, review round,
// training run, release): makes the report from the stored results (it is then listed in Reports) and saves the file.
import DownloadIcon from '@mui/icons-material/Download';
import { Button, ListItemText, Menu, MenuItem } from '@mui/material';
import { useState } from 'react';
import type { ReportFormat, ReportKind } from '../../../shared/report';
import { useApi } from '../api';
import { downloadFile } from './download';
import { ErrorAlert } from './ErrorReporter';
import { useSubmit } from './useSubmit';

export const FORMAT_CHOICES: readonly { format: ReportFormat; label: string; detail: string }[] = [
  { format: 'pdf', label: 'PDF', detail: 'pages to print or send' },
  { format: 'html', label: 'HTML', detail: 'one file, readable offline' },
  { format: 'csv', label: 'CSV', detail: 'every table, zipped, for spreadsheets' },
  { format: 'json', label: 'JSON', detail: 'the whole report, with its schema' },
];

export function ExportReportMenu({
  kind,
  subjectId,
  disabled = false,
  testId = 'export-report',
}: {
  kind: ReportKind;
  subjectId: string;
  disabled?: boolean;
  testId?: string;
}) {
  const api = useApi();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const exporting = useSubmit();
  const pick = (format: ReportFormat) => {
    setAnchor(null);
    void exporting.submit(async () => {
      const record = await api.reports.generate({ kind, subject: subjectId });
      downloadFile(await api.reports.export({ id: record.id, format }));
    });
  };
  return (
    <>
      <Button
        startIcon={<DownloadIcon />}
        disabled={disabled || exporting.busy}
        onClick={(e) => setAnchor(e.currentTarget)}
        aria-haspopup="menu"
        data-testid={testId}
      >
        {exporting.busy ? 'Exporting…' : 'Export report'}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {FORMAT_CHOICES.map((c) => (
          <MenuItem key={c.format} onClick={() => pick(c.format)} data-testid={`${testId}-${c.format}`}>
            <ListItemText primary={c.label} secondary={c.detail} />
          </MenuItem>
        ))}
      </Menu>
      {exporting.error !== undefined && <ErrorAlert error={exporting.error} />}
    </>
  );
}
