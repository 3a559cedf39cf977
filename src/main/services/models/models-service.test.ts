// ModelsService through the dispatcher (validated arguments and results) with a real workspace in a temp folder and
// the real engine worker: the bundled demo model, the loader's fixtures, and damaged copies of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  modelsContract,
  type BundledModel,
  type ModelRecord,
  type ModelsChanged,
  type WeightsProgress,
} from '../../../shared/contract/models';
import type { WeightFormat } from '../../../shared/weight-format';
import type { CallResponse } from '../../../shared/contract/wire';
import { Dispatcher } from '../../api/dispatcher';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { engineWorkerScript } from '../../host/testing/engine-worker-script';
import { WorkspaceService } from '../workspace';
import { findBundledModelsDir } from './bundled';
import { ModelsService } from './models-service';

const FIXTURES = fileURLToPath(new URL('../../engine/models/__fixtures__/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../../../resources/models/dovetail-wordnet-13m', import.meta.url));

let host: EngineHost;
let dir: string;
let workspace: WorkspaceService;
let events: ModelsChanged[];
let progress: WeightsProgress[];
let formats: Map<string, WeightFormat>;
let call: (method: string, arg?: unknown) => Promise<CallResponse>;
let ids: number;

beforeAll(async () => {
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  await host.start();
});
afterAll(() => host.dispose());

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-models-')));
  events = [];
  progress = [];
  formats = new Map();
  ids = 0;
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  const service = new ModelsService({
    workspace,
    engine: host,
    events: {
      emit: (event, payload) =>
        event === 'onWeightsProgress'
          ? progress.push(payload as WeightsProgress)
          : event === 'onChanged' && events.push(payload as ModelsChanged),
    },
    clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, ids)),
    paths: { homeDir: dir, relativeTo: dir },
    newId: () => `model-${++ids}`,
    weights: {
      cacheFolder: path.join(dir, 'app-data', 'weight-cache'),
      formatOf: (hash) => formats.get(hash) ?? 'stored',
      save: async (hash, format) => void formats.set(hash, format),
    },
  });
  const dispatcher = new Dispatcher({ models: modelsContract }, { models: service }, { validateResults: true });
  call = (method, arg = {}) => dispatcher.handle({ service: 'models', method, arg }, { transport: 'test' });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Models test' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ok<T = ModelRecord>(method: string, arg?: unknown): Promise<T> {
  const response = await call(method, arg);
  if (!response.ok) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
  return response.result as T;
}

async function userError(method: string, arg?: unknown) {
  const response = await call(method, arg);
  if (response.ok || response.error.kind !== 'user')
    throw new Error(`expected a user error, got ${JSON.stringify(response)}`);
  return response.error;
}

/** A writable copy of a fixture folder in the test's temp folder. */
function copy(fixture: string, name = fixture): string {
  const target = path.join(dir, name);
  fs.cpSync(path.join(FIXTURES, fixture), target, { recursive: true });
  return target;
}

function rows(): number {
  return (workspace.active.db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n;
}

describe('models.add', () => {
  it('registers the bundled demo model with its architecture and tokenizer facts', async () => {
    const model = await ok('add', { folder: DEMO });
    expect(model).toMatchObject({
      id: 'model-1',
      name: 'dovetail-wordnet-13m',
      folder: fs.realpathSync(DEMO),
      architecture: 'LlamaForCausalLM',
      parameters: 12_587_904,
      dtype: 'F16',
      contextLength: 512,
      available: true,
      unavailableReason: null,
    });
    expect(model.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.bytesOnDisk).toBe(10227224 + 10231256 + 4723392);
    expect(model.config).toMatchObject({
      hidden_size: 384,
      intermediate_size: 1024,
      num_hidden_layers: 6,
      num_attention_heads: 6,
      num_key_value_heads: 2,
      head_dim: 64,
      vocab_size: 8192,
      rope_theta: 10000,
      rope_scaling: null,
      tie_word_embeddings: true,
    });
    expect(model.tokenizer).toMatchObject({
      vocabSize: 8192,
      hasChatTemplate: true,
      specialTokens: { eos: { token: '<|im_end|>', id: 2 } },
    });
    expect(events).toEqual([{ change: 'added', id: 'model-1' }]);
    expect(await ok('get', { id: model.id })).toEqual(model);
    expect(await ok('list')).toEqual([model]);
  });

  it('returns the existing entry when the same model is added again, from the same or another folder', async () => {
    const first = await ok('add', { folder: copy('tiny-qwen2-bf16', 'qwen'), name: 'Tiny Qwen' });
    expect(first).toMatchObject({ name: 'Tiny Qwen', architecture: 'Qwen2ForCausalLM', dtype: 'BF16' });
    expect(first.config).toMatchObject({ attention_bias: true, tie_word_embeddings: true });
    expect(await ok('add', { folder: 'qwen' })).toEqual(first); // relative to the test's base folder
    expect(await ok('add', { folder: copy('tiny-qwen2-bf16', 'qwen-copy') })).toEqual(first);
    expect(rows()).toBe(1);
    expect(events).toEqual([{ change: 'added', id: first.id }]);
  });

  it('adds F32, F16 and sharded fixtures as separate models with their own hashes', async () => {
    const added = [];
    for (const fixture of ['tiny-llama-f32', 'tiny-llama-f16', 'tiny-llama-sharded'])
      added.push(await ok('add', { folder: path.join(FIXTURES, fixture) }));
    expect(added.map((m) => m.dtype)).toEqual(['F32', 'F16', 'F32']);
    expect(new Set(added.map((m) => m.contentHash)).size).toBe(3);
    expect(added[0]?.config.rope_scaling).toMatchObject({ rope_type: 'llama3' });
    expect((await ok<ModelRecord[]>('list')).map((m) => m.name)).toEqual([
      'tiny-llama-f32',
      'tiny-llama-f16',
      'tiny-llama-sharded',
    ]);
  });
});

describe('models.add with a bad folder', () => {
  const damage: [string, (folder: string) => void, RegExp, string][] = [
    [
      'a truncated safetensors file',
      (f) => truncate(path.join(f, 'model.safetensors'), 100),
      /^model\.safetensors: tensor ".*" ends at byte \d+ but the file has \d+ bytes \(truncated\?\)$/,
      'model.safetensors',
    ],
    [
      'no tokenizer.json',
      (f) => fs.unlinkSync(path.join(f, 'tokenizer.json')),
      /^tokenizer\.json is missing from the model folder\.$/,
      'tokenizer.json',
    ],
    [
      'an unsupported architecture',
      (f) => editConfig(f, { architectures: ['GPT2LMHeadModel'] }),
      /^config\.json: architectures: GPT2LMHeadModel is not supported$/,
      'config.json: architectures',
    ],
    [
      'weights that do not match config.json',
      (f) => editConfig(f, { hidden_size: 32 }),
      /^The weights do not match config\.json/,
      '',
    ],
    [
      'a tokenizer without a vocabulary',
      (f) => dropVocab(path.join(f, 'tokenizer.json')),
      /^tokenizer\.json: model\.vocab: is missing/,
      '',
    ],
  ];

  for (const [what, breakIt, message, where] of damage) {
    it(`names the file for ${what} and writes nothing`, async () => {
      const folder = copy('tiny-llama-f32', 'broken');
      breakIt(folder);
      const error = await userError('add', { folder });
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
      if (where) expect(error.where).toBe(path.join(folder, where));
      expect(rows()).toBe(0);
      expect(events).toEqual([]);
    });
  }

  it('says when the folder does not exist, and when no workspace is open', async () => {
    expect(await userError('add', { folder: path.join(dir, 'nowhere') })).toMatchObject({
      message: 'The model folder does not exist.',
      code: 'model-folder',
    });
    await workspace.close({});
    expect(await userError('add', { folder: DEMO })).toMatchObject({ code: 'no-workspace' });
    expect(await userError('list')).toMatchObject({ code: 'no-workspace' });
  });
});

describe('models availability, rename and remove', () => {
  it('notices a folder that has gone or a file that changed, and follows the model when it is added from its new place', async () => {
    const folder = copy('tiny-llama-f16', 'llama');
    const model = await ok('add', { folder });
    fs.renameSync(folder, path.join(dir, 'moved'));
    expect(await ok('get', { id: model.id })).toMatchObject({
      available: false,
      unavailableReason: `The folder ${folder} is missing or cannot be read.`,
    });

    const relocated = await ok('add', { folder: path.join(dir, 'moved') });
    expect(relocated).toMatchObject({ id: model.id, folder: path.join(dir, 'moved'), available: true });
    expect(events.at(-1)).toEqual({ change: 'updated', id: model.id });

    const generation = path.join(dir, 'moved', 'generation_config.json');
    const original = fs.readFileSync(generation, 'utf-8');
    fs.writeFileSync(generation, original.replace('0.7', '0.8')); // same size, new bytes
    expect(await ok('get', { id: model.id })).toMatchObject({
      available: false,
      unavailableReason: 'generation_config.json has changed since the model was added.',
    });
    fs.writeFileSync(generation, original);
    expect(await ok('get', { id: model.id })).toMatchObject({ available: true });
    fs.unlinkSync(path.join(dir, 'moved', 'tokenizer_config.json'));
    expect((await ok<ModelRecord[]>('list'))[0]).toMatchObject({
      available: false,
      unavailableReason: 'tokenizer_config.json is missing from the model folder.',
    });
  });

  it('renames, and removes without touching the folder', async () => {
    const folder = copy('tiny-llama-f32', 'llama');
    const before = fs.readdirSync(folder).sort();
    const model = await ok('add', { folder });
    expect(await ok('rename', { id: model.id, name: '  Support model  ' })).toMatchObject({
      id: model.id,
      name: 'Support model',
    });
    expect(await userError('rename', { id: model.id, name: ' ' })).toMatchObject({
      code: 'validation',
      where: 'models.rename: name',
    });
    expect(await ok<null>('remove', { id: model.id })).toBeNull();
    expect(await ok<ModelRecord[]>('list')).toEqual([]);
    expect(fs.readdirSync(folder).sort()).toEqual(before);
    expect(await userError('remove', { id: model.id })).toMatchObject({ code: 'model-not-found' });
    expect(await userError('get', { id: model.id })).toMatchObject({ code: 'model-not-found' });
    expect(events.map((e) => e.change)).toEqual(['added', 'updated', 'removed']);
  });
});

describe('models.bundled', () => {
  it('lists the demo model from resources/models and links it once added', async () => {
    expect(findBundledModelsDir()).toBe(path.dirname(DEMO));
    const [demo, ...rest] = await ok<BundledModel[]>('bundled');
    expect(rest).toEqual([]);
    expect(demo).toMatchObject({ name: 'dovetail-wordnet-13m', folder: fs.realpathSync(DEMO), modelId: null });
    expect(demo?.description).toMatch(/^A tiny Llama-architecture language model/);
    const model = await ok('add', { folder: demo?.folder });
    expect((await ok<BundledModel[]>('bundled'))[0]?.modelId).toBe(model.id);
    await workspace.close({});
    expect((await ok<BundledModel[]>('bundled'))[0]?.modelId).toBeNull();
  });
});

function truncate(file: string, bytes: number): void {
  fs.truncateSync(file, fs.statSync(file).size - bytes);
}

function editConfig(folder: string, change: Record<string, unknown>): void {
  const file = path.join(folder, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ ...(JSON.parse(fs.readFileSync(file, 'utf-8')) as object), ...change }));
}

function dropVocab(file: string): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf-8')) as { model: Record<string, unknown> };
  delete json.model['vocab'];
  fs.writeFileSync(file, JSON.stringify(json));
}

describe('models.setWeightFormat', () => {
  it('makes the quantized copy with progress, saves the choice, and the worker runs the model at it from the next use', async () => {
    const demo = await ok('add', { folder: DEMO });
    expect(demo.weightFormat).toBe('stored');
    const generate = async () =>
      host.request('generate', {
        model: { folder: demo.folder, contentHash: demo.contentHash },
        prompts: [{ mode: 'ids', ids: [1, 2, 3] }],
        settings: { max_new_tokens: 3 },
      });
    expect((await generate()).rows[0]?.tokenIds.length).toBeGreaterThan(0);

    const q8 = await ok('setWeightFormat', { id: demo.id, format: 'q8' });
    expect(q8.weightFormat).toBe('q8');
    expect(formats.get(demo.contentHash)).toBe('q8');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ id: demo.id, format: 'q8' });
    expect(progress.at(-1)?.done).toBe(progress.at(-1)?.total);
    expect(fs.existsSync(path.join(dir, 'app-data', 'weight-cache', demo.contentHash, 'q8', 'manifest.json'))).toBe(
      true,
    );
    expect(events.at(-1)).toEqual({ change: 'updated', id: demo.id });
    expect((await ok<ModelRecord[]>('list'))[0]?.weightFormat).toBe('q8');
    const quantized = await generate();
    expect(quantized.loadMs).toBeGreaterThan(0); // loaded again, at 8-bit
    expect(quantized.rows[0]?.tokenIds.length).toBeGreaterThan(0);

    progress = [];
    expect((await ok('setWeightFormat', { id: demo.id, format: 'stored' })).weightFormat).toBe('stored');
    expect(progress).toEqual([]); // nothing to make
    expect((await generate()).loadMs).toBeGreaterThan(0);
  });

  it('refuses a model whose folder has gone, and keeps the setting as it was', async () => {
    const folder = copy('tiny-llama-f32');
    const model = await ok('add', { folder });
    fs.rmSync(folder, { recursive: true });
    const error = await userError('setWeightFormat', { id: model.id, format: 'q4' });
    expect(error.message).toMatch(/cannot be read now/);
    expect(formats.size).toBe(0);
  });
});
