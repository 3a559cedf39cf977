// vitest globalSetup: builds the engine, render, scoring and import writer workers once per test run and hands their
// paths to tests as inject('engineWorkerScript') / inject('renderWorkerScript'); removes them afterwards (tests build
// their own without).
import type { TestProject } from 'vitest/node';
import { bundleEngineWorker } from './engine-worker-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    engineWorkerScript: string;
    renderWorkerScript: string;
    scoringWorkerScript: string;
    importWriterScript: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const bundle = await bundleEngineWorker();
  project.provide('engineWorkerScript', bundle.script);
  project.provide('renderWorkerScript', bundle.renderScript);
  project.provide('scoringWorkerScript', bundle.scoringScript);
  project.provide('importWriterScript', bundle.importWriterScript);
  return () => bundle.remove();
}
