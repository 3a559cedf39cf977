// The model registry (modelsContract): Hugging Face checkpoint folders registered in the open workspace. The engine
// worker inspects a folder (loadCheckpoint: JSON and safetensors headers); this service hashes every file whole
// (streamed, with progress and cancel), identifies models by that content hash, and rechecks cheaply (stat) that each
// folder is still there and unchanged. Never writes to the folder.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { basename, relative } from 'node:path';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type {
  BundledModel,
  ModelRecord,
  modelsContract,
  TaskQuality,
  WeightQuality,
} from '../../../shared/contract/models';
import { BugError, CancelledError, UserError } from '../../../shared/errors';
import type { WeightFormat } from '../../../shared/weight-format';
import type { EngineClient } from '../../engine/client';
import type { ActiveWorkspace, WorkspaceAccess } from '../workspace';
import { canonicalPath, resolveFolderPath, type PathBase } from '../workspace/layout';
import { findBundledModelsDir, listBundledModels } from './bundled';
import { ContentHasher } from '../../platform/files/content-hash';
import { ModelFiles, type Availability } from './file-digests';
import { ModelStore, type StoredModel } from './model-store';
import {
  keepTaskQuality,
  measureWeightQuality,
  readTaskQuality,
  readWeightQuality,
  type QualityTexts,
} from './weight-quality';

type Contract = typeof modelsContract;

export interface ModelsServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly engine: EngineClient;
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
  /** resources/models; found next to the running code when not given (null: none bundled). */
  readonly bundledModelsDir?: string | null;
  /** For `~` and relative folder paths, as in the workspace service. */
  readonly paths?: Partial<PathBase>;
  readonly newId?: () => string;
  /** Files up to this size are re-hashed on the spot when their date changed; larger ones wait for `recheck`. */
  readonly inlineRecheckBytes?: number;
  /** This user's weight format per model (content hash) and where quantized copies are kept; absent: all as stored. */
  readonly weights?: ModelWeightSettings;
  /** Up to `limit` texts of a dataset version's test split, for measureWeightQuality. */
  readonly qualityTexts?: (datasetVersionId: string, limit: number) => Promise<QualityTexts>;
}

export interface ModelWeightSettings {
  /** The folder of quantized copies (in the user-data folder: shared by every workspace that has the model). */
  readonly cacheFolder: string;
  formatOf(contentHash: string): WeightFormat;
  save(contentHash: string, format: WeightFormat): Promise<void>;
}

export class ModelsService implements ServiceImpl<Contract> {
  private readonly digests: ModelFiles;
  /** Hashing in progress per folder, for cancelHashing. */
  private readonly hashing = new Map<string, AbortController>();
  private readonly pathBase: PathBase;
  private readonly bundledDir: string | null;

  constructor(private readonly deps: ModelsServiceDeps) {
    const home = deps.paths?.homeDir ?? os.homedir();
    this.pathBase = { homeDir: home, relativeTo: deps.paths?.relativeTo ?? home };
    this.bundledDir = deps.bundledModelsDir === undefined ? findBundledModelsDir() : deps.bundledModelsDir;
    this.digests = new ModelFiles(new ContentHasher(), deps.inlineRecheckBytes);
  }

  async add(arg: { folder: string; name?: string | undefined }): Promise<ModelRecord> {
    const workspace = this.deps.workspace.active; // fail before inspecting when no workspace is open
    const folder = await canonicalPath(resolveFolderPath(arg.folder, this.pathBase));
    // One cancellable operation: the engine's inspection (with its NaN/Inf scan of the weights), then the hashing.
    const { inspected, files } = await this.withHashing(folder, async (options) => {
      const found = await this.deps.engine.request('inspectModel', { folder }, { signal: options.signal });
      return { inspected: found, files: await this.digests.hash(folder, found.files, options) };
    });
    const contentHash = ModelFiles.identity(files);
    const store = this.storeOf(this.sameWorkspace(workspace));

    const existing =
      store.byContentHash(contentHash) ?? (await this.sameLegacyModel(store, inspected.headerHash, contentHash));
    if (existing) {
      const current = await this.availability(existing);
      if (current.available) return { ...this.publicPart(existing), ...availableNow() };
      // The same model, but its registered folder has gone or changed (moved, or files rewritten): follow it here.
      this.sameWorkspace(workspace);
      store.relocate(existing.id, folder, files);
      this.deps.events.emit('onChanged', { change: 'updated', id: existing.id });
      return { ...this.publicPart(existing), folder, ...availableNow() };
    }
    const { files: _seen, folder: _inspected, headerHash: _header, ...facts } = inspected;
    const model: StoredModel = {
      ...facts,
      contentHash,
      id: (this.deps.newId ?? randomUUID)(),
      name: arg.name ?? basename(folder),
      folder,
      architecture: inspected.config.architecture,
      files,
      addedAt: this.deps.clock().toISOString(),
    };
    if (!store.insert(model)) {
      // Another add of the same model won the race; answer with its entry.
      const winner = store.byContentHash(contentHash);
      if (!winner) throw new BugError(`models insert of ${contentHash} neither inserted nor conflicted`);
      return this.record(winner);
    }
    this.deps.events.emit('onChanged', { change: 'added', id: model.id });
    return { ...this.publicPart(model), ...availableNow() };
  }

  async recheck(arg: { id: string }): Promise<ModelRecord> {
    const workspace = this.deps.workspace.active;
    const model = this.find(this.storeOf(workspace), arg.id);
    const cheap = await this.availability(model);
    if (!cheap.available && !cheap.recheck && !model.files.some((f) => !f.signature)) return this.record(model);
    const result = await this.withHashing(model.folder, (options) =>
      this.digests.recheck(model.folder, model.files, options),
    ).catch((error: unknown) => {
      if (error instanceof UserError && error.code === 'file-unreadable')
        return { changed: relative(model.folder, error.where ?? model.folder) };
      throw error;
    });
    if ('changed' in result)
      return {
        ...this.publicPart(model),
        available: false,
        unavailableReason: `${result.changed} has changed since the model was added.`,
        recheckable: false,
      };
    this.storeOf(this.sameWorkspace(workspace)).relocate(model.id, model.folder, result);
    this.deps.events.emit('onChanged', { change: 'updated', id: model.id });
    return this.record({ ...model, files: result });
  }

  async cancelHashing(arg: { folder: string }): Promise<boolean> {
    // The path as given first (no await: a cancel lands before the next chunk is read), then with links resolved.
    const resolved = resolveFolderPath(arg.folder, this.pathBase);
    const controller = this.hashing.get(resolved) ?? this.hashing.get(await canonicalPath(resolved));
    controller?.abort();
    return controller !== undefined;
  }

  async list(): Promise<ModelRecord[]> {
    const models = this.storeOf(this.deps.workspace.active).all();
    return Promise.all(models.map((m) => this.record(m)));
  }

  async get(arg: { id: string }): Promise<ModelRecord> {
    return this.record(this.find(this.storeOf(this.deps.workspace.active), arg.id));
  }

  /** The precision a registered model's weights run at now (synchronous: experiments key their outputs by it). */
  weightFormatOf(id: string): WeightFormat {
    const model = this.find(this.storeOf(this.deps.workspace.active), id);
    return this.deps.weights?.formatOf(model.contentHash) ?? 'stored';
  }

  async remove(arg: { id: string }): Promise<null> {
    const store = this.storeOf(this.deps.workspace.active);
    if (!store.remove(arg.id)) throw notFound(arg.id);
    this.deps.events.emit('onChanged', { change: 'removed', id: arg.id });
    return null;
  }

  async rename(arg: { id: string; name: string }): Promise<ModelRecord> {
    const store = this.storeOf(this.deps.workspace.active);
    if (!store.rename(arg.id, arg.name)) throw notFound(arg.id);
    this.deps.events.emit('onChanged', { change: 'updated', id: arg.id });
    return this.record(this.find(store, arg.id));
  }

  async bundled(): Promise<BundledModel[]> {
    const store = this.activeOrNull();
    const models = await listBundledModels(this.bundledDir);
    return Promise.all(
      models.map(async (m) => {
        const folder = await canonicalPath(m.folder);
        return { ...m, folder, modelId: store?.idsByFolder(folder)[0] ?? null };
      }),
    );
  }

  /** Runs one hashing of `folder` with progress events; a second one for the same folder waits for no one: refused. */
  private async withHashing<T>(
    folder: string,
    work: (options: {
      signal: AbortSignal;
      onProgress: (p: { file: string; bytesDone: number; bytesTotal: number }) => void;
    }) => Promise<T>,
  ): Promise<T> {
    if (this.hashing.has(folder)) {
      throw new UserError('This folder is being hashed already.', {
        where: folder,
        hint: 'Wait for the running add or re-check to finish.',
        code: 'model-busy',
      });
    }
    const controller = new AbortController();
    this.hashing.set(folder, controller);
    try {
      return await work({
        signal: controller.signal,
        onProgress: (p) =>
          this.deps.events.emit('onHashProgress', {
            folder,
            file: p.file === '' ? '' : relative(folder, p.file),
            bytesDone: p.bytesDone,
            bytesTotal: p.bytesTotal,
          }),
      });
    } catch (error) {
      if (error instanceof CancelledError)
        throw new CancelledError('Hashing the model files was cancelled; nothing was registered or changed.');
      throw error;
    } finally {
      this.hashing.delete(folder);
    }
  }

  /**
   * A model registered before weights were hashed has the header hash as its identity. It is this model only if its
   * folder still holds the very same files (hashed now): fine-tunes of one base share headers, not weights.
   */
  private async sameLegacyModel(
    store: ModelStore,
    headerHash: string,
    contentHash: string,
  ): Promise<StoredModel | undefined> {
    const legacy = store.byContentHash(headerHash);
    if (!legacy || (await this.availability(legacy)).available !== true) return undefined;
    const theirs = await this.withHashing(legacy.folder, (options) =>
      this.digests.hash(legacy.folder, legacy.files, options),
    ).catch(() => null);
    return theirs !== null && ModelFiles.identity(theirs) === contentHash ? legacy : undefined;
  }

  async setWeightFormat(arg: { id: string; format: WeightFormat }): Promise<ModelRecord> {
    const weights = this.deps.weights;
    if (!weights) throw new BugError('ModelsService.setWeightFormat without weight settings');
    const model = await this.readable(arg.id, 'choose the format');
    await this.deps.engine.request(
      'prepareWeights',
      { folder: model.folder, contentHash: model.contentHash, format: arg.format, cacheFolder: weights.cacheFolder },
      {
        onProgress: (p) =>
          this.deps.events.emit('onWeightsProgress', {
            id: model.id,
            format: arg.format,
            done: p.done,
            total: p.total,
          }),
      },
    );
    await weights.save(model.contentHash, arg.format);
    this.deps.events.emit('onChanged', { change: 'updated', id: model.id });
    return this.record(model);
  }

  async measureWeightQuality(arg: {
    id: string;
    format: 'q8' | 'q4';
    datasetVersionId: string;
    limit: number;
    seed: number;
  }): Promise<WeightQuality> {
    const { weights, qualityTexts } = this.deps;
    if (!weights || !qualityTexts) throw new BugError('ModelsService.measureWeightQuality without weight settings');
    const model = await this.readable(arg.id, 'measure again');
    return measureWeightQuality(this.deps.engine, {
      folder: model.folder,
      contentHash: model.contentHash,
      format: arg.format,
      datasetVersionId: arg.datasetVersionId,
      seed: arg.seed,
      cacheFolder: weights.cacheFolder,
      texts: await qualityTexts(arg.datasetVersionId, arg.limit),
      onProgress: (p) => this.deps.events.emit('onWeightsProgress', { id: model.id, format: arg.format, ...p }),
      now: this.deps.clock(),
    });
  }

  async weightQuality(arg: { id: string }): Promise<WeightQuality[]> {
    const model = this.find(this.storeOf(this.deps.workspace.active), arg.id);
    return this.deps.weights ? readWeightQuality(this.deps.weights.cacheFolder, model.contentHash) : [];
  }

  async taskQuality(arg: { id: string }): Promise<TaskQuality[]> {
    const model = this.find(this.storeOf(this.deps.workspace.active), arg.id);
    return this.deps.weights ? readTaskQuality(this.deps.weights.cacheFolder, model.contentHash) : [];
  }

  /** Keeps what an experiment's weight format check measured for one of this workspace's models. */
  async recordTaskQuality(modelId: string, entries: readonly TaskQuality[]): Promise<void> {
    const model = this.find(this.storeOf(this.deps.workspace.active), modelId);
    if (this.deps.weights && entries.length > 0)
      await keepTaskQuality(this.deps.weights.cacheFolder, model.contentHash, entries);
    this.deps.events.emit('onChanged', { change: 'updated', id: model.id });
  }

  /** A registered model whose files can be read now; `then`: what the user does after adding it again. */
  private async readable(id: string, then: string): Promise<StoredModel> {
    const model = this.find(this.storeOf(this.deps.workspace.active), id);
    const { available, reason } = await this.availability(model);
    if (!available) {
      throw new UserError(`"${model.name}" cannot be read now: ${reason ?? 'its folder changed'}.`, {
        where: model.folder,
        hint: `Add the model folder again, then ${then}.`,
        code: 'model-unavailable',
      });
    }
    return model;
  }

  private storeOf(workspace: ActiveWorkspace): ModelStore {
    return new ModelStore(workspace.db);
  }

  /** The workspace again after an await; a switch in between must not write into the other one. */
  private sameWorkspace(before: ActiveWorkspace): ActiveWorkspace {
    const now = this.deps.workspace.active;
    if (now.info.id !== before.info.id) {
      throw new UserError('The workspace was switched while the model was being inspected; nothing was added.', {
        hint: 'Add the model again in the workspace now open.',
        code: 'workspace-switched',
      });
    }
    return now;
  }

  private activeOrNull(): ModelStore | null {
    try {
      return this.storeOf(this.deps.workspace.active);
    } catch (error) {
      if (error instanceof UserError && error.code === 'no-workspace') return null;
      throw error;
    }
  }

  private find(store: ModelStore, id: string): StoredModel {
    const model = store.byId(id);
    if (!model) throw notFound(id);
    return model;
  }

  private availability(model: StoredModel): Promise<Availability> {
    return this.digests.check(model.folder, model.files);
  }

  private async record(model: StoredModel): Promise<ModelRecord> {
    const { available, reason, recheck } = await this.availability(model);
    return { ...this.publicPart(model), available, unavailableReason: reason, recheckable: recheck };
  }

  private publicPart(model: StoredModel): Omit<ModelRecord, 'available' | 'unavailableReason' | 'recheckable'> {
    const { files: _files, ...rest } = model;
    return { ...rest, weightFormat: this.deps.weights?.formatOf(model.contentHash) ?? 'stored' };
  }
}

function availableNow(): Pick<ModelRecord, 'available' | 'unavailableReason' | 'recheckable'> {
  return { available: true, unavailableReason: null, recheckable: false };
}

function notFound(id: string): UserError {
  return new UserError('This model is not registered in the open workspace.', {
    where: `models: ${id}`,
    hint: 'It may have been removed in another window; reload the list.',
    code: 'model-not-found',
  });
}
