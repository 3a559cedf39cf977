// The engine's generate / loadModel / unloadModel methods through the real EngineHost and worker (onnxruntime-node):
// exact greedy tokens against the PyTorch reference fixture and against transformers on the bundled demo model,
// streaming, ragged batches, LoRA + soft prompt, rows with their own adapters and decoding, cancellation, defaults
// from generation_config.json, errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugError, CancelledError, UserError } from '../../shared/errors';
import { loadCheckpoint } from '../engine/models';
import {
  readLoraAdapter,
  readReference,
  readSoftPrompt,
  REFERENCE_ROOT,
  type Reference,
} from '../engine/models/testing/reference-fixtures';
import type { ParamsIn, Progress } from '../engine/protocol';
import { spawnChildProcess } from './engine-channel';
import { writeDemoAdapters } from '../testing/demo-adapters';
import { EngineHost } from './engine-host';
import { engineWorkerScript } from './testing/engine-worker-script';

const LLAMA = join(REFERENCE_ROOT, 'llama');
const DEMO = join(import.meta.dirname, '../../../resources/models/dovetail-wordnet-13m');
interface GreedyCase {
  kind: 'chat' | 'text';
  messages?: { role: string; content: string }[];
  prompt_text: string;
  input_ids: number[];
  generated_ids: number[];
  generated_text: string;
}
const demoFixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../engine/models/__fixtures__/demo-model-greedy.json'), 'utf8'),
) as {
  max_new_tokens: number;
  cases: GreedyCase[];
};

let host: EngineHost;
let reference: Reference;

beforeAll(async () => {
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  reference = await readReference(LLAMA);
  await host.start();
});
afterAll(() => host.dispose());

type Params = ParamsIn<'generate'>;
type TokenEvent = Progress<'generate'>;

async function run(params: Params, signal?: AbortSignal) {
  const events: TokenEvent[] = [];
  const result = await host.request('generate', params, {
    onProgress: (e) => events.push(e),
    ...(signal ? { signal } : {}),
  });
  return { result, events };
}

const greedy = (max: number) => ({ do_sample: false, max_new_tokens: max, ignore_eos: true });
const referenceCase = (name: string) => reference.cases.find((c) => c.name === name)!;

describe('generate on the reference fixture (tiny Llama)', () => {
  it('greedy tokens equal the PyTorch continuation, and the streamed deltas add up to the text', async () => {
    const c = referenceCase('b1-base');
    const { result, events } = await run({
      model: { folder: LLAMA },
      prompts: [{ mode: 'ids', ids: c.prompts[0]! }],
      settings: greedy(reference.new_tokens),
    });
    const row = result.rows[0]!;
    expect(row.tokenIds).toEqual(c.greedy[0]);
    expect(row).toMatchObject({
      finishReason: 'length',
      promptTokens: c.prompts[0]!.length,
      generatedTokens: reference.new_tokens,
      seed: 0,
    });
    expect(events.map((e) => e.delta).join('')).toBe(row.text);
    expect(events.flatMap((e) => (e.tokenId === null ? [] : [e.tokenId]))).toEqual(row.tokenIds);
    expect(events.at(-1)?.finishReason).toBe('length');
    expect(row.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(row.totalMs).toBeGreaterThanOrEqual(row.timeToFirstTokenMs!);
    expect(row.tokensPerSecond).toBeGreaterThan(0);
    expect(result.settings).toMatchObject({ do_sample: false, max_new_tokens: reference.new_tokens, ignore_eos: true });
  });

  it('a batch of 3 ragged prompts gives the reference tokens, each row as it does alone', async () => {
    const c = referenceCase('b3-base');
    const prompts = c.prompts.map((ids) => ({ mode: 'ids' as const, ids }));
    const { result, events } = await run({ model: { folder: LLAMA }, prompts, settings: greedy(reference.new_tokens) });
    expect(result.rows.map((r) => r.tokenIds)).toEqual(c.greedy);
    for (const [b, prompt] of prompts.entries()) {
      const alone = await run({ model: { folder: LLAMA }, prompts: [prompt], settings: greedy(reference.new_tokens) });
      expect(alone.result.rows[0]!.tokenIds).toEqual(result.rows[b]!.tokenIds);
      expect(alone.result.rows[0]!.text).toBe(result.rows[b]!.text);
      expect(
        events
          .filter((e) => e.row === b)
          .map((e) => e.delta)
          .join(''),
      ).toBe(result.rows[b]!.text);
    }
  });

  it('applies a LoRA adapter and a soft prompt given as float arrays', async () => {
    const checkpoint = await loadCheckpoint(LLAMA);
    const adapter = await readLoraAdapter(LLAMA, checkpoint.config, reference.lora_scaling);
    const softPrompt = await readSoftPrompt(LLAMA);
    const c = referenceCase('b3-lora-soft');
    const { result } = await run({
      model: { folder: LLAMA, contentHash: checkpoint.contentHash },
      prompts: c.prompts.map((ids) => ({ mode: 'ids' as const, ids })),
      settings: greedy(reference.new_tokens),
      adapter: { scaling: adapter.scaling, layers: adapter.layers },
      softPrompt: { dims: [...softPrompt.dims], data: Array.from(softPrompt.data) }, // plain numbers are accepted too
      stream: false,
    });
    expect(result.rows.map((r) => r.tokenIds)).toEqual(c.greedy);
  });

  it('refuses an adapter shaped for another model, naming the tensor', async () => {
    const checkpoint = await loadCheckpoint(LLAMA);
    const layers = Array.from({ length: checkpoint.config.num_hidden_layers }, () => ({}));
    layers[1] = {
      q_proj: { A: { dims: [2, 64], data: new Float32Array(128) }, B: { dims: [64, 2], data: new Float32Array(128) } },
    };
    const failure = run({
      model: { folder: LLAMA },
      prompts: [{ mode: 'ids', ids: [1, 2] }],
      adapter: { scaling: 1, layers },
    });
    await expect(failure).rejects.toMatchObject({ code: 'adapter-shape', where: 'adapter: layer 1 q_proj A' });
  });

  it('renders chats with the model template and completes raw text', async () => {
    const checkpoint = await loadCheckpoint(LLAMA);
    const messages = [{ role: 'user', content: 'hello there' }];
    const { result } = await run({
      model: { folder: LLAMA },
      prompts: [
        { mode: 'chat', messages },
        { mode: 'raw', text: 'hello there' },
      ],
      settings: greedy(4),
    });
    expect(result.rows[0]!.promptTokens).toBe(checkpoint.tokenizer.encodePrompt({ mode: 'chat', messages }).length);
    expect(result.rows[1]!.promptTokens).toBe(
      checkpoint.tokenizer.encodePrompt({ mode: 'raw', text: 'hello there' }).length,
    );
  });

  it('names the bad setting, and loads a folder again when the registry names another content hash', async () => {
    const prompts = [{ mode: 'ids' as const, ids: [1, 2, 3] }];
    await expect(run({ model: { folder: LLAMA }, prompts, settings: { top_p: 0 } })).rejects.toMatchObject({
      where: 'engine.generate: settings.top_p',
    });
    // The registry's hash covers the weights, which the worker does not read whole: it trusts it and keys by it.
    expect(
      (await run({ model: { folder: LLAMA, contentHash: 'another-identity' }, prompts, settings: greedy(2) })).result
        .contentHash,
    ).toBe('another-identity');
    // Without a hash the loaded copy serves.
    expect((await run({ model: { folder: LLAMA }, prompts, settings: greedy(2) })).result.contentHash).toBe(
      'another-identity',
    );
    await expect(run({ model: { folder: join(REFERENCE_ROOT, 'no-such-model') }, prompts })).rejects.toBeInstanceOf(
      UserError,
    );
  });

  it('samples reproducibly with a recorded seed', async () => {
    const prompts = [{ mode: 'ids' as const, ids: referenceCase('b1-base').prompts[0]! }];
    const settings = { do_sample: true, temperature: 1.5, top_k: 0, max_new_tokens: 12, ignore_eos: true, seed: 1234 };
    const a = await run({ model: { folder: LLAMA }, prompts, settings });
    const b = await run({ model: { folder: LLAMA }, prompts, settings });
    expect(a.result.rows[0]!.seed).toBe(1234);
    expect(b.result.rows[0]!.tokenIds).toEqual(a.result.rows[0]!.tokenIds);
  });
});

describe('generate on the bundled demo model', () => {
  it('loads it with the decoding defaults of its generation_config.json', async () => {
    const info = await host.request('loadModel', { folder: DEMO });
    expect(info).toMatchObject({ hasChatTemplate: true, contextLength: 512 });
    expect(info.defaults).toMatchObject({ do_sample: false, eos_token_id: [0, 2], max_new_tokens: 256 });
    const again = await host.request('loadModel', { folder: DEMO });
    expect(again.loadMs).toBe(0); // cached
  });

  it('greedy tokens equal what transformers generated (demo-model-greedy.json)', async () => {
    for (const c of demoFixture.cases) {
      const prompt =
        c.kind === 'chat'
          ? { mode: 'chat' as const, messages: c.messages! }
          : { mode: 'raw' as const, text: c.prompt_text };
      const { result, events } = await run({
        model: { folder: DEMO },
        prompts: [prompt],
        settings: { max_new_tokens: demoFixture.max_new_tokens },
      });
      const row = result.rows[0]!;
      expect(row.promptTokens).toBe(c.input_ids.length);
      expect(row.tokenIds).toEqual(c.generated_ids);
      expect(row.finishReason).toBe(c.generated_ids.length < demoFixture.max_new_tokens ? 'eos' : 'length');
      expect(row.text).toBe(c.generated_text.replace('<|im_end|>', ''));
      expect(events.map((e) => e.delta).join('')).toBe(row.text);
    }
  });

  it('rows: each row its own adapter folders and decoding, generating what it generates alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovetail-rows-'));
    try {
      const folders = writeDemoAdapters(dir);
      const lora = [{ folder: folders.lora, lora: true, softPrompt: false }];
      const soft = [{ folder: folders.soft, lora: false, softPrompt: true }];
      const rows = [
        { adapterFolders: lora, settings: { max_new_tokens: 8 } },
        { adapterFolders: soft, settings: { do_sample: true, temperature: 0.9, max_new_tokens: 6, seed: 3 } },
        { adapterFolders: [], settings: { max_new_tokens: 4 } },
      ];
      const prompts = ['A violin is', 'The river', 'My invoice'].map((text) => ({ mode: 'raw' as const, text }));
      const { result } = await run({ model: { folder: DEMO }, prompts, rows, settings: { ignore_eos: true } });
      for (const [b, row] of rows.entries()) {
        const alone = await run({
          model: { folder: DEMO },
          prompts: [prompts[b]!],
          adapterFolders: row.adapterFolders,
          settings: { ignore_eos: true, ...row.settings },
        });
        expect(result.rows[b], `row ${b}`).toMatchObject({
          tokenIds: alone.result.rows[0]!.tokenIds,
          text: alone.result.rows[0]!.text,
        });
      }
      expect(result.rows.map((r) => r.generatedTokens)).toEqual([8, 6, 4]);
      const bad = run({ model: { folder: DEMO }, prompts, rows: rows.slice(1) });
      await expect(bad).rejects.toBeInstanceOf(BugError);
      await expect(
        run({ model: { folder: DEMO }, prompts: [prompts[0]!], rows: [{ settings: { top_p: 0 } }] }),
      ).rejects.toMatchObject({ where: 'engine.generate: rows.0.settings.top_p' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cancelled mid-run, rows end with reason cancelled and keep their partial text', async () => {
    const controller = new AbortController();
    const events: TokenEvent[] = [];
    const result = await host.request(
      'generate',
      {
        model: { folder: DEMO },
        prompts: [{ mode: 'raw', text: 'A violin is' }],
        settings: { max_new_tokens: 480, ignore_eos: true },
      },
      {
        signal: controller.signal,
        onProgress: (e) => {
          events.push(e);
          if (events.length === 3) controller.abort();
        },
      },
    );
    const row = result.rows[0]!;
    expect(row.finishReason).toBe('cancelled');
    expect(row.generatedTokens).toBeGreaterThanOrEqual(3);
    expect(row.generatedTokens).toBeLessThan(480);
    expect(events.map((e) => e.delta).join('')).toBe(row.text);
    expect(events.at(-1)?.finishReason).toBe('cancelled');
  });

  it('measures decode speed (for the record)', async () => {
    const { result } = await run({
      model: { folder: DEMO },
      prompts: [{ mode: 'raw', text: 'A violin is' }],
      settings: { max_new_tokens: 200, ignore_eos: true },
      stream: false,
    });
    const row = result.rows[0]!;
    console.info(
      `demo model, batch 1, 1 thread: ${row.tokensPerSecond?.toFixed(0)} tok/s decode, ${row.timeToFirstTokenMs?.toFixed(1)} ms to first token`,
    );
    expect(row.generatedTokens).toBe(200);
  });

  it('unloads deliberately; the next request loads again', async () => {
    expect((await host.request('unloadModel', { folder: DEMO })).unloaded).toBe(1);
    const info = await host.request('loadModel', { folder: DEMO });
    expect(info.loadMs).toBeGreaterThan(0);
  });

  it('a cancel before the request reaches the worker rejects with CancelledError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      run({ model: { folder: DEMO }, prompts: [{ mode: 'raw', text: 'x' }] }, controller.signal),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
