// The main-process owner of the engine worker: spawns it, matches responses to requests, relays progress and
// cancel, reports status, and when the worker dies fails what was in flight and starts a new one (with backoff).
import type { EngineState, EngineStatus } from '../../shared/contract/engine';
import type { ExecutionProvider } from '../../shared/contract/settings';
import { BugError, CancelledError, fromErrorShape } from '../../shared/errors';
import {
  PROTOCOL_VERSION,
  WORKER_CONFIG_FLAG,
  WorkerMessage,
  describeIssues,
  engineMethods,
  engineTestMethods,
  invalidParams,
  type EngineMethod,
  type EngineMethodName,
  type ParamsIn,
  type Progress,
  type Result,
  type WorkerConfig,
} from '../engine/protocol';
import type { EngineControl, EngineSessionConfig, RequestOptions } from '../engine/client';
import type { WeightSettings } from '../engine/weights-protocol';
import { crashedError, givenUpError, restartedError } from '../engine/engine-errors';
import { spawnChildProcess, type ChannelExit, type EngineChannel, type SpawnEngine } from './engine-channel';
import { DEFAULT_RESTART_POLICY, RestartPolicy, type RestartPolicyOptions } from './restart-policy';

export interface EngineHostOptions {
  /** ORT intra-op threads per session; 0 = ORT's default (one per physical core). */
  threads?: number;
  /** Inference sessions keep idle intra-op threads spinning between runs; default true, as the setting's default. */
  spinThreads?: boolean;
  /** Execution provider sessions are created on; the worker falls back to CPU (and says why) when it cannot start. */
  provider?: ExecutionProvider;
  /** Enables test-only worker methods (crashForTest). Never set by the composition root. */
  testHooks?: boolean;
  restart?: Partial<RestartPolicyOptions>;
  /** A worker that has not said hello by then is killed and counted as a crash. */
  startTimeoutMs?: number;
  /** How long dispose() waits for the worker to release its sessions before killing it. */
  shutdownTimeoutMs?: number;
  /** Where protocol violations are reported (a logger); they mean host and worker are out of step. */
  onBug?: (error: unknown) => void;
}

type Phase = 'stopped' | 'starting' | 'restarting' | 'running' | 'crashed';

interface Pending {
  readonly method: string;
  readonly params: unknown;
  readonly spec: EngineMethod;
  sent: boolean;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress: ((data: unknown) => void) | undefined;
  readonly detach: () => void;
}

interface WorkerHandle {
  readonly channel: EngineChannel;
  hello: boolean;
  /** Why the host is stopping it; undefined means any exit is a crash. */
  stopping: 'restart' | 'dispose' | undefined;
  /** The worker's own account of a fatal error, or the host's reason for killing it. */
  fatal: string | undefined;
  startTimer: NodeJS.Timeout | undefined;
  readonly exited: Promise<void>;
  markExited: () => void;
}

export class EngineHost implements EngineControl {
  private readonly options: Required<Omit<EngineHostOptions, 'restart'>>;
  private readonly policy: RestartPolicy;
  private readonly pending = new Map<number, Pending>();
  private readonly statusListeners = new Set<(status: EngineStatus) => void>();
  private readyWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private worker: WorkerHandle | undefined;
  private phase: Phase = 'stopped';
  private givenUp = false;
  private disposed: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private restarts = 0;
  private lastError: string | null = null;
  private crashReason = 'unknown';
  private launched = false;
  private ortVersion: string | null = null;
  private provider: string | null = null;
  private requestedProvider: string | null = null;
  private fallbackReason: string | null = null;
  /** Weight formats per model and the cache folder, given to every worker at spawn (changed without a restart). */
  private weights: WeightSettings = { cacheFolder: null, formats: {} };
  private lastEmitted = '';

  /**
   * @param workerScript the built worker entry (out/main/engine-worker.js in the app; a test bundle in tests)
   * @param spawn how to start it: spawnChildProcess (plain Node) or spawnUtilityProcess (Electron)
   */
  constructor(
    private readonly workerScript: string,
    private readonly spawn: SpawnEngine = spawnChildProcess,
    options: EngineHostOptions = {},
  ) {
    this.options = {
      threads: options.threads ?? 0,
      spinThreads: options.spinThreads ?? true,
      provider: options.provider ?? 'cpu',
      testHooks: options.testHooks ?? false,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? 3_000,
      onBug: options.onBug ?? ((error) => console.error('[engine-host]', error)),
    };
    this.policy = new RestartPolicy({ ...DEFAULT_RESTART_POLICY, ...options.restart });
  }

  get status(): EngineStatus {
    return {
      state: this.state(),
      provider: this.provider,
      ortVersion: this.ortVersion,
      restarts: this.restarts,
      pending: this.pending.size,
      lastError: this.lastError,
      requestedProvider: this.requestedProvider,
      fallbackReason: this.fallbackReason,
    };
  }

  onStatus(listener: (status: EngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Starts the worker if it is not running; resolves when it has said hello. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new BugError('EngineHost.start after dispose'));
    if (this.phase === 'stopped' || (this.phase === 'crashed' && this.givenUp)) {
      this.givenUp = false;
      this.launch(this.launched ? 'restarting' : 'starting');
    }
    return this.whenReady();
  }

  request<M extends EngineMethodName>(
    method: M,
    params: ParamsIn<M>,
    options: RequestOptions<Progress<M>> = {},
  ): Promise<Result<M>> {
    return this.call(method, engineMethods[method], params, options as RequestOptions<unknown>) as Promise<Result<M>>;
  }

  /** Test hook: makes the worker die by an uncaught exception or process.exit while a request is in flight. */
  crashForTest(how: 'throw' | 'exit'): Promise<never> {
    if (!this.options.testHooks)
      return Promise.reject(new BugError('crashForTest needs an EngineHost built with testHooks'));
    return this.call('crash', engineTestMethods.crash, { how }, {}) as Promise<never>;
  }

  /** Stops the worker deliberately and starts a fresh one; what was in flight fails with a clear error. */
  restart(): Promise<void> {
    if (this.disposed) return Promise.reject(new BugError('EngineHost.restart after dispose'));
    this.policy.reset();
    this.givenUp = false;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker?.stopping === 'restart') return this.whenReady(); // a second click while the first restart runs
    if (worker) {
      worker.stopping = 'restart';
      this.restarts++;
      this.setPhase('restarting');
      worker.channel.kill(); // onExit launches the replacement
    } else {
      this.launch('restarting');
    }
    return this.whenReady();
  }

  /** The worker's session settings now (what the next worker starts with). */
  get sessionConfig(): EngineSessionConfig {
    return { threads: this.options.threads, provider: this.options.provider, spinThreads: this.options.spinThreads };
  }

  /**
   * Changes the threads/provider/spinning sessions are created with. A running worker is restarted so that every
   * session is recreated deliberately with the new settings; resolves when the new worker is ready. No change, no
   * restart.
   */
  reconfigure(config: EngineSessionConfig): Promise<void> {
    if (this.disposed) return Promise.reject(new BugError('EngineHost.reconfigure after dispose'));
    const current = this.options;
    if (
      config.threads === current.threads &&
      config.provider === current.provider &&
      config.spinThreads === current.spinThreads
    )
      return Promise.resolve();
    this.options.threads = config.threads;
    this.options.provider = config.provider;
    this.options.spinThreads = config.spinThreads;
    return this.launched ? this.restart() : Promise.resolve();
  }

  /**
   * The weight settings the next worker starts with. No restart: the running worker learns a model's new format from
   * prepareWeights, which also builds its cache with progress.
   */
  setWeights(weights: WeightSettings): void {
    this.weights = { cacheFolder: weights.cacheFolder, formats: { ...weights.formats } };
  }

  /** Kills the worker as a crash would (tests, and a last resort): in-flight requests fail, a new worker starts. */
  kill(): void {
    this.worker?.channel.kill();
  }

  /** Cancels everything, lets the worker release its sessions, and ends it (killing it if it does not exit in time). */
  dispose(): Promise<void> {
    this.disposed ??= this.shutdown();
    return this.disposed;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.restartTimer);
    const shutDown = new CancelledError('The engine was shut down');
    for (const [id, p] of this.pending) this.settle(id, p, () => p.reject(shutDown));
    this.rejectReady(shutDown);
    const worker = this.worker;
    if (worker) {
      worker.stopping = 'dispose';
      worker.channel.postMessage({ type: 'shutdown' });
      const timer = setTimeout(() => worker.channel.kill(), this.options.shutdownTimeoutMs);
      await worker.exited;
      clearTimeout(timer);
    }
    this.setPhase('stopped');
    this.statusListeners.clear();
  }

  private call(
    method: string,
    spec: EngineMethod,
    params: unknown,
    options: RequestOptions<unknown>,
  ): Promise<unknown> {
    if (this.disposed) return Promise.reject(new BugError(`Engine request ${method} after dispose`));
    const parsed = spec.params.safeParse(params);
    if (!parsed.success) return Promise.reject(invalidParams(method, parsed.error));
    if (options.signal?.aborted) return Promise.reject(new CancelledError(`${method} was cancelled`));
    if (this.phase === 'crashed' && this.givenUp) return Promise.reject(this.givenUpError(method));
    if (this.phase === 'stopped') this.start().catch(() => {}); // failures reach this request through the pending map

    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const { signal } = options;
      const onAbort = (): void => this.cancel(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        params: parsed.data,
        spec,
        sent: false,
        resolve,
        reject,
        onProgress: options.onProgress,
        detach: () => signal?.removeEventListener('abort', onAbort),
      });
      if (this.worker?.hello) this.send(id);
      this.emitStatus();
    });
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    if (!p.sent) this.settle(id, p, () => p.reject(new CancelledError(`${p.method} was cancelled`)));
    else this.worker?.channel.postMessage({ type: 'cancel', id }); // the worker answers with a cancelled error
  }

  private send(id: number): void {
    const p = this.pending.get(id);
    if (!p || p.sent || !this.worker) return;
    p.sent = true;
    this.worker.channel.postMessage({ type: 'request', id, method: p.method, params: p.params });
  }

  private settle(id: number, p: Pending, finish: () => void): void {
    this.pending.delete(id);
    p.detach();
    finish();
    this.emitStatus();
  }

  /** Spawns a worker; a restart is counted here unless restart() already counted it. */
  private launch(phase: 'starting' | 'restarting', counted = false): void {
    if (phase === 'restarting' && !counted) this.restarts++;
    this.launched = true;
    const config: WorkerConfig = { ...this.sessionConfig, weights: this.weights, testHooks: this.options.testHooks };
    let markExited = (): void => {};
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    let channel: EngineChannel;
    try {
      channel = this.spawn(this.workerScript, [`${WORKER_CONFIG_FLAG}${JSON.stringify(config)}`]);
    } catch (error) {
      this.worker = undefined;
      this.setPhase(phase);
      this.onCrash(`could not be started: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const worker: WorkerHandle = {
      channel,
      hello: false,
      stopping: undefined,
      fatal: undefined,
      startTimer: undefined,
      exited,
      markExited,
    };
    this.worker = worker;
    worker.startTimer = setTimeout(() => {
      worker.fatal = `it did not start within ${Math.round(this.options.startTimeoutMs / 1000)} s`;
      channel.kill();
    }, this.options.startTimeoutMs);
    channel.onMessage((message) => {
      try {
        this.onMessage(worker, message);
      } catch (error) {
        this.options.onBug(error); // a listener's or the host's own bug; the worker keeps going
      }
    });
    channel.onExit((exit) => this.onExit(worker, exit));
    this.setPhase(phase);
  }

  private onMessage(worker: WorkerHandle, raw: unknown): void {
    if (worker !== this.worker) return;
    const parsed = WorkerMessage.safeParse(raw);
    if (!parsed.success) {
      this.options.onBug(new BugError(`Malformed message from the engine worker: ${parsed.error.issues[0]?.message}`));
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'hello':
        clearTimeout(worker.startTimer);
        if (message.protocol !== PROTOCOL_VERSION) {
          worker.fatal = `it speaks protocol ${message.protocol}, the app ${PROTOCOL_VERSION} (a packaging bug)`;
          worker.channel.kill();
          return;
        }
        worker.hello = true;
        this.ortVersion = message.ortVersion;
        this.provider = message.provider;
        this.requestedProvider = message.requestedProvider ?? null;
        this.fallbackReason = message.fallbackReason ?? null;
        this.setPhase('running');
        for (const id of [...this.pending.keys()]) this.send(id);
        this.resolveReady();
        return;
      case 'response': {
        const p = this.pending.get(message.id);
        if (!p?.sent) return; // already settled (e.g. cancelled before it was sent)
        if (!message.ok) {
          this.settle(message.id, p, () => p.reject(fromErrorShape(message.error)));
          return;
        }
        const result = p.spec.result.safeParse(message.result);
        this.settle(message.id, p, () =>
          result.success
            ? p.resolve(result.data)
            : p.reject(
                new BugError(`${p.method} returned a result outside the protocol: ${describeIssues(result.error)}`),
              ),
        );
        return;
      }
      case 'progress': {
        const p = this.pending.get(message.id);
        const data = p?.spec.progress.safeParse(message.data);
        if (!p || !data) return;
        if (!data.success)
          this.options.onBug(new BugError(`${p.method} sent malformed progress: ${describeIssues(data.error)}`));
        else p.onProgress?.(data.data);
        return;
      }
      case 'provider':
        this.provider = message.provider;
        this.requestedProvider = message.requestedProvider;
        this.fallbackReason = message.fallbackReason;
        this.emitStatus();
        return;
      case 'fatal':
        worker.fatal = message.error.message;
        return;
    }
  }

  private onExit(worker: WorkerHandle, exit: ChannelExit): void {
    clearTimeout(worker.startTimer);
    worker.markExited();
    if (worker !== this.worker) return;
    this.worker = undefined;
    if (worker.stopping === 'dispose') return;
    if (worker.stopping === 'restart') {
      this.failSent(restartedError);
      this.launch('restarting', true);
      return;
    }
    const reason = worker.fatal ?? exit.error ?? (exit.code === null ? 'no exit code' : `exit code ${exit.code}`);
    this.onCrash(worker.hello ? reason : `it failed to start: ${reason}`);
  }

  private onCrash(reason: string): void {
    this.crashReason = reason;
    this.lastError = `The engine stopped unexpectedly (${reason})`;
    const delay = this.policy.onCrash();
    this.givenUp = delay === null;
    this.setPhase('crashed');
    if (delay === null) {
      for (const [id, p] of this.pending) this.settle(id, p, () => p.reject(this.givenUpError(p.method)));
      this.rejectReady(this.givenUpError(undefined));
      return;
    }
    this.failSent((method) => crashedError(method, reason));
    this.restartTimer = setTimeout(() => this.launch('restarting'), delay);
  }

  /** Rejects the requests the dead worker had received; those not yet sent wait for the next worker. */
  private failSent(error: (method: string) => Error): void {
    for (const [id, p] of this.pending) if (p.sent) this.settle(id, p, () => p.reject(error(p.method)));
  }

  private givenUpError(method: string | undefined): Error {
    return givenUpError(method, this.crashReason, this.policy.recentCrashes, this.policy.windowSeconds);
  }

  private whenReady(): Promise<void> {
    if (this.phase === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  private resolveReady(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private rejectReady(error: unknown): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.reject(error);
  }

  private state(): EngineState {
    if (this.phase === 'running') return this.pending.size > 0 ? 'busy' : 'ready';
    return this.phase;
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    this.emitStatus();
  }

  private emitStatus(): void {
    const status = this.status;
    const key = JSON.stringify(status);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    for (const listener of this.statusListeners) listener(status);
  }
}
