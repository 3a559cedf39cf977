// Build of the three Electron targets. main also yields the browser-mode server, the CLI and the engine worker,
// which run under plain Node as well, so they never import electron (only index.ts and ipc/ do).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  main: {
    define: { __DOVETAIL_VERSION__: JSON.stringify(pkg.version) },
    build: {
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          web: resolve('src/main/web.ts'),
          cli: resolve('src/main/cli.ts'),
          'engine-worker': resolve('src/main/host/engine-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: { input: resolve('src/renderer/index.html') },
    },
    worker: { format: 'es' },
  },
});
