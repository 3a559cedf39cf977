// One release: what it freezes (each part with its content hash), how to serve it with vLLM, the evidence behind it,
// and its approvals.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { Release } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { ExportReportMenu } from '../../components/ExportReportMenu';
import { useSubmit } from '../../components/useSubmit';
import { DriftPanel } from '../robustness/DriftPanel';
import { ExportBundleDialog } from './BundleDialogs';
import { EvidencePicker, type EvidenceChoice } from './EvidencePicker';
import { evidenceLines, releaseLabel } from './format';
import { VllmCommandPanel } from './VllmCommandPanel';

const KIND_LABELS: Record<string, string> = {
  specialization: 'Specialization',
  model: 'Base model',
  adapter: 'Adapter',
  templateVersion: 'Template',
  demonstrationSetVersion: 'Demonstrations',
};

export function ReleaseDetails({ release, userId }: { release: Release; userId: string | null }) {
  const api = useApi();
  const [dialog, setDialog] = useState<'attach' | 'export' | null>(null);
  const approve = useSubmit(async () => {
    await api.releases.approve({ id: release.id });
  });
  const isAuthor = userId !== null && userId === release.authorId;
  const approved = release.approvals.some((a) => a.userId === userId);
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="release-details">
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography variant="h6" component="h3">
          {releaseLabel(release)}
        </Typography>
        <Stack direction="row" sx={{ alignItems: 'center', gap: 1 }}>
          <ExportReportMenu kind="release" subjectId={release.id} testId="release-export-report" />
          <Button size="small" onClick={() => setDialog('export')} data-testid="release-export">
            Export bundle…
          </Button>
        </Stack>
      </Stack>
      <Typography variant="body2" color="text.secondary">
        By {release.authorName}, {new Date(release.createdAt).toLocaleString()} · Dovetail {release.manifest.appVersion}
      </Typography>
      {release.notes && <Typography sx={{ mt: 1, whiteSpace: 'pre-wrap' }}>{release.notes}</Typography>}
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        What it contains
      </Typography>
      <Table size="small" aria-label="Frozen parts">
        <TableHead>
          <TableRow>
            <TableCell>Part</TableCell>
            <TableCell>Name</TableCell>
            <TableCell>Content hash</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {release.manifest.objects.map((o) => (
            <TableRow key={`${o.kind}:${o.id}`} data-testid="release-part">
              <TableCell>{KIND_LABELS[o.kind] ?? o.kind}</TableCell>
              <TableCell>{o.name}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace' }} title={o.hash ?? ''}>
                {o.hash ? o.hash.slice(0, 16) : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <VllmCommandPanel release={release} />
      <Stack direction="row" sx={{ mt: 2, alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography variant="subtitle2">Evidence</Typography>
        <Button size="small" onClick={() => setDialog('attach')} data-testid="release-attach">
          Attach evidence…
        </Button>
      </Stack>
      {release.evidence.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          None attached.
        </Typography>
      )}
      <List dense>
        {release.evidence.map((e, i) => {
          const [title, ...rest] = evidenceLines(e);
          return (
            <ListItem key={i} disableGutters data-testid="release-evidence">
              <ListItemText primary={title} secondary={rest.join(' · ')} />
            </ListItem>
          );
        })}
      </List>
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        Approvals
      </Typography>
      <Typography variant="body2" data-testid="release-approvals">
        {release.approvals.length === 0
          ? 'Not approved yet.'
          : release.approvals.map((a) => `${a.name} (${new Date(a.at).toLocaleString()})`).join(', ')}
      </Typography>
      {isAuthor && (
        <Alert severity="info" sx={{ mt: 1 }}>
          You made this release: someone else approves it.
        </Alert>
      )}
      {!isAuthor && !approved && userId !== null && (
        <Button
          sx={{ mt: 1 }}
          variant="outlined"
          disabled={approve.busy}
          onClick={() => void approve.submit()}
          data-testid="release-approve"
        >
          Approve
        </Button>
      )}
      <ErrorAlert error={approve.error} testId="release-approve-error" />
      <DriftPanel release={release} />
      {dialog === 'attach' && <AttachDialog release={release} onClose={() => setDialog(null)} />}
      {dialog === 'export' && <ExportBundleDialog release={release} onClose={() => setDialog(null)} />}
    </Paper>
  );
}

function AttachDialog({ release, onClose }: { release: Release; onClose(): void }) {
  const api = useApi();
  const [evidence, setEvidence] = useState<EvidenceChoice>({ experimentIds: [], roundIds: [] });
  const attach = useSubmit(async () => {
    await api.releases.attachEvidence({ id: release.id, ...evidence });
    onClose();
  });
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="attach-dialog">
      <DialogTitle>Attach evidence to {releaseLabel(release)}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          What it contains does not change; the evidence is added beside it with your name and the time.
        </Typography>
        <EvidencePicker specializationId={release.specializationId} value={evidence} onChange={setEvidence} />
        <ErrorAlert error={attach.error} testId="attach-error" />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={
            attach.busy ||
            evidence.experimentIds.length + evidence.roundIds.length + (evidence.decisionIds ?? []).length === 0
          }
          onClick={() => void attach.submit()}
          data-testid="attach-confirm"
        >
          Attach
        </Button>
      </DialogActions>
    </Dialog>
  );
}
