// The selected model: what it is (architecture and tokenizer facts), where it lives, whether it is still there,
// re-checking it (hashing its files again) when a large file's date changed, the precision its weights run at, and
// rename/remove. Removing only unregisters it; the folder stays on disk.
import { Alert, AlertTitle, Box, Button, Paper, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import type { ModelRecord } from '../../../../shared/contract';
import { useApi } from '../../api';
import { FactTable } from './FactTable';
import { HashProgress } from './HashProgress';
import { ModelErrorAlert } from './ModelErrorAlert';
import { architectureFacts, tokenizerFacts } from './model-facts';
import { RemoveModelDialog, RenameModelDialog } from './ModelDialogs';
import { WeightFormatPicker } from './WeightFormatPicker';

export function ModelDetails({
  model,
  onRenamed,
  onRemoved,
}: {
  model: ModelRecord;
  onRenamed: (m: ModelRecord) => void;
  onRemoved: () => void;
}) {
  const api = useApi();
  const [dialog, setDialog] = useState<'rename' | 'remove' | null>(null);
  const [rechecking, setRechecking] = useState(false);
  const [recheckError, setRecheckError] = useState<unknown>(undefined);
  const recheck = async () => {
    setRechecking(true);
    setRecheckError(undefined);
    try {
      onRenamed(await api.models.recheck({ id: model.id }));
    } catch (failure) {
      setRecheckError(failure);
    } finally {
      setRechecking(false);
    }
  };
  return (
    <Paper
      variant="outlined"
      sx={{ flex: 1, p: 2, minWidth: 0 }}
      data-testid="model-details"
      aria-label={`Details of ${model.name}`}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography
          variant="h6"
          component="h2"
          sx={{ flex: 1, overflowWrap: 'anywhere' }}
          data-testid="model-details-name"
        >
          {model.name}
        </Typography>
        <Button onClick={() => setDialog('rename')} data-testid="model-rename">
          Rename
        </Button>
        <Button color="error" onClick={() => setDialog('remove')} data-testid="model-remove">
          Remove
        </Button>
      </Stack>
      {!model.available && (
        <Alert severity="warning" sx={{ mt: 1 }} data-testid="model-unavailable">
          <AlertTitle>This model cannot be used right now</AlertTitle>
          {model.unavailableReason}{' '}
          {model.recheckable ? '' : 'Put the folder back, or add the model again from where it is now.'}
          {model.recheckable && !rechecking && (
            <Box sx={{ mt: 1 }}>
              <Button size="small" variant="outlined" onClick={() => void recheck()} data-testid="model-recheck">
                Re-check the files
              </Button>
            </Box>
          )}
          {rechecking && <HashProgress folder={model.folder} />}
        </Alert>
      )}
      {recheckError !== undefined && <ModelErrorAlert error={recheckError} testId="model-recheck-error" />}
      <Box sx={{ mt: 1 }}>
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
          data-testid="model-folder-path"
        >
          {model.folder}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="p">
          Added {new Date(model.addedAt).toLocaleString()} · content hash{' '}
          <span title={model.contentHash} data-testid="model-hash">
            {model.contentHash.slice(0, 12)}
          </span>
        </Typography>
      </Box>
      <WeightFormatPicker model={model} onChanged={onRenamed} />
      <FactTable title="Architecture" facts={architectureFacts(model)} testId="model-architecture-facts" />
      <FactTable title="Tokenizer" facts={tokenizerFacts(model)} testId="model-tokenizer-facts" />
      <RenameModelDialog
        model={model}
        open={dialog === 'rename'}
        onClose={() => setDialog(null)}
        onRenamed={onRenamed}
      />
      <RemoveModelDialog
        model={model}
        open={dialog === 'remove'}
        onClose={() => setDialog(null)}
        onRemoved={onRemoved}
      />
    </Paper>
  );
}
