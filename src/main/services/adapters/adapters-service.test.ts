// AdaptersService through the dispatcher with the real engine worker and a real workspace in a temp folder: the tiny
// memorise-llama trains (complete, pause/resume == uninterrupted, crash -> interrupted -> resume), bad rows and
// over-long rows are named, and PEFT import works (a real PEFT LoRA) or is refused (lora_B = 0).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  adaptersContract,
  type AdapterDetails,
  type AdapterRecord,
  type TrainingEstimate,
  type TrainingJob,
} from '../../../shared/contract/adapters';
import { modelsContract, type ModelRecord } from '../../../shared/contract/models';
import type { CallResponse } from '../../../shared/contract/wire';
import { Dispatcher } from '../../api/dispatcher';
import { parseDecoderConfig } from '../../engine/models/config';
import { readAdapterFolder } from '../../engine/train/adapter-folder';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { RenderHost } from '../../host/render-host';
import { engineWorkerScript, renderWorkerScript } from '../../host/testing/engine-worker-script';
import { ModelsService } from '../models';
import { WorkspaceService } from '../workspace';
import { AdaptersService } from './adapters-service';

const ENGINE = fileURLToPath(new URL('../../engine/', import.meta.url));
const MEMORISE = path.join(ENGINE, 'train/__fixtures__/memorise-llama');
const REFERENCE = path.join(ENGINE, 'models/__fixtures__/reference/llama');

let host: EngineHost;
let renderer: RenderHost;
let dir: string;
let workspace: WorkspaceService;
let models: ModelsService;
let jobEvents: { jobId: string; state: string }[];
let progressEvents: number;

beforeAll(async () => {
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  renderer = new RenderHost(await renderWorkerScript());
  await host.start();
}, 60_000);
afterAll(() => Promise.all([host.dispose(), renderer.dispose()]));

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-adapters-')));
  jobEvents = [];
  progressEvents = 0;
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  models = new ModelsService({
    workspace,
    engine: host,
    events: { emit: () => undefined },
    clock: () => new Date(),
    bundledModelsDir: null,
  });
  await workspace.create({ path: path.join(dir, 'ws'), name: 'Adapters test' });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Called on each progress event (a test acts at an exact step instead of polling for it). */
let onProgress: ((p: { jobId: string; progress: { step: number } }) => void) | undefined;

function service(engine: EngineHost = host) {
  const impl = new AdaptersService({
    workspace,
    engine,
    models,
    clock: () => new Date(),
    appVersion: 'test',
    renderer,
    events: {
      emit: (event, payload) => {
        if (event === 'onJobChanged') jobEvents.push(payload as { jobId: string; state: string });
        if (event !== 'onProgress') return;
        progressEvents++;
        onProgress?.(payload as { jobId: string; progress: { step: number } });
      },
    },
  });
  const dispatcher = new Dispatcher(
    { adapters: adaptersContract, models: modelsContract },
    { adapters: impl, models },
    { validateResults: true },
  );
  const call = (method: string, arg: unknown = {}): Promise<CallResponse> =>
    dispatcher.handle({ service: 'adapters', method, arg }, { transport: 'test' });
  const ok = async <T>(method: string, arg: unknown = {}): Promise<T> => {
    const r = await call(method, arg);
    if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
    return r.result as T;
  };
  const userError = async (method: string, arg: unknown = {}) => {
    const r = await call(method, arg);
    if (r.ok || r.error.kind !== 'user')
      throw new Error(`expected a user error, got ${JSON.stringify(r).slice(0, 500)}`);
    return r.error;
  };
  return { impl, ok, userError };
}

function writeRows(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const ROWS = ['ab', 'cd', 'ef', 'gh'].map((q, i) => JSON.stringify({ q, a: `x${i}y` }));

function spec(modelId: string, file: string, hyper: Record<string, unknown> = {}) {
  return {
    modelId,
    data: { kind: 'jsonl', path: file },
    template: { inputField: 'q', outputField: 'a', prompt: 'Q: {{ input }} A:' },
    method: 'lora',
    lora: { r: 2, alpha: 4, targets: ['q_proj', 'v_proj'] },
    hyper: { lr: 1e-2, batchSize: 2, epochs: 3, evalEvery: null, checkpointEvery: 1, seed: 1, ...hyper },
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last ${JSON.stringify(value).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 20)); // polling the service's own state, not waiting for time to pass
  }
}

async function addModel(folder: string): Promise<ModelRecord> {
  return models.add({ folder });
}

describe('adapters: training', () => {
  it('estimates, trains a LoRA, writes a PEFT folder with lineage, passes the active check, lists it', async () => {
    const { ok } = service();
    const model = await addModel(MEMORISE);
    const file = writeRows('rows.jsonl', ROWS);
    const estimate = await ok<TrainingEstimate>('estimate', spec(model.id, file));
    expect(estimate).toMatchObject({ rows: 4, steps: 6, tooLong: [], preview: { prompt: 'Q: ab A:', target: 'x0y' } });
    expect(estimate.seconds).toBeGreaterThan(0);
    const job = await ok<TrainingJob>('startTraining', spec(model.id, file));
    expect(job.state).toBe('running');
    const done = await until(
      () => ok<TrainingJob>('job', { id: job.id }),
      (j) => !['running', 'checking'].includes(j.state),
    );
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(done.history.train.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progressEvents).toBe(6);
    const [adapter] = await ok<AdapterRecord[]>('list');
    expect(adapter).toMatchObject({
      id: done.adapterId,
      method: 'lora',
      source: 'trained',
      modelId: model.id,
      check: { active: true },
      vllm: { compatible: true },
    });
    expect(adapter!.folder.startsWith(path.join(dir, 'ws', 'adapters'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'ws', 'training', job.id))).toBe(false);
    const details = await ok<AdapterDetails>('get', { id: adapter!.id });
    expect(details.lineage).toMatchObject({
      source: 'trained',
      base_model: { content_hash: model.contentHash },
      dataset: { id: file },
      hyper_parameters: { r: 2, learning_rate: 0.01, steps: 6 },
    });
    expect(details.history.train).toHaveLength(6);
    // Trained on a file: no workspace dataset or saved template to compare on.
    expect(details.training).toEqual({ datasetVersionId: null, templateVersionId: null });
    const config = parseDecoderConfig(
      JSON.parse(fs.readFileSync(path.join(MEMORISE, 'config.json'), 'utf8')),
      'config.json',
    );
    const read = await readAdapterFolder(adapter!.folder, config, { baseContentHash: model.contentHash });
    expect(read.lora?.config.r).toBe(2);
    expect(read.lineage?.final_losses?.step).toBe(6);
  }, 120_000);

  it('calibrates the estimate with real steps of the run, keeps nothing of them, and reuses the timing', async () => {
    let trains = 0;
    const counting = {
      request: (...args: Parameters<EngineHost['request']>) => {
        if (args[0] === 'train') trains++;
        return host.request(...args);
      },
    } as unknown as EngineHost;
    const { ok } = service(counting);
    const model = await addModel(MEMORISE);
    const file = writeRows('rows.jsonl', [...ROWS, ...ROWS, ...ROWS]);
    const calibrated = await ok<TrainingEstimate>('calibrate', spec(model.id, file, { epochs: 10 }));
    expect(calibrated).toMatchObject({
      rows: 12,
      steps: 60,
      tokensPerSecondSource: 'calibrated',
      calibration: { steps: 4 },
    });
    expect(calibrated.calibration!.stepSeconds).toBeGreaterThan(0);
    expect(calibrated.seconds).toBeGreaterThanOrEqual(60 * calibrated.calibration!.stepSeconds);
    // Nothing of the calibration is left: no job, no adapter, no folder.
    expect(await ok<TrainingJob[]>('jobs')).toEqual([]);
    expect(await ok<AdapterRecord[]>('list')).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'ws', 'training'))).toEqual([]);
    expect(trains).toBe(1);
    // More epochs of the same steps: the same timing, more steps, no second engine run.
    const longer = await ok<TrainingEstimate>('calibrate', spec(model.id, file, { epochs: 20 }));
    expect(longer.calibration).toEqual(calibrated.calibration);
    expect(longer.steps).toBe(120);
    expect(trains).toBe(1);
  }, 120_000);

  it('pause then resume ends exactly where an uninterrupted run with the same seed ends', async () => {
    const { ok } = service();
    const model = await addModel(MEMORISE);
    const file = writeRows('rows.jsonl', ROWS);
    // 24 steps: the pause, asked for as step 2 is reported, lands long before the end however fast the machine is.
    const long = { epochs: 12 };
    const straight = await ok<TrainingJob>('startTraining', spec(model.id, file, long));
    const a = await until(
      () => ok<TrainingJob>('job', { id: straight.id }),
      (j) => j.state === 'completed' || j.state === 'failed',
    );
    expect(a.history.train).toHaveLength(24);
    let pausing: Promise<TrainingJob> | undefined;
    onProgress = (p) => {
      if (p.progress.step === 2 && pausing === undefined) pausing = ok<TrainingJob>('pause', { id: p.jobId });
    };
    const paused = await ok<TrainingJob>('startTraining', spec(model.id, file, long));
    const stopped = await until(
      () => ok<TrainingJob>('job', { id: paused.id }),
      (j) => j.state === 'paused' || j.state === 'completed',
    );
    onProgress = undefined;
    expect(['pausing', 'paused']).toContain((await pausing!).state);
    expect(stopped.state).toBe('paused');
    expect(stopped.progress!.step).toBeLessThan(24);
    expect(fs.readdirSync(path.join(dir, 'ws', 'training', paused.id, 'checkpoints')).length).toBeGreaterThan(0);
    await ok<TrainingJob>('resume', { id: paused.id });
    const b = await until(
      () => ok<TrainingJob>('job', { id: paused.id }),
      (j) => j.state === 'completed' || j.state === 'failed',
    );
    expect(b.history.train.map((p) => p.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(b.history.train.at(-1)!.loss).toBe(a.history.train.at(-1)!.loss);
    const lineage = async (id: string) =>
      (await ok<AdapterDetails>('get', { id })).lineage as { files: Record<string, string> };
    expect((await lineage(b.adapterId!)).files).toEqual((await lineage(a.adapterId!)).files);
    // Resume says so at once: a job panel that shows 'paused' with a Resume button must hear that it runs again.
    expect(jobEvents.filter((e) => e.jobId === paused.id).map((e) => e.state)).toEqual([
      'pausing',
      'paused',
      'running',
      'checking',
      'completed',
    ]);
  }, 180_000);

  it('a run cut off by an engine crash is interrupted, and a new service instance resumes it from its checkpoint', async () => {
    const crashy = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1, testHooks: true });
    try {
      await crashy.start();
      const first = service(crashy);
      const model = await addModel(MEMORISE);
      const file = writeRows('rows.jsonl', ROWS);
      const job = await first.ok<TrainingJob>('startTraining', spec(model.id, file, { epochs: 10 }));
      await until(
        () => first.ok<TrainingJob>('job', { id: job.id }),
        (j) => (j.progress?.step ?? 0) >= 2,
      );
      await crashy.crashForTest('exit').catch(() => undefined);
      const cut = await until(
        () => first.ok<TrainingJob>('job', { id: job.id }),
        (j) => j.state !== 'running',
      );
      expect(cut.state).toBe('interrupted');
      // As if the app had been killed before it could write that: the row still says running.
      workspace.active.db.prepare("UPDATE training_jobs SET state = 'running' WHERE id = ?").run(job.id);
      const second = service();
      const reopened = await second.ok<TrainingJob>('job', { id: job.id });
      expect(reopened.state).toBe('interrupted');
      expect((await second.ok<TrainingJob[]>('jobs')).map((j) => j.state)).toEqual(['interrupted']);
      await second.ok('resume', { id: job.id });
      const done = await until(
        () => second.ok<TrainingJob>('job', { id: job.id }),
        (j) => j.state === 'completed' || j.state === 'failed',
      );
      expect(done.state).toBe('completed');
      expect(done.history.train.at(-1)!.step).toBe(20);
    } finally {
      await crashy.dispose();
    }
  }, 180_000);

  it('cancel discards the job and its checkpoints', async () => {
    const { ok } = service();
    const model = await addModel(MEMORISE);
    const job = await ok<TrainingJob>('startTraining', spec(model.id, writeRows('rows.jsonl', ROWS), { epochs: 50 }));
    await until(
      () => ok<TrainingJob>('job', { id: job.id }),
      (j) => (j.progress?.step ?? 0) >= 1,
    );
    expect((await ok<TrainingJob>('cancel', { id: job.id })).state).toBe('cancelled');
    expect(fs.existsSync(path.join(dir, 'ws', 'training', job.id))).toBe(false);
    expect(await ok<AdapterRecord[]>('list')).toEqual([]);
  }, 60_000);
});

describe('adapters: data errors', () => {
  it('names the line of a malformed row and of a row without the output field', async () => {
    const { userError } = service();
    const model = await addModel(MEMORISE);
    const broken = writeRows('broken.jsonl', [ROWS[0]!, ROWS[1]!, '{"q": "ab", oops']);
    expect(await userError('estimate', spec(model.id, broken))).toMatchObject({
      message: expect.stringMatching(/^Line 3 of .*broken\.jsonl: is not valid JSON/),
      where: `${broken}:3`,
    });
    const missing = writeRows('missing.jsonl', [ROWS[0]!, '', JSON.stringify({ q: 'ab' })]);
    expect((await userError('startTraining', spec(model.id, missing))).message).toMatch(
      /^Line 3 of .*: has no text field "a"/,
    );
  }, 60_000);

  it("names LoRA targets the model does not have (Phi-3's fused qkv_proj on a Llama) before any work", async () => {
    const { userError } = service();
    const model = await addModel(MEMORISE);
    const file = writeRows('fused.jsonl', [ROWS[0]!, ROWS[1]!]);
    const fused = { ...spec(model.id, file), lora: { r: 2, alpha: 4, targets: ['qkv_proj', 'v_proj'] } };
    expect(await userError('estimate', fused)).toMatchObject({
      message: expect.stringMatching(/^LoRA targets qkv_proj are not projections of .* \(LlamaForCausalLM\)\./),
      where: 'lora.targets',
      code: 'train-targets',
    });
  }, 60_000);

  it('reports over-long rows with their numbers before starting, and refuses to start', async () => {
    const { ok, userError } = service();
    const model = await addModel(MEMORISE);
    const file = writeRows('long.jsonl', [
      ROWS[0]!,
      JSON.stringify({ q: 'a much longer question than the others', a: 'b' }),
    ]);
    const estimate = await ok<TrainingEstimate>('estimate', spec(model.id, file, { maxLength: 24 }));
    expect(estimate.tooLong.map((r) => r.row)).toEqual([1]);
    expect((await userError('startTraining', spec(model.id, file, { maxLength: 24 }))).message).toMatch(
      /1 training rows are longer than 24 tokens: row 2 \(/,
    );
  }, 60_000);
});

describe('adapters: import', () => {
  it('imports a real PEFT LoRA into the workspace with lineage source imported', async () => {
    const { ok } = service();
    const model = await addModel(REFERENCE);
    const record = await ok<AdapterRecord>('importPeft', { folder: path.join(REFERENCE, 'lora'), modelId: model.id });
    expect(record).toMatchObject({ method: 'lora', source: 'imported', check: { active: true } });
    expect(fs.readdirSync(record.folder).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
      'dovetail_adapter.json',
    ]);
    expect((await ok<AdapterDetails>('get', { id: record.id })).lineage).toMatchObject({
      source: 'imported',
      dataset: null,
      hyper_parameters: { r: 4 },
    });
    await ok('remove', { id: record.id });
    expect(fs.existsSync(record.folder)).toBe(false);
  }, 60_000);

  it('refuses a LoRA whose lora_B weights are zero as inactive', async () => {
    const { ok, userError } = service();
    const model = await addModel(REFERENCE);
    const zeroed = path.join(dir, 'zero-b');
    fs.cpSync(path.join(REFERENCE, 'lora'), zeroed, { recursive: true });
    zeroB(path.join(zeroed, 'adapter_model.safetensors'));
    expect(await userError('importPeft', { folder: zeroed, modelId: model.id })).toMatchObject({
      code: 'adapter-inactive',
    });
    expect(await ok<AdapterRecord[]>('list')).toEqual([]);
  }, 60_000);
});

/** Rewrites every lora_B tensor of a safetensors file with zeros (PEFT's initial state). */
function zeroB(file: string): void {
  const bytes = fs.readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { data_offsets?: [number, number] }
  >;
  for (const [key, t] of Object.entries(header))
    if (key.includes('lora_B') && t.data_offsets) bytes.fill(0, 8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]);
  fs.writeFileSync(file, bytes);
}
