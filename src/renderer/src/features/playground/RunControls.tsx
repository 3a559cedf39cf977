// Run and Cancel, with their keys: Ctrl/Cmd+Enter runs and Esc cancels wherever the focus is while the Playground is
// shown (Run takes the focus away from the prompt when it disables itself).
import { Button, Stack } from '@mui/material';
import { useEffect, useRef } from 'react';

export interface RunControlsProps {
  readonly canRun: boolean;
  readonly busy: boolean;
  readonly cancelling: boolean;
  run(): void;
  cancel(): void;
}

export function RunControls({ canRun, busy, cancelling, run, cancel }: RunControlsProps) {
  const keys = useRef({ run, cancel, busy });
  keys.current = { run, cancel, busy };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        keys.current.run();
      } else if (event.key === 'Escape' && keys.current.busy) {
        event.preventDefault();
        keys.current.cancel();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

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
