// While Dovetail reads a model folder (add) or hashes its files again (re-check): which file, how far, and Cancel.
// Hashing covers the weights, so for a multi-GB model it takes seconds to minutes; the API keeps answering meanwhile.
import { Box, Button, LinearProgress, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { ModelHashProgress } from '../../../../shared/contract';
import { useApi } from '../../api';

const MB = 1024 * 1024;

export function HashProgress({ folder }: { folder: string }) {
  const api = useApi();
  const [progress, setProgress] = useState<ModelHashProgress | null>(null);
  // One add or re-check runs from this view at a time; the events carry the folder with links resolved.
  useEffect(() => api.models.onHashProgress(setProgress), [api]);
  const percent = progress && progress.bytesTotal > 0 ? (100 * progress.bytesDone) / progress.bytesTotal : null;
  return (
    <Box sx={{ flex: 1, minWidth: 240 }} data-testid="model-inspecting" role="status">
      <LinearProgress
        variant={percent === null ? 'indeterminate' : 'determinate'}
        value={percent ?? 0}
        data-testid="model-hash-progress"
      />
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 0.5 }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {progress === null
            ? "Reading the model's configuration, tokenizer and weights…"
            : `Hashing ${progress.file || 'the files'}: ${(progress.bytesDone / MB).toFixed(0)} of ${(progress.bytesTotal / MB).toFixed(0)} MB`}
        </Typography>
        <Button size="small" onClick={() => void api.models.cancelHashing({ folder })} data-testid="model-hash-cancel">
          Stop
        </Button>
      </Stack>
    </Box>
  );
}
