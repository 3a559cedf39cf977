// Two template versions side by side in Monaco's diff editor (source, and the system message when either has one).
import {
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@mui/material';
import { lazy, Suspense } from 'react';
import type { TemplateVersion } from '../../../../shared/contract';

const TemplateDiff = lazy(() => import('../../editor/TemplateDiff'));

export function DiffDialog({
  original,
  modified,
  onClose,
}: {
  original: TemplateVersion;
  modified: TemplateVersion;
  onClose: () => void;
}) {
  const systems = original.system !== null || modified.system !== null;
  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth data-testid="template-diff-dialog">
      <DialogTitle>
        {original.name}: version {original.version} → version {modified.version}
      </DialogTitle>
      <DialogContent>
        <Suspense fallback={<CircularProgress size={24} />}>
          <TemplateDiff original={original.source} modified={modified.source} testId="template-diff" height={360} />
          {systems && (
            <Box sx={{ mt: 2 }}>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                System message
              </Typography>
              <TemplateDiff
                original={original.system ?? ''}
                modified={modified.system ?? ''}
                testId="template-diff-system"
                height={140}
              />
            </Box>
          )}
        </Suspense>
        {original.chat !== modified.chat && (
          <Typography variant="body2" sx={{ mt: 1 }}>
            Chat: {original.chat ? 'on' : 'off'} → {modified.chat ? 'on' : 'off'}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="template-diff-close">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
