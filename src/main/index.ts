// Desktop entry (Electron main process): hardens the shell, serves the renderer on app://, binds IPC to the same
// services browser mode uses, and runs the engine in a utilityProcess.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { composeApp, type ComposedApp } from './compose';
import { registerAppScheme, serveRenderer } from './ipc/app-protocol';
import { bindIpc } from './ipc/ipc-binding';
import { keychainCipher } from './ipc/safe-storage-cipher';
import { spawnUtilityProcess } from './ipc/utility-engine-channel';
import { devRendererUrl } from './ipc/url-policy';
import { createMainWindow, hardenSessions, isTrustedSender, preloadPath } from './ipc/window';
import { APP_VERSION } from './version';

const here = dirname(fileURLToPath(import.meta.url));
/** Set by electron.vite.config.ts: true only in bundles the dev server built. */
declare const __DOVETAIL_DEV_BUILD__: boolean | undefined;
const DEV_BUILD = typeof __DOVETAIL_DEV_BUILD__ === 'boolean' && __DOVETAIL_DEV_BUILD__;

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let composed: ComposedApp | undefined;
  let mainWindow: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(() => {
    hardenSessions();
    serveRenderer(join(here, '../renderer'));
    const cipher = keychainCipher();
    composed = composeApp({
      shell: 'desktop',
      version: APP_VERSION,
      userDataDir: app.getPath('userData'),
      engineWorkerScript: join(here, 'engine-worker.js'),
      ...(cipher ? { secretCipher: cipher } : {}),
      rendererDir: join(here, '../renderer'),
      spawnEngine: spawnUtilityProcess,
      folderPicker: async (title) => {
        const options = {
          title,
          properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
        };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    });
    bindIpc(ipcMain, composed.dispatcher as never, isTrustedSender, () =>
      BrowserWindow.getAllWindows().map((w) => w.webContents),
    );
    const devUrl = devRendererUrl(process.env, { packaged: app.isPackaged, devBuild: DEV_BUILD });
    mainWindow = createMainWindow({ preloadPath: preloadPath(here), ...(devUrl ? { devUrl } : {}) });
  });

  app.on('window-all-closed', () => app.quit());

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !composed) return;
    event.preventDefault();
    disposed = true;
    void composed.dispose().finally(() => app.quit());
  });
}
