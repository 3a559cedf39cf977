// "Serve with vLLM" on a release's page: the `vllm serve` line that serves its LoRA as one model name, with a copy
// button; a release with a soft prompt is served as its LoRA-only variant (said so), one without a LoRA not at all.
import { Alert, Box, Button, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import type { Release } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';

export function VllmCommandPanel({ release }: { release: Release }) {
  const loaded = useLoad((a) => a.releases.vllmCommand({ id: release.id }), [release.id]);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const cmd = loaded.data;
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed'); // a page without clipboard access: the command stays selectable
    }
  };
  return (
    <Box sx={{ mt: 2 }} data-testid="vllm-panel">
      <Typography variant="subtitle2">Serve with vLLM</Typography>
      <ErrorAlert error={loaded.error} testId="vllm-error" />
      {cmd && cmd.command === null && (
        <Alert severity="warning" data-testid="vllm-no-command">
          {cmd.notes.join(' ')}
        </Alert>
      )}
      {cmd && cmd.command !== null && (
        <Stack spacing={1}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <Box
              component="pre"
              data-testid="vllm-command"
              sx={{
                flex: 1,
                m: 0,
                p: 1,
                bgcolor: 'action.hover',
                borderRadius: 1,
                fontFamily: 'monospace',
                fontSize: 13,
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
              }}
            >
              {cmd.command}
            </Box>
            <Button size="small" onClick={() => void copy(cmd.command ?? '')} data-testid="vllm-copy">
              {copied === 'yes' ? 'Copied' : 'Copy'}
            </Button>
          </Stack>
          {copied === 'failed' && (
            <Typography variant="caption" color="text.secondary">
              This page may not use the clipboard: select the command and copy it.
            </Typography>
          )}
          {cmd.loraOnly && (
            <Alert severity="warning" data-testid="vllm-lora-only">
              {cmd.notes[0]}
            </Alert>
          )}
          {cmd.notes.slice(cmd.loraOnly ? 1 : 0).map((n) => (
            <Typography key={n} variant="body2" color="text.secondary" data-testid="vllm-note">
              {n}
            </Typography>
          ))}
        </Stack>
      )}
    </Box>
  );
}
