// GenerationService through the dispatcher (validated arguments, results and events) with a real workspace, the
// model registry and the real engine worker, on the bundled demo model; the Playground settings kept per workspace
// in the real settings file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  generationContract,
  modelsContract,
  type GenerationFinished,
  type ModelRecord,
  type PlaygroundSettings,
  type TokenDelta,
} from '../../../shared/contract';
import type { CallResponse, EventMessage } from '../../../shared/contract/wire';
import { Dispatcher } from '../../api/dispatcher';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { ModelsService } from '../models';
import { PlaygroundSettings as PlaygroundSettingsSchema } from '../../../shared/contract/generation';
import { SettingsService } from '../settings';
import { PLAYGROUND_WORKSPACES_KEPT } from '../settings/settings-service';
import { WorkspaceService } from '../workspace';
import { GenerationService } from './generation-service';

const DEMO = fileURLToPath(new URL('../../../../resources/models/dovetail-wordnet-13m', import.meta.url));
const GREEDY = JSON.parse(
  fs.readFileSync(
    fileURLToPath(new URL('../../engine/models/__fixtures__/demo-model-greedy.json', import.meta.url)),
    'utf8',
  ),
) as {
  cases: {
    kind: string;
    messages?: { role: 'user' | 'system'; content: string }[];
    generated_ids: number[];
    generated_text: string;
  }[];
};

let host: EngineHost;
let dir: string;
let workspace: WorkspaceService;
let service: GenerationService;
let dispatcher: Dispatcher<{ models: typeof modelsContract; generation: typeof generationContract }>;
let events: EventMessage[];
let finishedWaiters: Map<string, (f: GenerationFinished) => void>;
let model: ModelRecord;

beforeAll(async () => {
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  await host.start();
});
afterAll(() => host.dispose());

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-generation-')));
  events = [];
  finishedWaiters = new Map();
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  const late: { d?: typeof dispatcher } = {};
  const sink = (name: 'models' | 'generation') => ({
    emit: (event: string, payload: unknown) => late.d?.sink(name).emit(event as never, payload as never),
  });
  const models = new ModelsService({ workspace, engine: host, events: sink('models'), clock: () => new Date() });
  let runs = 0;
  const settings = settingsAt(dir);
  const playground = {
    load: () => settings.playground(workspace.active.info.id),
    save: (v: PlaygroundSettings) => settings.savePlayground(workspace.active.info.id, v),
  };
  service = new GenerationService({
    models,
    engine: host,
    events: sink('generation'),
    playground,
    newRunId: () => `run-${++runs}`,
    randomSeed: () => 777,
  });
  dispatcher = new Dispatcher(
    { models: modelsContract, generation: generationContract },
    { models, generation: service },
    { validateResults: true },
  );
  late.d = dispatcher;
  dispatcher.subscribe((message) => {
    events.push(message);
    if (message.event === 'onFinished')
      finishedWaiters.get((message.payload as GenerationFinished).runId)?.(message.payload as GenerationFinished);
  });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Generation test' });
  model = await ok<ModelRecord>('models', 'add', { folder: DEMO });
});
afterEach(async () => {
  service.dispose();
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function settingsAt(folder: string): SettingsService {
  return new SettingsService({
    userDataDir: path.join(folder, 'app-data'),
    events: { emit: () => undefined },
    maxThreads: 1,
    onWarning: () => undefined,
  });
}

function call(service: 'models' | 'generation', method: string, arg: unknown): Promise<CallResponse> {
  return dispatcher.handle({ service, method, arg }, { transport: 'test' });
}

async function ok<T>(service: 'models' | 'generation', method: string, arg: unknown): Promise<T> {
  const response = await call(service, method, arg);
  if (!response.ok) throw new Error(`${service}.${method} failed: ${JSON.stringify(response.error)}`);
  return response.result as T;
}

/** Starts a run and resolves with its onFinished event and the onToken events before it. */
async function runToEnd(arg: unknown, onToken?: (runId: string) => void) {
  const unsubscribe = dispatcher.subscribe((m) => m.event === 'onToken' && onToken?.((m.payload as TokenDelta).runId));
  try {
    const started = await ok<{ runId: string; seed: number }>('generation', 'start', arg);
    const seen = events.find(
      (e) => e.event === 'onFinished' && (e.payload as GenerationFinished).runId === started.runId,
    );
    const end = seen
      ? (seen.payload as GenerationFinished)
      : await new Promise<GenerationFinished>((r) => finishedWaiters.set(started.runId, r));
    const tokens = events
      .filter((e) => e.event === 'onToken' && (e.payload as TokenDelta).runId === started.runId)
      .map((e) => e.payload as TokenDelta);
    return { started, end, tokens };
  } finally {
    unsubscribe();
  }
}

describe('generation service', () => {
  it('prepares a registered model and returns its decoding defaults from generation_config.json', async () => {
    const defaults = await ok<{ settings: Record<string, unknown>; hasChatTemplate: boolean; contextLength: number }>(
      'generation',
      'prepare',
      { modelId: model.id },
    );
    expect(defaults).toMatchObject({ hasChatTemplate: true, contextLength: 512 });
    expect(defaults.settings).toMatchObject({ do_sample: false, eos_token_id: [0, 2] });
  });

  it('streams a greedy chat run whose tokens equal transformers, and records the seed it drew', async () => {
    const c = GREEDY.cases[0]!;
    const { started, end, tokens } = await runToEnd({
      modelId: model.id,
      prompts: [{ mode: 'chat', messages: c.messages }],
      settings: { max_new_tokens: 32 },
    });
    expect(started).toEqual({ runId: 'run-1', seed: 777 });
    if (!end.ok) throw new Error(end.error.message);
    const row = end.result.rows[0]!;
    expect(row.tokenIds).toEqual(c.generated_ids);
    expect(row.text).toBe(c.generated_text.replace('<|im_end|>', ''));
    expect(tokens.map((t) => t.delta).join('')).toBe(row.text);
    expect(end.result).toMatchObject({
      modelId: model.id,
      contentHash: model.contentHash,
      seed: 777,
      settings: { seed: 777, max_new_tokens: 32, do_sample: false },
    });
    expect(row.seed).toBe(777);
    expect(end.result.totalMs).toBeGreaterThan(0);
  });

  it('keeps a seed the caller gives', async () => {
    const { started, end } = await runToEnd({
      modelId: model.id,
      prompts: [{ mode: 'raw', text: 'A violin is' }],
      settings: { do_sample: true, seed: 42, max_new_tokens: 4 },
    });
    expect(started.seed).toBe(42);
    expect(end.ok && end.result.rows[0]!.seed).toBe(42);
  });

  it('refuses bad settings naming the field, before any run starts', async () => {
    const prompts = [{ mode: 'raw', text: 'x' }];
    expect(
      await call('generation', 'start', { modelId: model.id, prompts, settings: { temperature: 0 } }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'user', code: 'validation', where: 'generation.start: settings.temperature' },
    });
    expect(await call('generation', 'start', { modelId: model.id, prompts, settings: { top_p: 1.5 } })).toMatchObject({
      ok: false,
      error: { where: 'generation.start: settings.top_p', message: expect.stringContaining('at most 1') },
    });
    expect(
      await call('generation', 'start', { modelId: model.id, prompts: [{ mode: 'raw', text: '' }] }),
    ).toMatchObject({
      ok: false,
      error: { where: 'generation.start: prompts.0.text' },
    });
    expect(await call('generation', 'start', { modelId: 'nope', prompts })).toMatchObject({
      ok: false,
      error: { code: 'model-not-found' },
    });
    expect(events.filter((e) => e.service === 'generation')).toEqual([]);
  });

  it('cancels a long run: its row ends with reason cancelled and keeps its text', async () => {
    let cancelled: Promise<CallResponse> | undefined;
    const { end, tokens } = await runToEnd(
      {
        modelId: model.id,
        prompts: [{ mode: 'raw', text: 'A violin is' }],
        settings: { max_new_tokens: 480, ignore_eos: true },
      },
      (runId) => {
        cancelled ??= call('generation', 'cancel', { runId });
      },
    );
    expect(await cancelled).toEqual({ ok: true, result: { cancelled: true } });
    if (!end.ok) throw new Error(end.error.message);
    const row = end.result.rows[0]!;
    expect(row.finishReason).toBe('cancelled');
    expect(row.generatedTokens).toBeLessThan(480);
    expect(tokens.map((t) => t.delta).join('')).toBe(row.text);
    expect(await call('generation', 'cancel', { runId: 'run-1' })).toEqual({ ok: true, result: { cancelled: false } });
  });

  it('reports a run that fails in the engine through onFinished with the error', async () => {
    const { end } = await runToEnd({ modelId: model.id, prompts: [{ mode: 'raw', text: 'word '.repeat(600) }] });
    expect(end).toMatchObject({ ok: false, error: { kind: 'user', code: 'context-length' } });
  });

  it('refuses a model whose folder has gone, saying why', async () => {
    const folder = path.join(dir, 'tiny');
    fs.cpSync(fileURLToPath(new URL('../../engine/models/__fixtures__/tiny-llama-f32', import.meta.url)), folder, {
      recursive: true,
    });
    const tiny = await ok<ModelRecord>('models', 'add', { folder });
    fs.rmSync(folder, { recursive: true });
    expect(
      await call('generation', 'start', { modelId: tiny.id, prompts: [{ mode: 'raw', text: 'x' }] }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'user', code: 'model-unavailable', where: folder },
    });
  });

  it('keeps the Playground settings per workspace in the settings file, and reads them back after a restart', async () => {
    expect(await ok('generation', 'playgroundSettings', {})).toEqual({
      specializationId: null,
      modelId: null,
      loraAdapterId: null,
      softPromptAdapterId: null,
      templateVersionId: null,
      demonstrationSetVersionId: null,
      promptMode: 'chat',
      decoding: {},
    });
    const picked = {
      modelId: model.id,
      loraAdapterId: 'adapter-1',
      templateVersionId: 'template-v2',
      promptMode: 'raw',
      decoding: { max_new_tokens: 24, do_sample: true, temperature: 0.7, stop_strings: ['\n'] },
    };
    expect(await ok('generation', 'savePlaygroundSettings', picked)).toBeNull();
    const first = workspace.active.info.id;
    expect(await ok('generation', 'playgroundSettings', {})).toMatchObject(picked);
    expect(await call('generation', 'savePlaygroundSettings', { ...picked, decoding: { top_p: 2 } })).toMatchObject({
      ok: false,
      error: { kind: 'user', where: expect.stringContaining('decoding.top_p') },
    });

    // Another workspace starts from the defaults; the first one's picks are still there when it is opened again.
    await workspace.create({ path: path.join(dir, 'ws2'), name: 'Second' });
    expect(await ok('generation', 'playgroundSettings', {})).toMatchObject({ modelId: null, decoding: {} });
    await workspace.open({ path: path.join(dir, 'ws') });
    expect(workspace.active.info.id).toBe(first);
    expect(await ok('generation', 'playgroundSettings', {})).toMatchObject(picked);
    expect(settingsAt(dir).playground(first)).toMatchObject(picked); // a new instance reads the file
  });

  it('keeps the Playground settings of the most recently saved workspaces only', async () => {
    const settings = settingsAt(path.join(dir, 'many'));
    for (let i = 0; i < 40; i++)
      await settings.savePlayground(
        `ws-${i}`,
        PlaygroundSettingsSchema.parse({ modelId: `m-${i}` }),
        new Date(Date.UTC(2026, 0, 1, 0, i)),
      );
    const kept = Object.keys((await settings.get()).playground).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    expect(kept).toHaveLength(PLAYGROUND_WORKSPACES_KEPT);
    expect(kept[0]).toBe(`ws-${40 - PLAYGROUND_WORKSPACES_KEPT}`);
    expect(settings.playground('ws-0').modelId).toBeNull();
    expect(settings.playground('ws-39').modelId).toBe('m-39');
  });
});
