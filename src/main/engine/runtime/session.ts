// An onnxruntime InferenceSession with one owner (STYLE rule 9): created from model bytes, run with engine Tensors,
// released exactly once by dispose(). runtime/ is the only importer of onnxruntime-node in the codebase.
import { InferenceSession, type Tensor as OrtTensor } from 'onnxruntime-node';
import { BugError } from '../../../shared/errors';
import type { Tensor } from '../graph/tensor';
import { DEFAULT_PROVIDER } from './providers';
import { fromOrt, toOrt } from './tensors';

export interface SessionOptions {
  /** Intra-op threads for this session; 0 = ORT's default (one per physical core). Each session has its own pool. */
  threads: number;
  /** Folder that external-data locations are relative to (e.g. the Hugging Face checkpoint folder). */
  externalDataFolder?: string;
}

export class EngineSession {
  private disposed = false;
  private running = 0;

  private constructor(private readonly session: InferenceSession) {}

  static async create(model: Uint8Array, options: SessionOptions): Promise<EngineSession> {
    const session = await InferenceSession.create(model, {
      executionProviders: [DEFAULT_PROVIDER],
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      extra: {
        // Idle ORT threads otherwise spin and burn a core between runs.
        session: {
          'intra_op.allow_spinning': '0',
          'inter_op.allow_spinning': '0',
          ...(options.externalDataFolder ? { model_external_initializers_file_folder_path: options.externalDataFolder } : {}),
        },
      },
    });
    return new EngineSession(session);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs the graph. Blocks this thread for the whole run (ORT #26968): call it only inside the engine worker. */
  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    if (this.disposed) throw new BugError('EngineSession.run after dispose');
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
    this.running++;
    try {
      const results = await this.session.run(ortFeeds);
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
