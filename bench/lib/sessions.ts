// A stand-in for runtime's SessionCache that creates sessions with options the app does not expose (profiling,
// spinning, optimization level), so ModelRunner and generate() run unchanged on them. Bench only: src/ keeps the
// one ORT importer; this file sits outside the layering rule on purpose.
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { Tensor } from '../../src/main/engine/graph';
import type { SessionCache, SessionSource } from '../../src/main/engine/runtime';

export interface BenchSessionOptions {
  threads: number;
  /** ORT's graphOptimizationLevel; the app uses 'all'. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** session.intra_op.allow_spinning; the app's inference sessions spin by default (engine.spinThreads). */
  spinning?: boolean;
  /** Writes an ORT profile trace with this path prefix (a JSON file, named by ORT with a timestamp). */
  profilePrefix?: string;
  /** The app's training sessions' 'lean' memory options (runtime/session.ts): no prepacking, arena or memory pattern. */
  lean?: boolean;
  /** The execution provider (default 'cpu'); bench/gpu/webgpu-probe.ts puts the same graphs on 'webgpu'. */
  provider?: 'cpu' | 'webgpu';
}

/** The EngineSession surface that ModelRunner uses. */
export class BenchSession {
  private constructor(readonly session: InferenceSession) {}

  static async create(source: SessionSource, o: BenchSessionOptions): Promise<BenchSession> {
    const spin = o.spinning ? '1' : '0';
    const session = await InferenceSession.create(source.model, {
      executionProviders: [o.provider ?? 'cpu'],
      intraOpNumThreads: o.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: o.optimization ?? 'all',
      ...(o.lean ? { enableCpuMemArena: false, enableMemPattern: false } : {}),
      ...(o.profilePrefix ? { enableProfiling: true, profileFilePrefix: o.profilePrefix } : {}),
      extra: {
        session: {
          'intra_op.allow_spinning': spin,
          'inter_op.allow_spinning': spin,
          ...(o.lean ? { disable_prepacking: '1' } : {}),
          ...(source.externalDataFolder
            ? { model_external_initializers_file_folder_path: source.externalDataFolder }
            : {}),
        },
      },
    });
    return new BenchSession(session);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const ort: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(feeds))
      ort[name] = new OrtTensor(t.dtype as 'float32', t.data as Float32Array, t.dims);
    const results = await this.session.run(ort);
    const out: Record<string, Tensor> = {};
    for (const [name, v] of Object.entries(results))
      out[name] = { dtype: v.type, dims: v.dims, data: v.data } as unknown as Tensor;
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** Duck-typed SessionCache: one session per key, all released by dispose(). */
export class BenchSessions {
  private readonly sessions = new Map<string, Promise<BenchSession>>();

  constructor(private readonly options: BenchSessionOptions) {}

  get(
    key: { model: string; kind: string },
    build: () => SessionSource | Promise<SessionSource>,
  ): Promise<BenchSession> {
    const k = `${key.model}\n${key.kind}`;
    let s = this.sessions.get(k);
    if (!s) {
      s = (async () => BenchSession.create(await build(), this.options))();
      this.sessions.set(k, s);
    }
    return s;
  }

  /** For ModelRunner.open, which takes the runtime's SessionCache (same get() contract). */
  asCache(): SessionCache {
    return this as unknown as SessionCache;
  }

  /** Ends profiling on every session (ORT writes the trace files). */
  async endProfiling(): Promise<void> {
    for (const s of this.sessions.values()) (await s).session.endProfiling();
  }

  async dispose(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).dispose();
    this.sessions.clear();
  }
}
