// The preview's token count and live run through the composed app (real dispatcher, services, SQLite and engine
// worker with the bundled demo model): tokens against the context window, chat adding the chat template's tokens, a
// run streaming its answer as generation events, cancel; and, over fakes, the adapter folders a run passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { Api, DemoWorkspace, GenerationFinished } from '../../../shared/contract';
import type { ModelRecord } from '../../../shared/contract/models';
import { RenderHost } from '../../host/render-host';
import { renderWorkerScript } from '../../host/testing/engine-worker-script';
import { useDemoApp } from '../../testing/demo-app';
import type { DatasetReader } from './dataset-reader';
import { TemplatesService } from './templates-service';

const ctx = useDemoApp('templates-run');
let api: Api;
let demo: DemoWorkspace;
beforeAll(() => {
  ({ api, demo } = ctx);
});

const triage = (): Promise<string> => ctx.triageVersionId();

const SOURCE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';

function finishedOf(runId: string): Promise<GenerationFinished> {
  return new Promise((resolve) => {
    const off = api.generation.onFinished((f) => {
      if (f.runId !== runId) return;
      off();
      resolve(f);
    });
  });
}

describe('templates.preview with a model', () => {
  it('counts the prompt with the model tokenizer against its context window; the chat template adds tokens', async () => {
    const datasetVersionId = await triage();
    const modelId = demo.modelIds[0] as string;
    const model = await api.models.get({ id: modelId });
    const base = { source: SOURCE, datasetVersionId, rowIdx: 0 };
    const plain = await api.templates.preview(base);
    expect(plain.tokens).toBeUndefined();
    const raw = await api.templates.preview({ ...base, modelId });
    expect(raw.text).toBe(plain.text);
    expect(raw.contextLength).toBe(model.contextLength);
    expect(raw.tokens).toBeGreaterThan(10);
    expect(raw.tokens).toBeLessThan(raw.text.length);
    // A longer prompt counts more; the chat template wraps the same text in more tokens.
    const longer = await api.templates.preview({ ...base, source: `${SOURCE}\n${SOURCE}`, modelId });
    expect(longer.tokens).toBeGreaterThan(raw.tokens!);
    const chat = await api.templates.preview({ ...base, chat: true, modelId });
    expect(chat.tokens).toBeGreaterThan(raw.tokens!);
  });
});

describe('templates.run', () => {
  it('streams the model answer to the previewed row as generation events, greedy and bounded', async () => {
    const datasetVersionId = await triage();
    const modelId = demo.modelIds[0] as string;
    const arg = { source: SOURCE, datasetVersionId, rowIdx: 1, modelId };
    const preview = await api.templates.preview(arg);
    const deltas: string[] = [];
    let runId = '';
    const off = api.generation.onToken((t) => {
      if (t.runId === runId) deltas.push(t.delta);
    });
    const started = await api.templates.run({ ...arg, maxNewTokens: 8 });
    runId = started.runId;
    expect(started.prompt).toBe(preview.text);
    const finished = await finishedOf(runId);
    off();
    if (!finished.ok) throw new Error(finished.error.message);
    const row = finished.result.rows[0]!;
    expect(row.generatedTokens).toBeGreaterThan(0);
    expect(row.generatedTokens).toBeLessThanOrEqual(8);
    expect(finished.result.settings.do_sample).toBe(false);
    expect(deltas.join('')).toBe(row.text);
    // Greedy: the same row gives the same answer.
    const again = await api.templates.run({ ...arg, maxNewTokens: 8 });
    const second = await finishedOf(again.runId);
    expect(second.ok && second.result.rows[0]?.text).toBe(row.text);
  }, 120_000);

  it('is cancelled through generation.cancel, and refuses a row the dataset does not have', async () => {
    const datasetVersionId = await triage();
    const modelId = demo.modelIds[0] as string;
    // Whether the cancel lands before the first token depends on how busy the machine is; both ends are a cancel,
    // never a failure: before any token, a 'cancelled' error and no rows; after, the text so far, marked cancelled.
    const started = await api.templates.run({
      source: SOURCE,
      datasetVersionId,
      rowIdx: 0,
      modelId,
      maxNewTokens: 4096,
    });
    const finished = finishedOf(started.runId);
    expect(await api.generation.cancel({ runId: started.runId })).toEqual({ cancelled: true });
    const end = await finished;
    if (end.ok) {
      expect(end.result.rows.map((r) => r.finishReason)).toEqual(['cancelled']);
      expect(end.result.rows[0]!.generatedTokens).toBeLessThan(4096);
    } else {
      expect(end.error.kind).toBe('cancelled');
    }
    // A cancel that surely comes first (the run is cancelled before the call that starts it has answered) ends the
    // same way: cancelled, not failed.
    const early = api.templates.run({ source: SOURCE, datasetVersionId, rowIdx: 0, modelId, maxNewTokens: 4096 });
    const earlyEnd = early.then((s) => finishedOf(s.runId));
    await api.generation.cancel({ runId: (await early).runId });
    const e = await earlyEnd;
    expect(e.ok ? e.result.rows[0]!.finishReason : e.error.kind).toBe('cancelled');
    await expect(api.templates.run({ source: SOURCE, datasetVersionId, rowIdx: 1_000_000, modelId })).rejects.toThrow(
      /has no row 1000001/,
    );
  }, 120_000);
});

let realHost: RenderHost | null = null;
async function realRenderer(): Promise<RenderHost> {
  realHost ??= new RenderHost(await renderWorkerScript());
  return realHost;
}
afterAll(() => realHost?.dispose());

describe('templates.run with an adapter (fakes)', () => {
  const model = {
    id: 'm1',
    name: 'Tiny',
    folder: '/models/tiny',
    contentHash: 'base-hash',
    contextLength: 2048,
    available: true,
  } as ModelRecord;
  const adapter = (id: string, method: AdapterRecord['method'], modelId = 'm1') =>
    ({ id, name: id, modelId, method, folder: `/adapters/${id}` }) as AdapterRecord;
  const records = new Map(
    [
      adapter('a-lora', 'lora'),
      adapter('a-soft', 'soft-prompt'),
      adapter('a-both', 'both'),
      adapter('a-other', 'lora', 'm2'),
    ].map((a) => [a.id, a]),
  );
  const datasets: DatasetReader = {
    versionFacts: (id) => ({
      id,
      name: 'd',
      version: 1,
      contentHash: 'h',
      roles: { input: ['q'], reference: 'a', key: null, label: null },
      splits: { train: 1, validation: 0, test: 0 },
    }),
    readRows: () => [{ idx: 0, key: 'k0', split: 'train', data: { q: 'Why?', a: 'Because.' } }],
  };
  const launches: unknown[][] = [];
  const renderer = {
    render: async (...args: Parameters<RenderHost['render']>) => (await realRenderer()).render(...args),
  };
  const service = new TemplatesService({
    renderer,
    workspace: {
      get active(): never {
        throw new Error('no workspace in this test');
      },
    } as never,
    datasets,
    events: { emit: () => undefined },
    clock: () => new Date(0),
    engine: { request: () => Promise.reject(new Error('no engine in this test')) } as never,
    models: { usableModel: async () => model },
    generation: {
      launch: async (...args) => {
        launches.push(args);
        return { runId: `run-${launches.length}`, seed: 0 };
      },
    },
    adapters: {
      record: (id) => {
        const a = records.get(id);
        if (!a) throw new Error(`no adapter ${id}`);
        return a;
      },
    },
  });
  const arg = {
    source: 'Q: {{ q }} A: {{ a }}',
    chat: false,
    datasetVersionId: 'dv',
    rowIdx: 0,
    demonstrationSetVersionId: null,
    modelId: 'm1',
    maxNewTokens: 128,
  };

  it('passes the parts each adapter has, greedy decoding and the rendered prompt (reference left out)', async () => {
    expect(await service.run({ ...arg, adapterId: null })).toEqual({ runId: 'run-1', prompt: 'Q: Why? A: ' });
    await service.run({ ...arg, adapterId: 'a-lora' });
    await service.run({ ...arg, adapterId: 'a-soft' });
    await service.run({ ...arg, adapterId: 'a-both' });
    expect(launches[0]).toEqual([
      model,
      [{ mode: 'raw', text: 'Q: Why? A: ' }],
      { do_sample: false, max_new_tokens: 128 },
      [],
    ]);
    const folders = launches.slice(1).map((l) => l[3]);
    expect(folders).toEqual([
      [{ folder: '/adapters/a-lora', lora: true, softPrompt: false, baseContentHash: 'base-hash' }],
      [{ folder: '/adapters/a-soft', lora: false, softPrompt: true, baseContentHash: 'base-hash' }],
      [{ folder: '/adapters/a-both', lora: true, softPrompt: true, baseContentHash: 'base-hash' }],
    ]);
  });

  it('refuses an adapter of another model', async () => {
    await expect(service.run({ ...arg, adapterId: 'a-other' })).rejects.toThrow(/another base model/);
  });
});
