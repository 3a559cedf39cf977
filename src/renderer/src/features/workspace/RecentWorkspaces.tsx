// Workspaces opened before, newest first. A folder that has gone is shown greyed out; any entry can be forgotten.
import DeleteIcon from '@mui/icons-material/Delete';
import FolderIcon from '@mui/icons-material/Folder';
import {
  Box,
  IconButton,
  List,
  ListItem,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Tooltip,
  Typography,
} from '@mui/material';
import type { RecentWorkspace } from '../../../../shared/contract';
import { useApi, useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';
import { useSubmit } from '../../components/useSubmit';
import { useWorkspace } from './WorkspaceProvider';

function whenOpened(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `opened ${date.toLocaleString()}`;
}

export function RecentWorkspaces() {
  const api = useApi();
  const workspace = useWorkspace();
  const recent = useLoad((a) => a.workspace.recent({}), [workspace.current?.path]);
  const { error, submit } = useSubmit();

  const open = (item: RecentWorkspace) =>
    submit(async () => workspace.set(await api.workspace.open({ path: item.path })));
  const forget = (item: RecentWorkspace) =>
    submit(async () => {
      await api.workspace.forgetRecent({ path: item.path });
      recent.reload();
    });

  const items = recent.data ?? [];
  return (
    <Box data-testid="recent-workspaces">
      <Typography variant="h6" component="h2">
        Recent workspaces
      </Typography>
      {recent.data && items.length === 0 && (
        <Typography variant="body2" color="text.secondary" data-testid="recent-empty" sx={{ mt: 1 }}>
          Workspaces you create or open will be listed here.
        </Typography>
      )}
      <ErrorAlert error={error ?? recent.error} testId="recent-error" />
      <List dense data-testid="recent-list">
        {items.map((item) => (
          <ListItem
            key={item.path}
            disablePadding
            data-testid="recent-item"
            secondaryAction={
              <Tooltip title="Forget (the folder is not deleted)">
                <IconButton
                  edge="end"
                  aria-label={`Forget ${item.name}`}
                  onClick={() => void forget(item)}
                  data-testid="recent-forget"
                >
                  <DeleteIcon />
                </IconButton>
              </Tooltip>
            }
          >
            <ListItemButton disabled={!item.exists} onClick={() => void open(item)} aria-label={`Open ${item.name}`}>
              <ListItemIcon>
                <FolderIcon />
              </ListItemIcon>
              <ListItemText
                primary={item.name}
                secondary={
                  item.exists ? `${item.path} · ${whenOpened(item.openedAt)}` : `${item.path} · folder not found`
                }
              />
            </ListItemButton>
          </ListItem>
        ))}
      </List>
    </Box>
  );
}
