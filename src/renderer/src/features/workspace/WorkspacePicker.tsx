// Choosing a workspace: create one, open one by folder, or pick a recent one. Shown full-page when none is open,
// and in a dialog when the user switches workspaces.
import { Box, Dialog, DialogContent, DialogTitle, Divider, Paper, Stack, Typography } from '@mui/material';
import { CreateWorkspaceForm } from './CreateWorkspaceForm';
import { DemoWorkspaceCard } from './DemoWorkspaceCard';
import { OpenWorkspaceForm } from './OpenWorkspaceForm';
import { RecentWorkspaces } from './RecentWorkspaces';

function PickerContent() {
  return (
    <Stack spacing={3} divider={<Divider flexItem />}>
      <DemoWorkspaceCard />
      <CreateWorkspaceForm />
      <OpenWorkspaceForm />
      <RecentWorkspaces />
    </Stack>
  );
}

export function WorkspacePickerPage() {
  return (
    <Box sx={{ flex: 1, overflow: 'auto', py: 4 }} data-testid="workspace-picker">
      <Paper variant="outlined" sx={{ maxWidth: 760, mx: 'auto', p: 4 }}>
        <Typography variant="h4" component="h1">
          Choose a workspace
        </Typography>
        <Typography color="text.secondary" sx={{ mt: 1, mb: 3 }}>
          A workspace is a folder that keeps everything for one project together: models, datasets, prompts, adapters,
          experiments and reviews.
        </Typography>
        <PickerContent />
      </Paper>
    </Box>
  );
}

export function WorkspacePickerDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth data-testid="workspace-picker-dialog">
      <DialogTitle>Switch workspace</DialogTitle>
      <DialogContent>
        <PickerContent />
      </DialogContent>
    </Dialog>
  );
}
