// Run and Cancel, with their keys: Ctrl/Cmd+Enter runs and Esc cancels wherever the focus is while the Playground is
// shown (Run takes the focus away from the prompt when it disables itself).
import { Button, Stack } from '@mui/material';
import { useRunShortcuts } from '../../components/useRunShortcuts';

export interface RunControlsProps {
  readonly canRun: boolean;
  readonly busy: boolean;
  readonly cancelling: boolean;
  run(): void;
  cancel(): void;
}

export function RunControls({ canRun, busy, cancelling, run, cancel }: RunControlsProps) {
  useRunShortcuts({ run, cancel, busy }, 'window');

  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
      <Button variant="contained" onClick={run} disabled={!canRun} data-testid="playground-run">
        Run
      </Button>
      <Button onClick={cancel} disabled={!busy || cancelling} data-testid="playground-cancel">
        Cancel
      </Button>
    </Stack>
  );
}
