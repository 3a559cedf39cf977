// The serving endpoint batching requests of different releases of one base model, driven by the official openai
// client on the composed app with the demo workspace: a release with a LoRA and one with a soft prompt (PEFT folders
// written here and imported), requests with different decoding waiting together share one engine run, and each
// answers what the release generates in the app (greedy) or alone (seeded sampling).
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { GenerationFinished } from '../../shared/contract';
import { tensor } from '../engine/graph';
import { loraFeatures, parseDecoderConfig, type DecoderConfig, type LoraModule } from '../engine/models';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, encodePeftLora, encodePeftPromptTuning } from '../engine/train';
import { useDemoApp } from '../testing/demo-app';

const ctx = useDemoApp('serving-mixed');
const TEMPLATE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
const MESSAGE = 'My invoice is wrong and I was charged twice.';
const DEMO_CONFIG = path.resolve('resources/models/dovetail-wordnet-13m/config.json');

/** Deterministic values in [-scale, scale). */
function values(count: number, seed: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => {
    const x = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return (x - Math.floor(x) - 0.5) * 2 * scale;
  });
}

function writePeft(folder: string, files: { config: Uint8Array; weights: Uint8Array }): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, ADAPTER_CONFIG_FILE), files.config);
  fs.writeFileSync(path.join(folder, ADAPTER_WEIGHTS_FILE), files.weights);
  return folder;
}

/** A rank-4 LoRA on q_proj and v_proj, and a soft prompt of 3 virtual tokens, for the demo model. */
function adapterFolders(dir: string, model: DecoderConfig): { lora: string; soft: string } {
  const targets: LoraModule[] = ['q_proj', 'v_proj'];
  const r = 4;
  const layers = Array.from({ length: model.num_hidden_layers }, (_, i) =>
    Object.fromEntries(
      targets.map((m, j) => {
        const f = loraFeatures(model, m);
        return [
          m,
          {
            A: tensor('float32', [r, f.in], values(r * f.in, 10 * i + j, 0.1)),
            B: tensor('float32', [f.out, r], values(f.out * r, 100 + 10 * i + j, 0.1)),
          },
        ];
      }),
    ),
  );
  const lora = encodePeftLora({ r, lora_alpha: 8, target_modules: targets, layers }, { model });
  const C = model.hidden_size;
  const soft = encodePeftPromptTuning({ embeddings: tensor('float32', [3, C], values(3 * C, 7, 0.05)) }, { model });
  return { lora: writePeft(path.join(dir, 'lora'), lora), soft: writePeft(path.join(dir, 'soft'), soft) };
}

/** The text of a specialization run through specializations.try (the Playground's path). */
async function tried(specializationId: string, message: string): Promise<string> {
  const ended = new Map<string, GenerationFinished>();
  const waiters = new Map<string, (f: GenerationFinished) => void>();
  const off = ctx.api.generation.onFinished((f) => (waiters.get(f.runId)?.(f), ended.set(f.runId, f)));
  try {
    const { runId } = await ctx.api.specializations.try({ specializationId, fields: { message } });
    const finished =
      ended.get(runId) ?? (await new Promise<GenerationFinished>((resolve) => waiters.set(runId, resolve)));
    if (!finished.ok) throw new Error(finished.error.message);
    return finished.result.rows[0]?.text ?? '';
  } finally {
    off();
  }
}

describe('the serving endpoint across releases', () => {
  it('runs waiting requests of two releases with different decoding as one engine run, each as it runs alone', async () => {
    const { api, demo } = ctx;
    const modelId = demo.modelIds[0] as string;
    const config = parseDecoderConfig(JSON.parse(fs.readFileSync(DEMO_CONFIG, 'utf8')), DEMO_CONFIG);
    const folders = adapterFolders(path.join(ctx.dir, 'adapters'), config);
    const lora = await api.adapters.importPeft({ folder: folders.lora, modelId, name: 'Serve LoRA' });
    const soft = await api.adapters.importPeft({ folder: folders.soft, modelId, name: 'Serve soft prompt' });
    const template = await api.templates.save({ name: 'Serve triage', source: TEMPLATE });
    const withLora = await api.specializations.create({
      name: 'Serve with LoRA',
      modelId,
      loraAdapterId: lora.id,
      templateVersionId: template.id,
      decoding: { max_new_tokens: 10 },
    });
    const withSoft = await api.specializations.create({
      name: 'Serve with soft prompt',
      modelId,
      softPromptAdapterId: soft.id,
      templateVersionId: template.id,
      decoding: { max_new_tokens: 7 },
    });
    await api.releases.create({ specializationId: withLora.id, name: 'lora', version: '1.0.0' });
    await api.releases.create({ specializationId: withSoft.id, name: 'soft', version: '1.0.0' });
    const { secret } = await api.serving.createKey({ name: 'tests' });
    const status = await api.serving.start({ port: 0, limits: { maxConcurrent: 1, maxQueue: 8 } });
    const client = new OpenAI({ apiKey: secret, baseURL: status.baseUrl ?? '', maxRetries: 0 });

    // A long run of the base model holds the engine; the requests of both releases wait, then share the next run.
    const stop = new AbortController();
    const long = (await client.completions.create(
      { model: 'lora@1.0.0', prompt: 'Ticket:', max_tokens: 480, ignore_eos: true, stream: true } as never,
      { signal: stop.signal },
    )) as unknown as AsyncIterable<OpenAI.Completion>;
    await long[Symbol.asyncIterator]().next(); // generating now
    const ask = (model: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) =>
      client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: MESSAGE }],
        temperature: 0,
        ...extra,
      });
    const sampled = { temperature: 0.9, top_p: 0.95, seed: 5 };
    const waiting = [
      ask('lora@1.0.0'),
      ask('lora@1.0.0', { max_tokens: 3 }),
      ask('soft@1.0.0'),
      ask('soft@1.0.0', sampled),
    ];
    while ((await api.serving.status({})).queuedRequests < waiting.length) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    const [loraGreedy, loraShort, softGreedy, softSampled] = (await Promise.all(waiting)).map(
      (a) => a.choices[0]?.message.content ?? '',
    );

    const records = await api.serving.requests({ limit: 50 });
    const shared = records.filter((r) => r.outcome === 'ok' && r.batchSize === waiting.length);
    expect(shared).toHaveLength(waiting.length);
    expect(new Set(shared.map((r) => r.releaseId)).size).toBe(2);

    // Each answers what its release generates in the app, or alone.
    const loraAlone = await tried(withLora.id, MESSAGE);
    const softAlone = await tried(withSoft.id, MESSAGE);
    expect(loraGreedy).toBe(loraAlone);
    expect(softGreedy).toBe(softAlone);
    expect(loraAlone).not.toBe(softAlone);
    expect(loraAlone.startsWith(loraShort ?? '?')).toBe(true);
    expect(loraShort?.length).toBeGreaterThan(0);
    expect(loraShort?.length).toBeLessThan(loraAlone.length);
    const sampledAlone = await ask('soft@1.0.0', sampled);
    expect(softSampled).toBe(sampledAlone.choices[0]?.message.content);
    const [last] = await api.serving.requests({ limit: 1 });
    expect(last?.batchSize).toBe(1);
    await api.serving.stop({});
  });
});
