// The worker's loaded models: checkpoint + ModelRunner per model folder, with their sessions in one SessionCache.
// At most `capacity` models (2 by default: the one in use and the previous one, so switching back is instant) stay
// loaded; the least recently used one is released when a third loads, never while a generation holds it. A model runs
// at the weight format its settings name (a weight cache of 8-bit or 4-bit codes), reloaded when that changes; a
// request naming a format gets an entry of its own at that format (comparing formats on the same rows).
import { resolve } from 'node:path';
import { UserError } from '../../../shared/errors';
import type { WeightFormat } from '../../../shared/weight-format';
import { loadCheckpoint, ModelRunner, type Checkpoint } from '../models';
import { openWeightCache } from '../models/weight-cache';
import { SessionCache } from '../runtime';
import type { ModelRef } from '../generation-protocol';

export interface LoadedModel {
  readonly checkpoint: Checkpoint;
  readonly runner: ModelRunner;
  /** The precision its linear weights run at. */
  readonly weightFormat: WeightFormat;
}

/**
 * A model's weight format and cache folder, or null to run it as stored: the format its settings name, or `format`
 * when a request names one.
 */
export type WeightsOf = (
  contentHash: string,
  format?: WeightFormat,
) => { format: Exclude<WeightFormat, 'stored'>; cacheFolder: string } | null;

/** A model held for one request; release() lets the cache evict it again. */
export interface ModelLease {
  readonly model: LoadedModel;
  /** Milliseconds this request waited for the model to load (checkpoint and session); 0 when it was loaded. */
  readonly loadMs: number;
  release(): void;
}

interface Entry {
  /** The folder, or folder@format for a request that named a format. */
  readonly key: string;
  readonly folder: string;
  /** The format the request named (absent: the model's setting, followed when it changes). */
  readonly format: WeightFormat | undefined;
  readonly loading: Promise<LoadedModel>;
  /** Requests holding it now. */
  users: number;
  lastUsed: number;
}

export const DEFAULT_CAPACITY = 2;

export class LoadedModels {
  private readonly entries = new Map<string, Entry>();
  private readonly sessions: SessionCache;
  private readonly capacity: number;
  private clock = 0;
  /** Evictions running in the background (after a release), awaited by settled(). */
  private readonly background = new Set<Promise<void>>();

  private readonly weights: WeightsOf;

  constructor(options: { threads: number; spinThreads?: boolean; capacity?: number; weights?: WeightsOf }) {
    this.sessions = new SessionCache({ threads: options.threads, spinThreads: options.spinThreads });
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.weights = options.weights ?? (() => null);
  }

  /** Models loaded or loading. */
  get size(): number {
    return this.entries.size;
  }

  /** ORT sessions alive (tests check nothing leaks). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Resolves when the evictions started so far have released their sessions. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }

  /** The model at ref.folder, loading it on a miss; loaded again when ref.contentHash (the registry's) is another. */
  async acquire(ref: ModelRef): Promise<ModelLease> {
    const started = performance.now();
    const folder = resolve(ref.folder);
    const key = ref.weightFormat === undefined ? folder : `${folder}@${ref.weightFormat}`;
    let entry = this.entries.get(key);
    if (entry) {
      const loaded = await entry.loading.catch(() => null);
      // Changed on disk since loaded (the registry saw a new hash), or set to another weight format: load it again.
      const changed = loaded && ref.contentHash !== undefined && loaded.checkpoint.contentHash !== ref.contentHash;
      const reformatted =
        loaded &&
        entry.format === undefined &&
        loaded.weightFormat !== (this.weights(loaded.checkpoint.contentHash)?.format ?? 'stored');
      if ((changed || reformatted) && entry.users === 0) {
        await this.drop(entry);
        entry = undefined;
      }
    }
    const cached = entry !== undefined;
    if (!entry) {
      const format = ref.weightFormat;
      entry = { key, folder, format, loading: this.load(folder, ref.contentHash, format), users: 0, lastUsed: 0 };
      this.entries.set(key, entry);
      const failed = entry;
      entry.loading.catch(() => this.entries.get(key) === failed && this.entries.delete(key));
    }
    entry.users++;
    entry.lastUsed = ++this.clock;
    const held = entry;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      held.users--;
      // Unloaded while in use: its sessions go now that the last request is done.
      this.inBackground(held.users === 0 && this.entries.get(held.key) !== held ? this.drop(held) : this.evict());
    };
    try {
      const model = await held.loading;
      checkIdentity(model.checkpoint, ref);
      this.inBackground(this.evict());
      return { model, loadMs: cached ? 0 : performance.now() - started, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Releases one folder's model (or all); a model in use is released when its last request ends. */
  async unload(folder?: string): Promise<number> {
    const doomed = [...this.entries.values()].filter((e) => folder === undefined || e.folder === resolve(folder));
    await Promise.all(doomed.map((e) => this.drop(e)));
    return doomed.length;
  }

  async dispose(): Promise<void> {
    await this.settled();
    this.entries.clear();
    await this.sessions.dispose();
  }

  private inBackground(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => console.error('[engine-worker] releasing a model failed:', error))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async load(
    folder: string,
    contentHash: string | undefined,
    format: WeightFormat | undefined,
  ): Promise<LoadedModel> {
    const checkpoint = await loadCheckpoint(folder, { contentHash });
    const weights = this.weights(checkpoint.contentHash, format);
    const model = weights ? await openWeightCache(checkpoint, weights.format, weights.cacheFolder) : checkpoint;
    // Plain generation (no adapter) runs on the base-only session; the hooked one is made on first adapter use.
    const runner = await ModelRunner.open(model, this.sessions, undefined, { baseSession: true });
    return { checkpoint, runner, weightFormat: weights?.format ?? 'stored' };
  }

  /** Drops the least recently used idle entries beyond capacity. */
  private async evict(): Promise<void> {
    const idle = [...this.entries.values()].filter((e) => e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    let excess = this.entries.size - this.capacity;
    for (const entry of idle) {
      if (excess-- <= 0) break;
      await this.drop(entry);
    }
  }

  private async drop(entry: Entry): Promise<void> {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    const loaded = await entry.loading.catch(() => null);
    if (!loaded) return;
    const hash = loaded.checkpoint.contentHash;
    // Two entries with the same content at the same precision share sessions: release them only when no other entry
    // uses them.
    const shared = await Promise.all(
      [...this.entries.values()].map((e) =>
        e.loading.then(
          (m) => m.checkpoint.contentHash === hash && m.weightFormat === loaded.weightFormat,
          () => false,
        ),
      ),
    );
    if (shared.some(Boolean)) return;
    if (entry.users > 0) return; // the last request's release() comes back here
    await this.sessions.releaseModel(hash, loaded.weightFormat);
  }
}

/** A model still in use under another identity cannot be reloaded under this request; it must wait its turn. */
function checkIdentity(checkpoint: Checkpoint, ref: ModelRef): void {
  if (ref.contentHash === undefined || checkpoint.contentHash === ref.contentHash) return;
  throw new UserError("The model's files have changed since it was loaded, and a run still uses the loaded copy.", {
    where: checkpoint.folder,
    hint: 'Try again when the running generation or experiment has finished.',
    code: 'model-changed',
  });
}
