// The dataset version's Personal data panel: a scan (progress, Cancel) with counts and examples per field, Redact
// into a new version (placeholders such as <EMAIL_1>, one per value), and the workspace's policy: warn or block at
// import, training, sharing and export, and the workspace's own patterns.
import {
  Alert,
  Box,
  Button,
  Chip,
  FormControlLabel,
  LinearProgress,
  Paper,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useRef, useState } from 'react';
import {
  PII_KIND_LABELS,
  type DatasetVersion,
  type PiiKind,
  type PrivacyPolicy,
  type ScanProgress,
  type ScanReport,
} from '../../../../shared/contract';
import { useApi } from '../../api';
import { useLoad } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';

const kindLabel = (key: string): string =>
  key.startsWith('custom:') ? `pattern ${key.slice(7)}` : PII_KIND_LABELS[key as PiiKind];

export function PrivacyPanel({
  version,
  autoScan,
  onRedacted,
}: {
  version: DatasetVersion;
  autoScan: boolean;
  onRedacted: (versionId: string) => void;
}) {
  const api = useApi();
  const [report, setReport] = useState<ScanReport | null>(null);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const { busy, error, submit } = useSubmit();
  const scanId = useRef('');
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => api.privacy.onScanProgress((p) => (p.scanId === scanId.current ? setProgress(p) : undefined)), [api]);

  const run = (what: 'scan' | 'redact') =>
    submit(async () => {
      scanId.current = `${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      setProgress(null);
      if (what === 'scan') setReport(await api.privacy.scan({ versionId: version.id, scanId: scanId.current }));
      else {
        // The new version opens in its own panel; its facts name the source version and the counts (lineage).
        onRedacted((await api.privacy.redact({ versionId: version.id, scanId: scanId.current })).datasetVersionId);
      }
    });
  const started = useRef(false);
  useEffect(() => {
    if (!autoScan || started.current) return;
    started.current = true;
    panel.current?.scrollIntoView({ block: 'start' });
    void run('scan');
  });

  return (
    <Paper variant="outlined" sx={{ p: 2, mt: 2 }} ref={panel} data-testid="privacy-panel">
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="subtitle1" component="h3" sx={{ flex: 1 }}>
          Personal data
        </Typography>
        <Button variant="outlined" disabled={busy} onClick={() => void run('scan')} data-testid="privacy-scan">
          Scan
        </Button>
        <Button
          variant="contained"
          disabled={busy || report === null || report.total === 0}
          onClick={() => void run('redact')}
          data-testid="privacy-redact"
        >
          Redact into a new version
        </Button>
      </Stack>
      {busy && (
        <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }} data-testid="privacy-progress">
          <LinearProgress
            sx={{ flex: 1 }}
            variant={progress ? 'determinate' : 'indeterminate'}
            value={progress && progress.rowsTotal > 0 ? (100 * progress.rowsScanned) / progress.rowsTotal : 0}
            aria-label="Scanning"
          />
          <Typography variant="caption">
            {progress
              ? `${progress.rowsScanned.toLocaleString()} of ${progress.rowsTotal.toLocaleString()} rows`
              : 'Starting'}
          </Typography>
          <Button
            size="small"
            onClick={() => void api.privacy.cancelScan({ scanId: scanId.current })}
            data-testid="privacy-cancel"
          >
            Cancel
          </Button>
        </Stack>
      )}
      <ErrorAlert error={error} testId="privacy-error" />
      {report && <Findings report={report} />}
      {!report && !busy && (
        <Typography variant="body2" color="text.secondary">
          Finds email addresses, phone numbers, IBANs and card numbers (checksums checked), IP addresses,
          national-ID-like numbers and your patterns in every text field.
        </Typography>
      )}
      <PolicyForm />
    </Paper>
  );
}

function Findings({ report }: { report: ScanReport }) {
  if (report.total === 0)
    return (
      <Alert severity="success" data-testid="privacy-clean">
        No personal data found in {report.rowsScanned.toLocaleString()} rows.
      </Alert>
    );
  return (
    <Box data-testid="privacy-report">
      <Alert severity="warning" sx={{ mb: 1 }} data-testid="privacy-total">
        {report.total.toLocaleString()} finding{report.total === 1 ? '' : 's'} in {report.rowsScanned.toLocaleString()}{' '}
        rows. Redact writes a new version; this one stays as it is.
      </Alert>
      {report.patternErrors.map((e) => (
        <Alert key={e} severity="error" sx={{ mb: 1 }}>
          {e}
        </Alert>
      ))}
      <Table size="small" aria-label="Personal data per field">
        <TableHead>
          <TableRow>
            <TableCell>Field</TableCell>
            <TableCell>Found</TableCell>
            <TableCell>Examples</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.fields.map((f) => (
            <TableRow key={f.field} data-testid="privacy-field" data-field={f.field}>
              <TableCell sx={{ verticalAlign: 'top' }}>
                {f.field}
                <Typography variant="caption" component="div" color="text.secondary">
                  {f.rows} rows
                </Typography>
              </TableCell>
              <TableCell sx={{ verticalAlign: 'top' }}>
                <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
                  {Object.entries(f.counts).map(([key, n]) => (
                    <Chip
                      key={key}
                      size="small"
                      label={`${n} ${kindLabel(key)}`}
                      data-testid={`privacy-count-${key}`}
                      data-count={n}
                    />
                  ))}
                </Stack>
              </TableCell>
              <TableCell sx={{ verticalAlign: 'top' }}>
                {f.examples.map((e) => (
                  <Typography
                    key={`${e.label}-${e.rowIdx}-${e.value}`}
                    variant="caption"
                    component="div"
                    sx={{ fontFamily: 'monospace' }}
                  >
                    {e.value}{' '}
                    <Typography component="span" variant="caption" color="text.secondary">
                      (row {e.rowIdx + 1}, {kindLabel(e.kind === 'custom' ? `custom:${e.label}` : e.kind)})
                    </Typography>
                  </Typography>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** One pattern per line: NAME then the pattern (RE2 syntax). */
function patternsText(policy: PrivacyPolicy): string {
  return policy.patterns.map((p) => `${p.name} ${p.pattern}`).join('\n');
}

function PolicyForm() {
  const api = useApi();
  const loaded = useLoad((a) => a.privacy.policy({}), []);
  const [text, setText] = useState<string | null>(null);
  const { error, submit } = useSubmit();
  const policy = loaded.data;
  if (!policy) return null;
  const save = (next: PrivacyPolicy) =>
    submit(async () => {
      loaded.set(await api.privacy.setPolicy(next));
      setText(null);
    });
  const parsed = (text ?? patternsText(policy))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const space = l.indexOf(' ');
      return space < 0 ? { name: l, pattern: '' } : { name: l.slice(0, space), pattern: l.slice(space + 1).trim() };
    });
  return (
    <Box sx={{ mt: 2 }} data-testid="privacy-policy">
      <FormControlLabel
        control={
          <Switch
            checked={policy.onFinding === 'block'}
            onChange={(e) => void save({ ...policy, onFinding: e.target.checked ? 'block' : 'warn' })}
            slotProps={{ input: { 'aria-label': 'Block when personal data is found' } }}
            data-testid="privacy-block"
          />
        }
        label="Workspace policy: block importing, training, sharing a review round and exporting when personal data is found (otherwise warn)"
      />
      <Stack direction="row" sx={{ gap: 1, alignItems: 'flex-start', mt: 1 }}>
        <TextField
          size="small"
          multiline
          minRows={1}
          sx={{ flex: 1 }}
          label="Your patterns (one per line: NAME pattern, RE2 syntax)"
          value={text ?? patternsText(policy)}
          onChange={(e) => setText(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'privacy-patterns' } }}
        />
        <Button
          disabled={text === null}
          onClick={() => void save({ ...policy, patterns: parsed })}
          data-testid="privacy-patterns-save"
        >
          Save patterns
        </Button>
      </Stack>
      <ErrorAlert error={error} testId="privacy-policy-error" />
    </Box>
  );
}
