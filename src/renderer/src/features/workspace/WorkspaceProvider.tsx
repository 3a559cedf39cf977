// The open workspace (or none), kept in step with the services through workspace.onChanged, so that a workspace
// opened or closed anywhere (another window, the CLI preview) shows here too.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../../shared/contract';
import { useLive } from '../../api';

interface WorkspaceValue {
  /** undefined while loading, null when no workspace is open. */
  readonly current: WorkspaceInfo | null | undefined;
  readonly error: unknown;
  /** Records the workspace a create/open/close call returned, without waiting for the event. */
  set(workspace: WorkspaceInfo | null): void;
}

const WorkspaceContext = createContext<WorkspaceValue | null>(null);

export function useWorkspace(): WorkspaceValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace must be used inside <WorkspaceProvider>');
  return value;
}

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const live = useLive(
    (api) => api.workspace.current({}),
    (api, onValue) => api.workspace.onChanged(onValue),
  );
  const value = useMemo<WorkspaceValue>(
    () => ({ current: live.data, error: live.error, set: live.set }),
    [live.data, live.error, live.set],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}
