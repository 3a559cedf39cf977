// The top bar: app name, the open workspace (switch/close), the current user, keyboard help, settings, theme toggle.
import DarkModeIcon from '@mui/icons-material/DarkMode';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import LightModeIcon from '@mui/icons-material/LightMode';
import SettingsIcon from '@mui/icons-material/Settings';
import { AppBar, Box, IconButton, Toolbar, Tooltip, Typography } from '@mui/material';
import { MOD_KEY_LABEL } from '../features/shell/useShortcuts';
import { UserSwitcher } from '../features/users/UserSwitcher';
import { WorkspaceMenu } from '../features/workspace/WorkspaceMenu';
import { useThemeMode } from '../theme/ThemeModeProvider';

export function TopBar({ showHelp, openSettings }: { showHelp: () => void; openSettings: () => void }) {
  const theme = useThemeMode();
  const next = theme.mode === 'dark' ? 'light' : 'dark';
  return (
    <AppBar position="static" elevation={0} color="primary">
      <Toolbar variant="dense" sx={{ gap: 2 }}>
        <Typography variant="h6" component="div" sx={{ fontWeight: 500 }}>
          Dovetail
        </Typography>
        <WorkspaceMenu />
        <Box sx={{ flex: 1 }} />
        <UserSwitcher />
        <Tooltip title="Keyboard shortcuts (?)">
          <IconButton
            color="inherit"
            onClick={showHelp}
            aria-label="Keyboard shortcuts"
            data-testid="shortcut-help-button"
          >
            <KeyboardIcon />
          </IconButton>
        </Tooltip>
        <Tooltip title={`Settings (${MOD_KEY_LABEL}+,)`}>
          <IconButton color="inherit" onClick={openSettings} aria-label="Settings" data-testid="settings-button">
            <SettingsIcon />
          </IconButton>
        </Tooltip>
        <Tooltip title={`Switch to ${next} theme`}>
          <IconButton
            color="inherit"
            onClick={theme.toggle}
            aria-label={`Switch to ${next} theme`}
            data-testid="theme-toggle"
            data-mode={theme.mode}
          >
            {theme.mode === 'dark' ? <LightModeIcon /> : <DarkModeIcon />}
          </IconButton>
        </Tooltip>
      </Toolbar>
    </AppBar>
  );
}
