// vitest globalSetup: builds the engine and render workers once per test run and hands their paths to tests as
// inject('engineWorkerScript') / inject('renderWorkerScript'); removes them afterwards (tests build their own without).
import type { TestProject } from 'vitest/node';
import { bundleEngineWorker } from './engine-worker-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    engineWorkerScript: string;
    renderWorkerScript: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const bundle = await bundleEngineWorker();
  project.provide('engineWorkerScript', bundle.script);
  project.provide('renderWorkerScript', bundle.renderScript);
  return () => bundle.remove();
}
