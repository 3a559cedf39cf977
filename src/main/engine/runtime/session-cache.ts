// Sessions cached per (model content hash, graph kind), each created once (concurrent requests share the creation)
// and released only when its owner says so: session creation is expensive and ORT leaks on churn
// (https://github.com/microsoft/onnxruntime/issues/25325).
import { BugError } from '../../../shared/errors';
import { EngineSession, type SessionOptions } from './session';

export interface SessionKey {
  /** The model's content hash (Checkpoint.contentHash). */
  model: string;
  /** Which graph: e.g. "inference" with its hook set, or "training". */
  kind: string;
}

/** What a session is made from: the model bytes and the folder its external data lives in. */
export interface SessionSource {
  model: Uint8Array;
  externalDataFolder?: string;
}

export class SessionCache {
  private readonly sessions = new Map<string, Promise<EngineSession>>();
  private disposed = false;

  /** Sessions are created on `options.target`'s provider (default the worker's), falling back to CPU as it records. */
  constructor(private readonly options: Pick<SessionOptions, 'threads' | 'spinThreads' | 'target'>) {}

  get size(): number {
    return this.sessions.size;
  }

  has(key: SessionKey): boolean {
    return this.sessions.has(keyOf(key));
  }

  /** The cached session for key, or a new one from build() (called only on a miss). */
  async get(key: SessionKey, build: () => SessionSource | Promise<SessionSource>): Promise<EngineSession> {
    if (this.disposed) throw new BugError('SessionCache.get after dispose');
    const k = keyOf(key);
    let session = this.sessions.get(k);
    if (!session) {
      session = (async () => {
        const source = await build();
        return EngineSession.create(source.model, {
          threads: this.options.threads,
          spinThreads: this.options.spinThreads,
          ...(this.options.target ? { target: this.options.target } : {}),
          ...(source.externalDataFolder ? { externalDataFolder: source.externalDataFolder } : {}),
        });
      })();
      this.sessions.set(k, session);
      // A failed creation is not cached: the next get() tries again.
      session.catch(() => this.sessions.get(k) === session && this.sessions.delete(k));
    }
    return session;
  }

  /** Releases one session (no-op when absent). */
  async release(key: SessionKey): Promise<void> {
    await this.releaseWhere((k) => k === keyOf(key));
  }

  /**
   * Releases every session of one model (e.g. when the model is removed or its folder changes), or only those built
   * for one weight precision (`weights`: the `weights=` part of the session kinds ModelRunner names).
   */
  async releaseModel(model: string, weights?: string): Promise<void> {
    await this.releaseWhere(
      (k) => k.startsWith(`${model}\n`) && (weights === undefined || k.split(';').includes(`weights=${weights}`)),
    );
  }

  /** Releases everything; the cache cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.releaseWhere(() => true);
  }

  private async releaseWhere(match: (key: string) => boolean): Promise<void> {
    const doomed = [...this.sessions.entries()].filter(([k]) => match(k));
    for (const [k] of doomed) this.sessions.delete(k);
    for (const [, session] of doomed) {
      const s = await session.catch(() => null);
      await s?.dispose();
    }
  }
}

function keyOf(key: SessionKey): string {
  return `${key.model}\n${key.kind}`;
}
