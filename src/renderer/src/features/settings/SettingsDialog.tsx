// The Settings dialog (gear in the top bar, Ctrl/Cmd+,): app-level settings of this user, one section per area.
// The engine section, then the Hugging Face Hub's (downloads: address, proxy, offline mode, access token).
import { Button, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import { EngineSettingsSection } from './EngineSettingsSection';
import { HubSettingsSection } from './HubSettingsSection';

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
      <DialogContent>
        {open && <EngineSettingsSection />}
        {open && <HubSettingsSection />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="settings-close">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
