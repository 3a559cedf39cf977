// An onnxruntime InferenceSession with one owner (docs/style.md, "own every resource"): created from model bytes on
// the worker's execution provider (CPU when that one fails, recorded), run with engine Tensors, released once by
// dispose().
import { InferenceSession, type Tensor as OrtTensor } from 'onnxruntime-node';
import { BugError } from '../../../shared/errors';
import type { Tensor } from '../graph/tensor';
import { executionTarget, type ExecutionTarget } from './execution-target';
import { DEFAULT_PROVIDER, PROVIDER_LABELS, describeOrtError, type ExecutionProvider } from './providers';
import { fromOrt, toOrt } from './tensors';

export interface SessionOptions {
  /** Intra-op threads for this session; 0 = ORT's default (one per physical core). Each session has its own pool. */
  threads: number;
  /** Idle intra-op threads spin between runs instead of sleeping ('lean' sessions never spin). Default false. */
  spinThreads?: boolean;
  /** Folder that external-data locations are relative to (e.g. the Hugging Face checkpoint folder). */
  externalDataFolder?: string;
  /** Which provider to use and where a fallback is recorded; the worker's target by default. */
  target?: ExecutionTarget;
  /**
   * 'lean' (training): no weight prepacking (each prepacked weight is an anonymous copy per session, while the stored
   * ones are memory-mapped and shared by every session), no CPU arena (it keeps the first run's blocks beside the
   * memory pattern's block, doubling activation memory) and no memory pattern (from the second run ORT allocates the
   * first run's whole plan as one fresh block, which holds tensors the run frees early and page-faults in every step:
   * bench:train LoRA, 8 x 128 tokens, 3,566 -> 3,132 MiB peak RSS and 103.7 -> 197.5 tok/s). Every large tensor is
   * then a fresh malloc; the worker's malloc tunables (host/worker-env.ts) keep those pages mapped between steps:
   * 162 -> 414 tok/s at 3,189 -> 3,511 MiB (PyTorch: 3,626). Default 'fast'.
   */
  memory?: 'fast' | 'lean';
}

/** Whether a session's idle intra-op threads spin: only when asked, and never for a 'lean' (training) session. */
export function allowsSpinning(options: Pick<SessionOptions, 'spinThreads' | 'memory'>): boolean {
  return options.spinThreads === true && options.memory !== 'lean';
}

/** The ORT options a session is created with (exported so the worker can report what its sessions get). */
export function sessionOptionsFor(
  options: SessionOptions,
  provider: ExecutionProvider,
): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...(options.memory === 'lean' ? { enableCpuMemArena: false, enableMemPattern: false } : {}),
    extra: {
      // Inference spins when asked (the engine setting, off by default): decode runs are short with short gaps
      // between them, and a pool whose threads are still hot starts the next step sooner (135M model, batch 1, idle
      // 2-core machine: about 60 against 42 tok/s); ORT stops spinning within milliseconds once runs stop. While other
      // programs keep the cores busy, spinning competes with them and makes decode slower, hence the switch. Training
      // ('lean') never spins: a step's runs are long, so the wake-up saved is negligible, while a spinning pool would
      // take cores from the work between runs. The inter-op pool never spins.
      session: {
        'intra_op.allow_spinning': allowsSpinning(options) ? '1' : '0',
        'inter_op.allow_spinning': '0',
        ...(options.memory === 'lean' ? { disable_prepacking: '1' } : {}),
        ...(options.externalDataFolder
          ? { model_external_initializers_file_folder_path: options.externalDataFolder }
          : {}),
      },
    },
  };
}

export class EngineSession {
  private disposed = false;
  private running = 0;

  private constructor(
    private readonly session: InferenceSession,
    /** The provider this session was created on. */
    readonly provider: ExecutionProvider,
  ) {}

  /**
   * Creates the session on the target's provider. When that fails, it is created on CPU and the fallback recorded
   * (ORT's ['x', 'cpu'] would throw instead); when CPU fails too, the model is at fault and CPU's error is thrown.
   */
  static async create(model: Uint8Array, options: SessionOptions): Promise<EngineSession> {
    const target = options.target ?? executionTarget;
    const provider = target.preferred;
    if (provider === DEFAULT_PROVIDER)
      return new EngineSession(await InferenceSession.create(model, sessionOptionsFor(options, provider)), provider);
    let failure: unknown;
    try {
      return new EngineSession(await InferenceSession.create(model, sessionOptionsFor(options, provider)), provider);
    } catch (error) {
      failure = error;
    }
    const session = await InferenceSession.create(model, sessionOptionsFor(options, DEFAULT_PROVIDER));
    target.recordFallback(`${PROVIDER_LABELS[provider]} could not create this session: ${describeOrtError(failure)}`);
    return new EngineSession(session, DEFAULT_PROVIDER);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /**
   * Runs the graph. Blocks this thread for the whole run (onnxruntime-node runs synchronously,
   * https://github.com/microsoft/onnxruntime/issues/26968): call it only inside the engine worker.
   * `outputs` (default: all) names the outputs to return: ORT 1.30's binding copies each fetched output into a new
   * ArrayBuffer, so a caller that needs only the logits should not fetch the cache.
   */
  async run(feeds: Readonly<Record<string, Tensor>>, outputs?: readonly string[]): Promise<Record<string, Tensor>> {
    if (this.disposed) throw new BugError('EngineSession.run after dispose');
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
    this.running++;
    try {
      const results = await (outputs ? this.session.run(ortFeeds, [...outputs]) : this.session.run(ortFeeds));
      const out: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(results)) out[name] = fromOrt(name, value as OrtTensor);
      return out;
    } finally {
      this.running--;
    }
  }

  /** Releases the native session; safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    if (this.running > 0) throw new BugError('EngineSession.dispose while a run is in progress');
    this.disposed = true;
    await this.session.release();
  }
}
