// Generation from a registered model (generationContract): resolves the model id through the registry, runs the
// engine's generate in the background, relays its tokens as onToken and its end as onFinished, cancels on request.
// Runs are not stored; the seed (drawn at random when the caller gives none) is recorded in every result. The
// Playground's settings are kept per workspace through `playground`.
import { randomInt, randomUUID } from 'node:crypto';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type {
  GenerationResult,
  ModelDecodingDefaults,
  PlaygroundSettings,
  generationContract,
} from '../../../shared/contract/generation';
import type { ModelRecord, PlaygroundPrompt } from '../../../shared/contract';
import type { DecodingOverrides } from '../../../shared/decoding-settings';
import { UserError, toErrorShape } from '../../../shared/errors';
import type { EngineClient } from '../../engine/client';
import type { AdapterFolderRef, GenerationPrompt } from '../../engine/generation-protocol';

type Contract = typeof generationContract;

export interface GenerationServiceDeps {
  /** The model registry (ModelsService): ids to folders, with their availability checked. */
  readonly models: { get(arg: { id: string }): Promise<ModelRecord> };
  readonly engine: EngineClient;
  readonly events: EventSink<Contract>;
  /** Where the open workspace's Playground settings are kept (the settings file, by workspace id). */
  readonly playground: { load(): PlaygroundSettings; save(value: PlaygroundSettings): Promise<void> };
  readonly newRunId?: () => string;
  /** A uint32 seed for runs that name none (tests inject a fixed one). */
  readonly randomSeed?: () => number;
  /** Milliseconds clock; default performance.now. */
  readonly now?: () => number;
}

export class GenerationService implements ServiceImpl<Contract> {
  private readonly runs = new Map<string, AbortController>();

  constructor(private readonly deps: GenerationServiceDeps) {}

  async prepare({ modelId }: { modelId: string }): Promise<ModelDecodingDefaults> {
    const model = await this.usableModel(modelId);
    const info = await this.deps.engine.request('loadModel', { folder: model.folder, contentHash: model.contentHash });
    return {
      modelId,
      settings: info.defaults,
      hasChatTemplate: info.hasChatTemplate,
      contextLength: info.contextLength,
    };
  }

  async start(arg: {
    modelId: string;
    prompts: PlaygroundPrompt[];
    settings: DecodingOverrides;
  }): Promise<{ runId: string; seed: number }> {
    const model = await this.usableModel(arg.modelId);
    return this.launch(model, arg.prompts, arg.settings, []);
  }

  /**
   * Starts a run of prompts already rendered by a caller in main (a specialization's template and adapters), with the
   * same onToken / onFinished events as `start`.
   */
  async launch(
    model: ModelRecord,
    prompts: GenerationPrompt[],
    settings: DecodingOverrides,
    adapterFolders: AdapterFolderRef[],
  ): Promise<{ runId: string; seed: number }> {
    const seed = settings.seed ?? (this.deps.randomSeed ?? defaultSeed)();
    const runId = (this.deps.newRunId ?? randomUUID)();
    const controller = new AbortController();
    this.runs.set(runId, controller);
    const now = this.deps.now ?? (() => performance.now());
    const startedAt = now();
    const { events } = this.deps;
    this.deps.engine
      .request(
        'generate',
        {
          model: { folder: model.folder, contentHash: model.contentHash },
          prompts,
          settings: { ...settings, seed },
          adapterFolders,
        },
        {
          signal: controller.signal,
          onProgress: (e) =>
            events.emit('onToken', { runId, row: e.row, delta: e.delta, generatedTokens: e.generatedTokens }),
        },
      )
      .then(
        (out) => {
          const result: GenerationResult = {
            modelId: model.id,
            contentHash: out.contentHash,
            settings: out.settings,
            seed,
            rows: out.rows,
            loadMs: out.loadMs,
            totalMs: now() - startedAt,
          };
          events.emit('onFinished', { runId, ok: true, result });
        },
        (error: unknown) => events.emit('onFinished', { runId, ok: false, error: toErrorShape(error) }),
      )
      .finally(() => this.runs.delete(runId));
    return { runId, seed };
  }

  async playgroundSettings(): Promise<PlaygroundSettings> {
    return this.deps.playground.load();
  }

  async savePlaygroundSettings(value: PlaygroundSettings): Promise<null> {
    await this.deps.playground.save(value);
    return null;
  }

  async cancel({ runId }: { runId: string }): Promise<{ cancelled: boolean }> {
    const run = this.runs.get(runId);
    if (!run) return { cancelled: false };
    run.abort();
    return { cancelled: true };
  }

  /** Cancels every run (each still ends with its onFinished); the engine host is disposed by its owner. */
  dispose(): void {
    for (const run of this.runs.values()) run.abort();
  }

  async usableModel(id: string): Promise<ModelRecord> {
    const model = await this.deps.models.get({ id });
    if (!model.available) {
      throw new UserError(
        `The model "${model.name}" cannot be used now: ${model.unavailableReason ?? 'its folder is not available'}.`,
        {
          where: model.folder,
          hint: 'Open Models to see what changed; put the folder back or add the model again.',
          code: 'model-unavailable',
        },
      );
    }
    return model;
  }
}

function defaultSeed(): number {
  return randomInt(0, 2 ** 32); // uint32, max exclusive;
}
