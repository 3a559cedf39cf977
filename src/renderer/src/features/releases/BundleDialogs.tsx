// Release bundles: Export writes one folder another Dovetail can import; Import verifies a folder against its
// manifest and says, part by part, what was already here and what it made.
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
  Stack,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { BundleImport, Release } from '../../../../shared/contract';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { FolderField } from '../../components/FolderField';
import { useSubmit } from '../../components/useSubmit';
import { releaseLabel } from './format';

export function ExportBundleDialog({ release, onClose }: { release: Release; onClose(): void }) {
  const api = useApi();
  const [folder, setFolder] = useState('');
  const [written, setWritten] = useState<{ folder: string; files: number } | null>(null);
  const run = useSubmit(async () => setWritten(await api.releases.exportBundle({ id: release.id, folder })));
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="export-bundle-dialog">
      <DialogTitle>Export {releaseLabel(release)}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            Writes one folder with the adapters, template, demonstrations, decoding, the model&apos;s content hash and a
            manifest of every file&apos;s sha256. Another Dovetail with the same model imports and verifies it.
          </Typography>
          <FolderField
            label="Into folder"
            value={folder}
            onChange={setFolder}
            error={run.text?.title}
            pickerTitle="Export the release into"
            onError={() => undefined}
            testId="export-bundle-folder"
            browseTestId="export-bundle-browse"
          />
          {written && (
            <Alert severity="success" data-testid="export-bundle-done">
              Wrote {written.files} files to {written.folder}
            </Alert>
          )}
          {run.text && <ErrorAlert error={run.error} testId="export-bundle-error" />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="export-bundle-close">
          {written ? 'Close' : 'Cancel'}
        </Button>
        {!written && (
          <Button
            variant="contained"
            disabled={run.busy || folder.trim() === ''}
            onClick={() => void run.submit()}
            data-testid="export-bundle-confirm"
          >
            Export
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

export function ImportBundleDialog({ onClose, onImported }: { onClose(): void; onImported(r: Release): void }) {
  const api = useApi();
  const [folder, setFolder] = useState('');
  const [result, setResult] = useState<BundleImport | null>(null);
  const run = useSubmit(async () => {
    const imported = await api.releases.importBundle({ folder });
    setResult(imported);
    onImported(imported.release);
  });
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="import-bundle-dialog">
      <DialogTitle>Import a release bundle</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <FolderField
            label="Bundle folder"
            value={folder}
            onChange={setFolder}
            error={run.text?.title}
            pickerTitle="Choose a release bundle"
            onError={() => undefined}
            testId="import-bundle-folder"
            browseTestId="import-bundle-browse"
          />
          {run.text && <ErrorAlert error={run.error} testId="import-bundle-error" />}
          {result && (
            <>
              <Alert severity="success" data-testid="import-bundle-done">
                {releaseLabel(result.release)}: all {result.files} files match the bundle&apos;s manifest.
                {result.sameSpecialization
                  ? ' The specialization has the same content hash as the exported one.'
                  : ' The specialization differs from the exported one in its hash.'}
              </Alert>
              <List dense>
                {result.parts.map((p) => (
                  <ListItem key={`${p.kind}:${p.name}`} disableGutters data-testid="import-bundle-part">
                    <ListItemText
                      primary={`${p.kind}: ${p.name}`}
                      secondary={`${p.reused ? 'already here' : 'made from the bundle'} · ${p.hash.slice(0, 16)}`}
                    />
                  </ListItem>
                ))}
              </List>
              <Typography variant="body2" color="text.secondary">
                Made by {result.origin.authorName} with Dovetail {result.origin.appVersion}. Its{' '}
                {result.origin.evidence} piece(s) of evidence and approvals (
                {result.origin.approvals.join(', ') || 'none'}) stay with that workspace: gates here count only what
                happens here.
              </Typography>
            </>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="import-bundle-close">
          {result ? 'Close' : 'Cancel'}
        </Button>
        {!result && (
          <Button
            variant="contained"
            disabled={run.busy || folder.trim() === ''}
            onClick={() => void run.submit()}
            data-testid="import-bundle-confirm"
          >
            Verify and import
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
