// The Settings dialog (gear in the top bar, Ctrl/Cmd+,): app-level settings of this user, one section per area.
// Only the engine section exists so far; later sections go below it.
import { Button, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import { EngineSettingsSection } from './EngineSettingsSection';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      data-testid="settings-dialog"
      aria-labelledby="settings-title"
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id="settings-title">Settings</DialogTitle>
      <DialogContent>{open && <EngineSettingsSection />}</DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="settings-close">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
