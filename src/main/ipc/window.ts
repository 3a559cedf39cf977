// The main window, hardened: isolated, sandboxed, no Node in the renderer, no navigation, no new windows,
// no permissions, no webviews. Only our own origin may load.
import { join } from 'node:path';
import { app, BrowserWindow, session, shell, type IpcMainInvokeEvent } from 'electron';
import { APP_ORIGIN } from './app-protocol';
import { externalUrlAllowed } from './url-policy';

export interface WindowOptions {
  preloadPath: string;
  /** electron-vite's dev server URL in development; the app:// origin otherwise. */
  devUrl?: string;
}

export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isOwnUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser (allow-listed hosts only); nothing opens inside the app.
      if (externalUrlAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

let devOrigin: string | undefined;

export function createMainWindow(options: WindowOptions): BrowserWindow {
  devOrigin = options.devUrl ? new URL(options.devUrl).origin : undefined;
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Dovetail',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

export function isOwnUrl(url: string): boolean {
  try {
    const origin = new URL(url).origin;
    return origin === APP_ORIGIN || (devOrigin !== undefined && origin === devOrigin);
  } catch {
    return false;
  }
}

/** Calls must come from the main frame of one of our windows, showing our own origin. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return BrowserWindow.fromWebContents(event.sender) !== null && isOwnUrl(frame.url);
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}
