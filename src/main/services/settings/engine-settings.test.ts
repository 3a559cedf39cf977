// Engine settings end to end in main: settings.update restarts a real worker with the new provider, threads and
// spinning; a provider that cannot start here (CUDA without its download) gives CPU sessions and a status saying why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineStatus, ProviderProbe, engineContract } from '../../../shared/contract/engine';
import { settingsContract } from '../../../shared/contract/settings';
import { Dispatcher } from '../../api/dispatcher';
import { WorkerConfig } from '../../engine/protocol';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { EngineService } from '../engine/engine-service';
import { SETTINGS_FILE } from './settings-file';
import { SettingsService } from './settings-service';
import { applyEngineSettings, engineConfig } from './engine-settings';

let script = '';
const cleanups: (() => Promise<void> | void)[] = [];
const CUDA_REASON =
  'CUDA provider binaries are not installed: run ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install';
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

beforeAll(async () => {
  script = await engineWorkerScript();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What composeApp wires, for these two services only. */
function compose(initial?: object) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-engine-settings-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  if (initial) fs.writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify(initial));
  const host = new EngineHost(script, spawnChildProcess);
  const statuses: EngineStatus[] = [];
  const settings = new SettingsService({
    userDataDir: dir,
    events: { emit: () => undefined },
    maxThreads: 2,
    apply: applyEngineSettings(host, path.join(dir, 'weight-cache')),
  });
  void host.reconfigure(engineConfig(settings.current.engine));
  const engine = new EngineService(host, { emit: (_event, status) => statuses.push(EngineStatus.parse(status)) });
  const dispatcher = new Dispatcher(
    { engine: engineContract, settings: settingsContract },
    { engine, settings },
    { validateResults: true },
  );
  cleanups.push(
    () => host.dispose(),
    () => engine.dispose(),
  );
  const call = async (service: 'engine' | 'settings', method: string, arg: unknown = {}) => {
    const response = await dispatcher.handle({ service, method, arg }, { transport: 'test' });
    if (!response.ok) throw new Error(`${service}.${method}: ${response.error.message}`);
    return response.result;
  };
  return { host, call, statuses, dispatcher };
}

describe.runIf(onLinuxX64)('engine settings', () => {
  it('runs sessions on CPU with the reason when CUDA is requested, and back on CPU without a fallback after switching', async () => {
    const { host, call, statuses } = compose({ version: 1, engine: { executionProvider: 'cuda', threads: 1 } });
    await host.start();
    expect(EngineStatus.parse(await call('engine', 'status'))).toMatchObject({
      state: 'ready',
      requestedProvider: 'cuda',
      provider: 'cpu',
      fallbackReason: CUDA_REASON,
    });
    expect(await call('engine', 'selfTest', { size: 8 })).toMatchObject({ ok: true, provider: 'cpu' });
    expect(await host.request('executionInfo', {})).toEqual({
      requestedProvider: 'cuda',
      provider: 'cpu',
      fallbackReason: CUDA_REASON,
      threads: 1,
      intraOpNumThreads: 1,
      spinThreads: false,
      intraOpAllowSpinning: false,
    });

    const probes = ProviderProbe.array().parse(await call('engine', 'probeProviders'));
    expect(probes.find((p) => p.name === 'cpu')).toMatchObject({ available: true });
    expect(probes.find((p) => p.name === 'cuda')).toMatchObject({ available: false, reason: CUDA_REASON });

    const restartsBefore = host.status.restarts;
    await call('settings', 'update', { engine: { executionProvider: 'cpu', threads: 2 } });
    expect(host.status).toMatchObject({
      state: 'ready',
      requestedProvider: 'cpu',
      provider: 'cpu',
      fallbackReason: null,
      restarts: restartsBefore + 1,
    });
    expect(await host.request('executionInfo', {})).toMatchObject({ threads: 2, intraOpNumThreads: 2 });
    expect(statuses.map((s) => s.state)).toContain('restarting');
    expect(statuses.at(-1)).toMatchObject({ state: 'ready', provider: 'cpu', fallbackReason: null });
  });

  it('restarts only when the engine settings change', async () => {
    const { host, call } = compose();
    await host.start();
    expect(host.sessionConfig).toEqual({ threads: 0, provider: 'cpu', spinThreads: false });
    await call('settings', 'update', { engine: { threads: 0 } });
    expect(host.status.restarts).toBe(0);
    await call('settings', 'update', { engine: { threads: 1 } });
    expect(host.status).toMatchObject({ state: 'ready', restarts: 1 });
    expect(await host.request('executionInfo', {})).toMatchObject({
      threads: 1,
      intraOpNumThreads: 1,
      provider: 'cpu',
    });
  });

  it('restarts the worker when spinning is switched, and its inference sessions get it', async () => {
    const { host, call } = compose();
    await host.start();
    // Off by default: spinning slows decode while other programs keep the processor busy.
    expect(await host.request('executionInfo', {})).toMatchObject({ spinThreads: false, intraOpAllowSpinning: false });
    await call('settings', 'update', { engine: { spinThreads: true } });
    expect(host.status).toMatchObject({ state: 'ready', restarts: 1 });
    expect(host.sessionConfig).toEqual({ threads: 0, provider: 'cpu', spinThreads: true });
    expect(await host.request('executionInfo', {})).toMatchObject({ spinThreads: true, intraOpAllowSpinning: true });
    await call('settings', 'update', { engine: { spinThreads: true } });
    expect(host.status.restarts).toBe(1);
    await call('settings', 'update', { engine: { spinThreads: false } });
    expect(host.status).toMatchObject({ state: 'ready', restarts: 2 });
    expect(await host.request('executionInfo', {})).toMatchObject({ spinThreads: false, intraOpAllowSpinning: false });
  });

  it('starts the first worker with spinning on when the saved settings say so', async () => {
    const { host } = compose({ version: 1, engine: { spinThreads: true } });
    await host.start();
    expect(await host.request('executionInfo', {})).toMatchObject({ spinThreads: true, intraOpAllowSpinning: true });
  });

  it('refuses an unknown provider at every boundary: settings.update and the worker config', async () => {
    const { dispatcher } = compose();
    const response = await dispatcher.handle(
      { service: 'settings', method: 'update', arg: { engine: { executionProvider: 'rocm' } } },
      { transport: 'test' },
    );
    expect(response).toMatchObject({
      ok: false,
      error: { kind: 'user', code: 'validation', where: 'settings.update: engine.executionProvider' },
    });
    expect(WorkerConfig.safeParse({ threads: 0, spinThreads: true, provider: 'cpu', testHooks: false }).success).toBe(
      true,
    );
    expect(WorkerConfig.safeParse({ threads: 0, spinThreads: true, provider: 'rocm', testHooks: false }).success).toBe(
      false,
    );
  });
});
