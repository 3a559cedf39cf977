// The renderer's composition: theme, error reporting, the typed Api, launch facts, the open workspace, the shell.
import type { ApiConnection } from './api';
import { ApiProvider } from './api';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorReporter } from './components/ErrorReporter';
import { AppInfoProvider } from './features/app/AppInfoProvider';
import { AppShell } from './features/shell/AppShell';
import { WorkspaceProvider } from './features/workspace/WorkspaceProvider';
import { ThemeModeProvider } from './theme/ThemeModeProvider';

export function App({ connection }: { connection: ApiConnection }) {
  return (
    <ThemeModeProvider>
      <ErrorBoundary>
        <ErrorReporter>
          <ApiProvider value={connection}>
            <AppInfoProvider>
              <WorkspaceProvider>
                <AppShell />
              </WorkspaceProvider>
            </AppInfoProvider>
          </ApiProvider>
        </ErrorReporter>
      </ErrorBoundary>
    </ThemeModeProvider>
  );
}
