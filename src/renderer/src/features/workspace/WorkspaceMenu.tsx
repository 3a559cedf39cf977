// The open workspace in the top bar, with switch and close actions.
import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import { Button, Menu, MenuItem, Tooltip } from '@mui/material';
import { useEffect, useState } from 'react';
import { useApi } from '../../api';
import { useReportError } from '../../components/ErrorReporter';
import { WorkspacePickerDialog } from './WorkspacePicker';
import { useWorkspace } from './WorkspaceProvider';

export function WorkspaceMenu() {
  const api = useApi();
  const report = useReportError();
  const workspace = useWorkspace();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [switching, setSwitching] = useState(false);
  const current = workspace.current;
  // Any workspace opened (from the dialog or elsewhere) ends the switch.
  useEffect(() => setSwitching(false), [current]);
  if (!current) return null;

  const close = async () => {
    setAnchor(null);
    try {
      await api.workspace.close({});
      workspace.set(null);
    } catch (error) {
      report(error);
    }
  };

  return (
    <>
      <Tooltip title={current.path}>
        <Button
          color="inherit"
          startIcon={<FolderOpenIcon />}
          onClick={(e) => setAnchor(e.currentTarget)}
          data-testid="current-workspace"
          aria-haspopup="menu"
          sx={{ textTransform: 'none' }}
        >
          {current.name}
        </Button>
      </Tooltip>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem
          onClick={() => {
            setAnchor(null);
            setSwitching(true);
          }}
          data-testid="workspace-switch"
        >
          Switch workspace…
        </MenuItem>
        <MenuItem onClick={() => void close()} data-testid="workspace-close">
          Close workspace
        </MenuItem>
      </Menu>
      <WorkspacePickerDialog open={switching} onClose={() => setSwitching(false)} />
    </>
  );
}
