// The Audit section: the workspace's log of changes (who, what, when, on which objects), filtered by person, action,
// object and time, its hash chain verified on request (naming the first broken entry), and exported as JSON Lines or
// CSV, and the workspace's retention policy. The log itself is written by main for every state-changing call.
import DownloadIcon from '@mui/icons-material/Download';
import RefreshIcon from '@mui/icons-material/Refresh';
import VerifiedIcon from '@mui/icons-material/Verified';
import { Alert, Box, Button, LinearProgress, Stack, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import type { AuditEntry, AuditVerification } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { downloadText } from '../../components/download';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import type { Section } from '../shell/sections';
import { DriftAuditList } from '../robustness/DriftPanel';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { RetentionPanel } from './RetentionPanel';
import { EMPTY_FILTER, toFilter, type FilterDraft } from './audit-filter';

const PAGE = 200;

export function AuditSection({ section }: { section: Section }) {
  const api = useApi();
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_FILTER);
  const filter = useMemo(() => toFilter(draft), [draft]);
  const key = JSON.stringify(filter);
  const [older, setOlder] = useState<{ key: string; entries: AuditEntry[] }>({ key, entries: [] });
  const page = useLoad((a) => a.audit.list({ filter, limit: PAGE }), [key]);
  const [verification, setVerification] = useState<AuditVerification | undefined>(undefined);
  const { busy, error, submit } = useSubmit();

  const verify = () => submit(async () => setVerification(await api.audit.verify({})));
  const exportAs = (format: 'jsonl' | 'csv') =>
    submit(async () => {
      const file = await api.audit.export({ filter, format });
      downloadText(file.fileName, file.text, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    });
  const refresh = () => {
    setOlder({ key, entries: [] });
    setVerification(undefined);
    page.reload();
  };

  if (page.error !== undefined && page.data === undefined)
    return (
      <Box sx={{ p: 3 }}>
        <ErrorAlert error={page.error} testId="audit-error" />
      </Box>
    );
  if (page.data === undefined) return <LinearProgress aria-label="Loading the audit log" />;
  const extra = older.key === key ? older.entries : [];
  const entries = [...page.data.entries, ...extra];
  const total = page.data.total;
  const filtered = key !== '{}';
  if (total === 0 && !filtered)
    return (
      <EmptyState
        icon={section.icon}
        title={section.emptyTitle}
        description={section.description}
        testId="empty-audit"
      />
    );
  const loadOlder = () =>
    submit(async () => {
      const last = entries[entries.length - 1];
      if (!last) return;
      const next = await api.audit.list({ filter, limit: PAGE, beforeSeq: last.seq });
      setOlder({ key, entries: [...extra, ...next.entries] });
    });

  return (
    <Box sx={{ p: 3, maxWidth: 1400, mx: 'auto' }} data-testid="audit-screen">
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Audit trail
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={refresh} disabled={busy} data-testid="audit-refresh">
          Refresh
        </Button>
        <Button
          variant="contained"
          startIcon={<VerifiedIcon />}
          onClick={() => void verify()}
          disabled={busy}
          data-testid="audit-verify"
        >
          Verify chain
        </Button>
        <Button
          startIcon={<DownloadIcon />}
          onClick={() => void exportAs('jsonl')}
          disabled={busy}
          data-testid="audit-export-jsonl"
        >
          JSON Lines
        </Button>
        <Button
          startIcon={<DownloadIcon />}
          onClick={() => void exportAs('csv')}
          disabled={busy}
          data-testid="audit-export-csv"
        >
          CSV
        </Button>
      </Stack>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Every change in this workspace, newest first. Each entry carries the hash of the one before, so an edited or
        deleted entry breaks the chain. Exports contain the entries that match the filter.
      </Typography>
      <ErrorAlert error={error} testId="audit-action-error" />
      {verification && <VerificationAlert result={verification} />}
      <DriftAuditList />
      <RetentionPanel onApplied={refresh} />
      <AuditFilters draft={draft} onChange={setDraft} />
      <Typography variant="body2" color="text.secondary" sx={{ my: 1 }} data-testid="audit-count">
        {filtered ? `${total} matching entr${total === 1 ? 'y' : 'ies'}` : `${total} entr${total === 1 ? 'y' : 'ies'}`}
        {entries.length < total ? `, newest ${entries.length} shown` : ''}
      </Typography>
      <AuditTable entries={entries} brokenSeq={verification?.broken?.seq} />
      {entries.length < total && (
        <Button onClick={() => void loadOlder()} disabled={busy} sx={{ mt: 1 }} data-testid="audit-older">
          Show older entries
        </Button>
      )}
    </Box>
  );
}

function VerificationAlert({ result }: { result: AuditVerification }) {
  if (!result.ok) {
    return (
      <Alert severity="error" sx={{ mb: 2 }} data-testid="audit-verify-result">
        The chain is broken: {result.broken?.problem ?? 'unknown problem'}. {result.checked} entries before it are
        intact.
      </Alert>
    );
  }
  return (
    <Alert severity="success" sx={{ mb: 2 }} data-testid="audit-verify-result">
      The chain is intact: {result.checked} entries. Head: entry {result.head.seq}, hash <code>{result.head.hash}</code>
      . Note the head somewhere else: a later check whose chain does not continue from it shows that the whole log was
      rewritten.
    </Alert>
  );
}
