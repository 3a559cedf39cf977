// Tests only: bundles src/main/host/engine-worker.ts (and the render, scoring and import writer workers beside it, as
// the app's build does) into ESM files for a child process or worker thread (they need JavaScript). Dependencies stay
// external, so the file lives under node_modules/.cache where Node resolves them.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface WorkerBundle {
  /** Absolute path of the bundled worker script. */
  readonly script: string;
  /** The render worker, in the same folder (where compose.ts looks for it). */
  readonly renderScript: string;
  /** The scoring worker and the import writer, in the same folder too. */
  readonly scoringScript: string;
  readonly importWriterScript: string;
  remove(): void;
}

const cacheDir = join(root, 'node_modules', '.cache', 'dovetail-test');

export async function bundleEngineWorker(): Promise<WorkerBundle> {
  removeOrphans();
  const outDir = join(cacheDir, `engine-worker-${process.pid}-${Date.now()}`);
  mkdirSync(outDir, { recursive: true });
  for (const name of ['engine-worker', 'render-worker', 'scoring-worker', 'import-writer-worker']) {
    await build({
      configFile: false,
      root,
      logLevel: 'warn',
      build: {
        ssr: join(root, `src/main/host/${name}.ts`), // SSR mode: Node target, node_modules and builtins external
        outDir,
        emptyOutDir: false,
        minify: false,
        sourcemap: 'inline',
        rolldownOptions: { output: { format: 'es', entryFileNames: `${name}.mjs`, codeSplitting: false } },
      },
    });
  }
  const script = join(outDir, 'engine-worker.mjs');
  return {
    script,
    renderScript: join(outDir, 'render-worker.mjs'),
    scoringScript: join(outDir, 'scoring-worker.mjs'),
    importWriterScript: join(outDir, 'import-writer-worker.mjs'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

/** Removes bundles left by test processes that have ended (vitest may end its workers without running exit hooks). */
function removeOrphans(): void {
  let entries: string[];
  try {
    entries = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^engine-worker-(\d+)-/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
