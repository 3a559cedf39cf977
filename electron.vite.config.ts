// Build of the three Electron targets. main also yields the browser-mode server, the CLI and the engine worker,
// which run under plain Node as well, so they never import electron (only index.ts and ipc/ do).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { CONTENT_SECURITY_POLICY } from './src/main/host/security';

/** Writes the one CSP (src/main/host/security.ts) into index.html. The dev server alone also allows the inline
 * React-refresh preamble; built files never do. */
function contentSecurityPolicy(): Plugin {
  let serving = false;
  return {
    name: 'dovetail-csp',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const policy = serving
        ? CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        : CONTENT_SECURITY_POLICY;
      return html.replace('%DOVETAIL_CSP%', policy);
    },
  };
}

export default defineConfig({
  main: {
    define: {
      __DOVETAIL_VERSION__: JSON.stringify(pkg.version),
      // Whether the dev server built this bundle: only then may ELECTRON_RENDERER_URL replace the app:// renderer.
      __DOVETAIL_DEV_BUILD__: JSON.stringify(process.env.NODE_ENV_ELECTRON_VITE === 'development'),
    },
    build: {
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          web: resolve('src/main/web.ts'),
          cli: resolve('src/main/cli.ts'),
          'engine-worker': resolve('src/main/host/engine-worker.ts'),
          'render-worker': resolve('src/main/host/render-worker.ts'),
          'scoring-worker': resolve('src/main/host/scoring-worker.ts'),
          'import-writer-worker': resolve('src/main/host/import-writer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only electron: bundle everything else (zod, the shared contract).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), contentSecurityPolicy()],
    build: {
      rolldownOptions: { input: resolve('src/renderer/index.html') },
    },
    worker: { format: 'es' },
  },
});
