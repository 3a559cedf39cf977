// The window's layout: top bar, connection banner, then either the workspace picker (no workspace open) or the
// navigation with the current section, and the status bar at the bottom. Part of the composition root: it puts the
// features (workspace, users, engine, settings) around the shell, which knows none of them.
import { Alert, Box, CircularProgress } from '@mui/material';
import { useCallback, useState } from 'react';
import { useLive } from '../api';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { ErrorAlert } from '../components/ErrorReporter';
import { EngineStatusBar } from '../features/engine/EngineStatusBar';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { NavRail } from '../features/shell/NavRail';
import { numberedSections, useSections, type SectionId } from '../features/shell/sections';
import { SectionView } from '../features/shell/SectionView';
import { ShortcutHelpDialog } from '../features/shell/ShortcutHelpDialog';
import { useSection } from '../features/shell/useSection';
import { useShortcuts } from '../features/shell/useShortcuts';
import { SignInPage } from '../features/users/SignInPage';
import { WorkspacePickerPage } from '../features/workspace/WorkspacePicker';
import { useWorkspace } from '../features/workspace/WorkspaceProvider';
import { TopBar } from './TopBar';

/** The sections of a reviewer: only the review queue (blinding itself is enforced by the services). */
const REVIEWER_SECTIONS: readonly SectionId[] = ['review'];

function Body() {
  const { current, error } = useWorkspace();
  const [sectionId, go] = useSection();
  const sections = useSections();
  const me = useLive(
    (api) => api.users.current({}),
    (api, onValue) => api.users.onChanged(() => void api.users.current({}).then(onValue, () => undefined)),
    [current?.id],
  );
  if (current === undefined) {
    if (error !== undefined) {
      return (
        <Box sx={{ p: 4 }}>
          <ErrorAlert error={error} testId="workspace-error" />
        </Box>
      );
    }
    return (
      <Box sx={{ flex: 1, display: 'grid', placeItems: 'center' }}>
        <CircularProgress aria-label="Loading workspace" />
      </Box>
    );
  }
  if (current === null) return <WorkspacePickerPage />;
  if (me.data === null) return <SignInPage onSignedIn={(user) => me.set(user)} />;
  const only = current && me.data?.role === 'reviewer' ? REVIEWER_SECTIONS : undefined;
  const allowed = only && !only.includes(sectionId) ? only[0] : sectionId;
  const section = sections.find((s) => s.id === allowed) ?? numberedSections(sections)[0] ?? sections[0];
  if (!section) return <Alert severity="error">No sections are defined.</Alert>;
  return (
    <Box sx={{ flex: 1, display: 'flex', minHeight: 0 }}>
      <NavRail current={section.id} go={go} {...(only ? { only } : {})} />
      <SectionView section={section} />
    </Box>
  );
}

export function AppShell() {
  const { current } = useWorkspace();
  const [, go] = useSection();
  const [helpOpen, setHelpOpen] = useState(false);
  const showHelp = useCallback(() => setHelpOpen(true), []);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const openSettings = useCallback(() => setSettingsOpen(true), []);
  useShortcuts({ canNavigate: Boolean(current), go, showHelp, openSettings });
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }} data-testid="app-shell">
      <TopBar showHelp={showHelp} openSettings={openSettings} />
      <ConnectionBanner />
      <Body />
      <EngineStatusBar />
      <ShortcutHelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </Box>
  );
}
