// First run: "Open the demo workspace" sets up a workspace with the bundled demo model in one click, and opens it on
// "Start here" (the main loop as a checklist) rather than the model's spec sheet.
import { Alert, Box, Button, CircularProgress, Stack, Typography } from '@mui/material';
import { useApi } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSection } from '../shell/useSection';
import { useWorkspace } from './WorkspaceProvider';
import { useSubmit } from '../../components/useSubmit';

export function DemoWorkspaceCard() {
  const api = useApi();
  const workspace = useWorkspace();
  const [, go] = useSection();
  const { busy, error, submit } = useSubmit();

  const open = () =>
    submit(async () => {
      // The address first: the workspace opens on it, and whatever the user opens while the demo datasets are still
      // being imported is not taken away from them when the call returns.
      go('start');
      const demo = await api.demo.openDemoWorkspace({});
      workspace.set(demo.workspace);
    });

  return (
    <Box data-testid="demo-workspace">
      <Alert
        severity="info"
        icon={false}
        action={
          <Button
            variant="contained"
            onClick={() => void open()}
            disabled={busy}
            data-testid="demo-open"
            sx={{ whiteSpace: 'nowrap' }}
          >
            {busy ? <CircularProgress size={20} color="inherit" /> : 'Open the demo workspace'}
          </Button>
        }
      >
        <Stack spacing={0.5}>
          <Typography variant="subtitle1" component="h2">
            New here? Start with the demo
          </Typography>
          <Typography variant="body2">
            A ready workspace with Dovetail's small bundled language model, so you can try prompts, adapters and
            comparisons straight away. Nothing leaves this computer.
          </Typography>
        </Stack>
      </Alert>
      <ErrorAlert error={error} testId="demo-error" />
    </Box>
  );
}
