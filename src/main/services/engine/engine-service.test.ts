// The engine service through the contract's dispatcher (validated arguments and results), over a real worker.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineStatus, SelfTestResult, engineContract } from '../../../shared/contract/engine';
import type { EventMessage } from '../../../shared/contract/wire';
import { Dispatcher } from '../../api/dispatcher';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { EngineService } from './engine-service';

let script = '';
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  script = await engineWorkerScript();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function compose() {
  const host = new EngineHost(script, spawnChildProcess, { threads: 1 });
  const events: EventMessage[] = [];
  const service = new EngineService(host, {
    emit: (event, payload) => events.push({ service: 'engine', event, payload }),
  });
  const dispatcher = new Dispatcher({ engine: engineContract }, { engine: service }, { validateResults: true });
  cleanups.push(
    () => host.dispose(),
    () => service.dispose(),
  );
  const call = (method: string, arg: unknown) =>
    dispatcher.handle({ service: 'engine', method, arg }, { transport: 'test' });
  return { host, call, events };
}

describe('EngineService', () => {
  it('runs the self-test in the worker and answers within the contract', async () => {
    const { call } = compose();
    const response = await call('selfTest', {});
    expect(response.ok).toBe(true);
    const result = SelfTestResult.parse(response.ok ? response.result : undefined);
    expect(result).toMatchObject({ ok: true, provider: 'cpu' });
    expect(result.detail).toContain('MatMul 64x64'); // the contract's default size
  });

  it('reports status and emits onStatus events as the worker starts and restarts', async () => {
    const { host, call, events } = compose();
    await host.start();
    const status = await call('status', {});
    expect(status).toEqual({
      ok: true,
      result: expect.objectContaining({ state: 'ready', ortVersion: '1.30.0', provider: 'cpu' }),
    });
    const restarted = await call('restart', {});
    expect(restarted).toEqual({ ok: true, result: expect.objectContaining({ state: 'ready', restarts: 1 }) });
    const states = events.map((e) => EngineStatus.parse(e.payload).state);
    expect(events.every((e) => e.service === 'engine' && e.event === 'onStatus')).toBe(true);
    expect(states).toEqual(['starting', 'ready', 'restarting', 'ready']);
  });

  it('rejects a self-test size outside the contract before it reaches the engine', async () => {
    const { call } = compose();
    const response = await call('selfTest', { size: 4096 });
    expect(response).toMatchObject({
      ok: false,
      error: { kind: 'user', code: 'validation', where: 'engine.selfTest: size' },
    });
  });
});
