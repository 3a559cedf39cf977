// Tests only: the path of a runnable engine worker: the one globalSetup built, or one built now for this test file.
import { inject } from 'vitest';
import { bundleEngineWorker } from './engine-worker-bundle';

export async function engineWorkerScript(): Promise<string> {
  const provided = inject('engineWorkerScript') as string | undefined;
  if (provided) return provided;
  const bundle = await bundleEngineWorker();
  process.once('exit', () => bundle.remove()); // best effort; the next bundle removes those of ended processes
  return bundle.script;
}

/** The path of a runnable render worker (built with the engine worker). */
export async function renderWorkerScript(): Promise<string> {
  const provided = inject('renderWorkerScript') as string | undefined;
  if (provided) return provided;
  const bundle = await bundleEngineWorker();
  process.once('exit', () => bundle.remove());
  return bundle.renderScript;
}

/** The path of a runnable scoring worker or import writer (built with the engine worker). */
export async function taskWorkerScript(name: 'scoring' | 'importWriter'): Promise<string> {
  const key = name === 'scoring' ? 'scoringWorkerScript' : 'importWriterScript';
  const provided = inject(key) as string | undefined;
  if (provided) return provided;
  const bundle = await bundleEngineWorker();
  process.once('exit', () => bundle.remove());
  return name === 'scoring' ? bundle.scoringScript : bundle.importWriterScript;
}
