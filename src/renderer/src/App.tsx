// The renderer's composition: theme, error reporting, the typed Api, launch facts, the open workspace, the sections
// the features register (root/sections.tsx), the shell.
import type { ApiConnection } from './api';
import { ApiProvider } from './api';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorReporter } from './components/ErrorReporter';
import { AppInfoProvider } from './features/app/AppInfoProvider';
import { SectionsProvider } from './features/shell/sections';
import { WorkspaceProvider } from './features/workspace/WorkspaceProvider';
import { AppShell } from './root/AppShell';
import { SECTIONS } from './root/sections';
import { ThemeModeProvider } from './theme/ThemeModeProvider';

export function App({ connection }: { connection: ApiConnection }) {
  return (
    <ThemeModeProvider>
      <ErrorBoundary>
        <ErrorReporter>
          <ApiProvider value={connection}>
            <AppInfoProvider>
              <WorkspaceProvider>
                <SectionsProvider sections={SECTIONS}>
                  <AppShell />
                </SectionsProvider>
              </WorkspaceProvider>
            </AppInfoProvider>
          </ApiProvider>
        </ErrorReporter>
      </ErrorBoundary>
    </ThemeModeProvider>
  );
}
