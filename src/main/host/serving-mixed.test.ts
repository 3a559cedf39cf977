// The serving endpoint batching requests of different releases of one base model (the official openai client, the
// composed app on the demo workspace): a release with a LoRA and one with a soft prompt; requests with different
// decoding that wait together share one engine run, and each answers what it answers in the app or alone.
import path from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { writeDemoAdapters } from '../testing/demo-adapters';
import { useDemoApp } from '../testing/demo-app';
import { triedText } from '../testing/try-specialization';

const ctx = useDemoApp('serving-mixed');
const TEMPLATE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
const MESSAGE = 'My invoice is wrong and I was charged twice.';
/** The text of a specialization run through specializations.try (the Playground's path). */
const tried = (specializationId: string, message: string): Promise<string> =>
  triedText(ctx.api, specializationId, { message });

describe('the serving endpoint across releases', () => {
  it('runs waiting requests of two releases with different decoding as one engine run, each as it runs alone', async () => {
    const { api, demo } = ctx;
    const modelId = demo.modelIds[0] as string;
    const folders = writeDemoAdapters(path.join(ctx.dir, 'adapters'));
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
