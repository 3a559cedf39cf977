// Tests only: the composed app (real dispatcher, services, SQLite, engine worker) with the demo workspace open in a
// temp folder, set up once per test file and removed after it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Api, DemoWorkspace } from '../../shared/contract';
import { composeApp, type ComposedApp } from '../compose';
import { localClient } from '../headless/local-client';
import { engineWorkerScript } from '../host/testing/engine-worker-script';

export interface DemoApp {
  dir: string;
  app: ComposedApp;
  api: Api;
  demo: DemoWorkspace;
  /** The version id of the demo's 'Support triage' dataset. */
  triageVersionId(): Promise<string>;
}

/** Registers beforeAll/afterAll; the returned object is filled once beforeAll has run. */
export function useDemoApp(prefix: string): DemoApp {
  const ctx = {} as DemoApp;
  beforeAll(async () => {
    ctx.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `dovetail-${prefix}-`)));
    ctx.app = composeApp({
      shell: 'browser',
      version: 'test',
      userDataDir: path.join(ctx.dir, 'user'),
      engineWorkerScript: await engineWorkerScript(),
      log: () => undefined,
    });
    ctx.api = localClient(ctx.app.dispatcher);
    ctx.demo = await ctx.api.demo.openDemoWorkspace({ path: path.join(ctx.dir, 'ws') });
    ctx.triageVersionId = async () => {
      const version = (await ctx.api.datasets.list({})).find((d) => d.name === 'Support triage')?.versions[0];
      if (!version) throw new Error('the demo workspace has no Support triage dataset');
      return version.id;
    };
  }, 120_000);
  afterAll(async () => {
    await ctx.app?.dispose();
    if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}
