// The engine host against the real worker (bundled from src, onnxruntime-node inside), over both plain-Node
// channels: a child process (the default) and a worker thread.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineState, EngineStatus } from '../../shared/contract/engine';
import { BugError, CancelledError, UserError } from '../../shared/errors';
import { EngineHost, type EngineHostOptions } from './engine-host';
import { spawnChildProcess, spawnWorkerThread, type SpawnEngine } from './engine-channel';
import { engineWorkerScript } from './testing/engine-worker-script';

let script = '';
const hosts: EngineHost[] = [];

beforeAll(async () => {
  script = await engineWorkerScript();
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

function newHost(
  options: EngineHostOptions = {},
  spawn: SpawnEngine = spawnChildProcess,
): { host: EngineHost; states: EngineState[] } {
  const host = new EngineHost(script, spawn, {
    threads: 1,
    testHooks: true,
    restart: { initialDelayMs: 20 },
    ...options,
  });
  const states: EngineState[] = [];
  host.onStatus((s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  hosts.push(host);
  return { host, states };
}

function waitForStatus(host: EngineHost, predicate: (s: EngineStatus) => boolean): Promise<EngineStatus> {
  if (predicate(host.status)) return Promise.resolve(host.status);
  return new Promise((resolve) => {
    const off = host.onStatus((s) => {
      if (predicate(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** Runs burn until its first progress event, so the worker is certainly inside the run loop. */
function burnInFlight(host: EngineHost, options: { runs?: number; signal?: AbortSignal } = {}) {
  let started!: () => void;
  const inFlight = new Promise<void>((resolve) => (started = resolve));
  const progress: number[] = [];
  const result = host.request(
    'burn',
    { size: 256, layers: 4, runs: options.runs ?? 10_000 },
    {
      onProgress: (p) => {
        progress.push(p.run);
        started();
      },
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  result.catch(() => {}); // the tests inspect the rejection later; it must not count as unhandled meanwhile
  return { result, inFlight, progress };
}

const channels: [string, SpawnEngine, { killed: string; thrown: RegExp }][] = [
  ['child process', spawnChildProcess, { killed: 'killed by SIGKILL', thrown: /\(Error: Crash requested by a test\)/ }],
  ['worker thread', spawnWorkerThread, { killed: 'killed', thrown: /\(Crash requested by a test\)/ }],
];

describe.each(channels)('EngineHost over a %s', (_name, spawn, reasons) => {
  const host = (options: EngineHostOptions = {}) => newHost(options, spawn);

  it('starts the worker, says which ORT and provider it runs, and answers ping', async () => {
    const { host: engine, states } = host();
    await engine.start();
    expect(engine.status).toMatchObject({
      state: 'ready',
      provider: 'cpu',
      ortVersion: '1.30.0',
      restarts: 0,
      pending: 0,
    });
    await expect(engine.request('ping', {})).resolves.toMatchObject({ pong: true });
    expect(states).toEqual(['starting', 'ready', 'busy', 'ready']);
  });

  it('runs a graph built in code in the worker and reports each run', async () => {
    const { host: engine } = host();
    await engine.start();
    const progress: number[] = [];
    const result = await engine.request(
      'burn',
      { size: 384, layers: 4, runs: 40 },
      { onProgress: (p) => progress.push(p.run) },
    );
    expect(result.runs).toBe(40);
    expect(progress).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('keeps the main event loop ticking while a run is in flight in the worker', async () => {
    const { host: engine } = host();
    const controller = new AbortController();
    const burn = burnInFlight(engine, { runs: 100_000, signal: controller.signal });
    let settled = false;
    void burn.result.finally(() => (settled = true)).catch(() => {});
    await burn.inFlight;
    // The same runs on this thread would let no timer fire (ORT's run blocks). Counting timer callbacks rather than
    // milliseconds keeps this true on a fast machine and on a loaded one alike.
    await new Promise<void>((resolve) => {
      let ticks = 0;
      const interval = setInterval(() => {
        if (++ticks < 20) return;
        clearInterval(interval);
        resolve();
      }, 5);
    });
    expect(settled).toBe(false);
    const runsWhileTicking = burn.progress.length;
    controller.abort();
    await expect(burn.result).rejects.toBeInstanceOf(CancelledError);
    expect(runsWhileTicking).toBeGreaterThan(0);
  });

  it('cancels a burn mid-run with CancelledError and stays usable', async () => {
    const { host: engine } = host();
    const controller = new AbortController();
    const burn = burnInFlight(engine, { signal: controller.signal });
    await burn.inFlight;
    controller.abort();
    await expect(burn.result).rejects.toBeInstanceOf(CancelledError);
    expect(burn.progress.length).toBeLessThan(10_000);
    expect(engine.status).toMatchObject({ state: 'ready', pending: 0, restarts: 0 });
    await expect(engine.request('ping', {})).resolves.toMatchObject({ pong: true });
  });

  it('reports a worker killed mid-run to the pending request, goes crashed -> ready, and serves the next request', async () => {
    const { host: engine, states } = host();
    await engine.start();
    const burn = burnInFlight(engine);
    await burn.inFlight;
    engine.kill();
    const error = await burn.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `The engine stopped unexpectedly while running burn (${reasons.killed}); it has been restarted`,
    );
    expect((error as UserError).code).toBe('engine-crashed');
    await waitForStatus(engine, (s) => s.state === 'ready');
    expect(states).toEqual(['starting', 'ready', 'busy', 'crashed', 'restarting', 'ready']);
    expect(engine.status).toMatchObject({
      restarts: 1,
      pending: 0,
      lastError: `The engine stopped unexpectedly (${reasons.killed})`,
    });
    await expect(engine.request('selfTest', { size: 8 })).resolves.toMatchObject({ ok: true });
  });

  it('recovers from an uncaught exception and from process.exit inside the worker', async () => {
    const { host: engine } = host();
    await engine.start();
    const thrown = await engine.crashForTest('throw').catch((e: unknown) => e);
    expect((thrown as Error).message).toMatch(/^The engine stopped unexpectedly while running crash /);
    expect((thrown as Error).message).toMatch(reasons.thrown);
    await expect(engine.request('ping', {})).resolves.toMatchObject({ pong: true });
    await expect(engine.crashForTest('exit')).rejects.toThrow('while running crash (exit code 3)');
    await expect(engine.request('ping', {})).resolves.toMatchObject({ pong: true });
    expect(engine.status.restarts).toBe(2);
  });

  it('dispose cancels what is pending and leaves no worker running', async () => {
    const exits: (number | null)[] = [];
    const tracking: SpawnEngine = (path, args) => {
      const channel = spawn(path, args);
      channel.onExit((e) => exits.push(e.code));
      return channel;
    };
    const { host: engine, states } = newHost({}, tracking);
    const burn = burnInFlight(engine);
    await burn.inFlight;
    await engine.dispose();
    await expect(burn.result).rejects.toBeInstanceOf(CancelledError);
    expect(exits).toEqual([0]); // it exited by itself after releasing its session: not killed
    expect(engine.status.state).toBe('stopped');
    expect(states.at(-1)).toBe('stopped');
    await expect(engine.request('ping', {})).rejects.toBeInstanceOf(BugError);
  });
});

describe('EngineHost', () => {
  it('computes the self-test MLP in ORT and JS alike', async () => {
    const { host } = newHost();
    const result = await host.request('selfTest', { size: 96, layers: 3 });
    expect(result.ok).toBe(true);
    expect(result.maxAbsError).toBeLessThan(1e-4);
    expect(result.detail).toContain('3 x (MatMul 96x96 + Add + Tanh) + ReduceSum on cpu');
  });

  it('answers ping between the steps of a long job', async () => {
    const { host } = newHost();
    const controller = new AbortController();
    const burn = burnInFlight(host, { signal: controller.signal });
    await burn.inFlight;
    expect(host.status.pending).toBe(1);
    await expect(host.request('ping', {})).resolves.toMatchObject({ pong: true });
    controller.abort();
    await expect(burn.result).rejects.toBeInstanceOf(CancelledError);
  });

  it('keeps requests made while the worker restarts and sends them to the new worker', async () => {
    const { host } = newHost({ restart: { initialDelayMs: 200 } });
    await host.start();
    host.kill();
    await waitForStatus(host, (s) => s.state === 'crashed');
    const ping = host.request('ping', {});
    expect(host.status).toMatchObject({ state: 'crashed', pending: 1 });
    await expect(ping).resolves.toMatchObject({ pong: true });
  });

  it('stops restarting after a crash loop until restart() is called', async () => {
    const { host } = newHost({ restart: { initialDelayMs: 1, maxCrashes: 2 } });
    await host.start();
    for (let i = 0; i < 2; i++) {
      await expect(host.crashForTest('exit')).rejects.toMatchObject({ code: 'engine-crashed' });
      await host.start();
    }
    await expect(host.crashForTest('exit')).rejects.toMatchObject({ code: 'engine-stopped' });
    expect(host.status.state).toBe('crashed');
    await expect(host.request('ping', {})).rejects.toThrow(/was not restarted: it stopped 3 times within 60 s/);
    await host.restart();
    expect(host.status).toMatchObject({ state: 'ready', restarts: 3 });
    await expect(host.request('ping', {})).resolves.toMatchObject({ pong: true });
  });

  it('restart() fails what was in flight with a clear error and comes back ready', async () => {
    const { host } = newHost();
    const burn = burnInFlight(host);
    await burn.inFlight;
    await host.restart();
    await expect(burn.result).rejects.toThrow('The engine was restarted while running burn');
    expect(host.status).toMatchObject({ state: 'ready', restarts: 1, pending: 0 });
  });

  it('rejects bad parameters before they reach the worker, naming the field', async () => {
    const { host } = newHost();
    const error = await host.request('selfTest', { size: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'validation', where: 'engine.selfTest: size' });
  });

  it('reports a worker that cannot start, with the reason', async () => {
    const host = new EngineHost('/nonexistent/engine-worker.mjs', spawnChildProcess, { restart: { maxCrashes: 0 } });
    hosts.push(host);
    await expect(host.start()).rejects.toThrow(
      /The engine stopped unexpectedly \(it failed to start: .*Cannot find module '\/nonexistent/,
    );
    expect(host.status.state).toBe('crashed');
  });
});
