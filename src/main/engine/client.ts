// What callers on the main thread see of the engine worker: typed requests, and the controls the engine settings and
// screen use. host/engine-host.ts implements both; services depend on these interfaces, not on the host.
import type { EngineStatus } from '../../shared/contract/engine';
import type { ExecutionProvider } from '../../shared/contract/settings';
import type { EngineMethodName, ParamsIn, Progress, Result } from './protocol';
import type { WeightSettings } from './weights-protocol';

export interface RequestOptions<G> {
  onProgress?: (data: G) => void;
  /** Aborting cancels the request at the worker's next step boundary; the promise then rejects with CancelledError. */
  signal?: AbortSignal;
}

/** Calls an engine method in the worker (validated both ways by the protocol table). */
export interface EngineClient {
  request<M extends EngineMethodName>(
    method: M,
    params: ParamsIn<M>,
    options?: RequestOptions<Progress<M>>,
  ): Promise<Result<M>>;
}

/** What the worker's sessions are created with (the engine settings); changing it restarts the worker. */
export interface EngineSessionConfig {
  threads: number;
  provider: ExecutionProvider;
  spinThreads: boolean;
}

/** The engine as a whole: its status, restart and settings. */
export interface EngineControl extends EngineClient {
  readonly status: EngineStatus;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  restart(): Promise<void>;
  readonly sessionConfig: EngineSessionConfig;
  reconfigure(config: EngineSessionConfig): Promise<void>;
  setWeights(weights: WeightSettings): void;
}
