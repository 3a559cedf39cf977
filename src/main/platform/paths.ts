// Per-user folders outside any workspace, matching Electron's app.getPath('userData') for "Dovetail", so the
// desktop app and browser mode share the recent-workspace list.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Dovetail');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Dovetail');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Dovetail');
}

/** Where new workspaces go by default: ~/Documents when it exists in spirit, else home. */
export function defaultWorkspaceParent(): string {
  return join(homedir(), 'Documents', 'Dovetail');
}
