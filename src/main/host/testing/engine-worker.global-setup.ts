// vitest globalSetup: builds the engine worker once per test run and hands its path to tests as
// inject('engineWorkerScript'); removes it afterwards. Tests fall back to building it themselves without this.
import type { TestProject } from 'vitest/node';
import { bundleEngineWorker } from './engine-worker-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    engineWorkerScript: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const bundle = await bundleEngineWorker();
  project.provide('engineWorkerScript', bundle.script);
  return () => bundle.remove();
}
