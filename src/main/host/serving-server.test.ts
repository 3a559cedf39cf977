// The serving endpoint driven by the official openai client over loopback, on the composed app with the demo
// workspace (real services, render worker, engine and SQLite): two releases of the demo model and a channel listed;
// chat and completions, streamed and not, agree with each other and with the same specialization run in the app
// (greedy); a wrong key, an unknown model, an oversized body and a full queue each get OpenAI's error shape; waiting
// requests of one release share an engine run; every request is recorded and counted in /metrics; text is logged
// only when turned on.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../testing/demo-app';
import { triedText } from '../testing/try-specialization';

const ctx = useDemoApp('serving');
const TEMPLATE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';
const MESSAGE = 'My invoice is wrong and I was charged twice.';

interface Setup {
  client: OpenAI;
  secret: string;
  baseUrl: string;
  specializationId: string;
}

let setup: Setup | undefined;
let releasesMade: Promise<void> | undefined;

/** Two releases (1.0.0 and 1.1.0) of the demo model, `production` at 1.0.0, the endpoint started with a key. */
async function served(limits: Record<string, number | boolean> = {}): Promise<Setup> {
  const { api, demo } = ctx;
  releasesMade ??= (async () => {
    const modelId = demo.modelIds[0] as string;
    const template = await api.templates.save({ name: 'Serve triage', source: TEMPLATE });
    const one = await api.specializations.create({
      name: 'Serve one',
      modelId,
      templateVersionId: template.id,
      decoding: { max_new_tokens: 12 },
    });
    const two = await api.specializations.create({
      name: 'Serve two',
      modelId,
      templateVersionId: template.id,
      decoding: { max_new_tokens: 8 },
    });
    const first = await api.releases.create({ specializationId: one.id, name: 'triage', version: '1.0.0' });
    await api.releases.create({ specializationId: two.id, name: 'triage', version: '1.1.0' });
    const channel =
      (await api.releases.channels({})).find((c) => c.name === 'production') ??
      (await api.releases.createChannel({ name: 'production' }));
    await api.releases.promote({ channelId: channel.id, releaseId: first.id });
    const { secret } = await api.serving.createKey({ name: 'tests' });
    setup = { client: undefined as unknown as OpenAI, secret, baseUrl: '', specializationId: one.id };
  })();
  await releasesMade;
  if (!setup) throw new Error('no setup');
  const status = await api.serving.start({ port: 0, limits });
  setup.baseUrl = status.baseUrl ?? '';
  setup.client = new OpenAI({ apiKey: setup.secret, baseURL: setup.baseUrl, maxRetries: 0 });
  return setup;
}

/** The text of a specialization run through specializations.try (the Playground's path). */
const tried = (specializationId: string, message: string): Promise<string> =>
  triedText(ctx.api, specializationId, { message });

async function errorOf(call: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call();
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('the serving endpoint', () => {
  it('lists releases and channels, and answers chat and completions streamed and not, as the app generates', async () => {
    const { client, specializationId } = await served();
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['triage@1.0.0', 'triage@1.1.0', 'triage@production']);

    const chat = await client.chat.completions.create({
      model: 'triage@1.0.0',
      messages: [{ role: 'user', content: MESSAGE }],
      temperature: 0,
    });
    const text = chat.choices[0]?.message.content ?? '';
    expect(text).toBe(await tried(specializationId, MESSAGE));
    expect(chat.object).toBe('chat.completion');
    expect(chat.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chat.usage?.completion_tokens).toBeLessThanOrEqual(12);
    expect(chat.usage?.total_tokens).toBe((chat.usage?.prompt_tokens ?? 0) + (chat.usage?.completion_tokens ?? 0));

    const stream = await client.chat.completions.create({
      model: 'triage@production',
      messages: [{ role: 'user', content: MESSAGE }],
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const part of stream) {
      streamed += part.choices[0]?.delta.content ?? '';
      finish = part.choices[0]?.finish_reason ?? finish;
      usage = part.usage ?? usage;
    }
    expect(streamed).toBe(text);
    expect(finish).toBe(chat.choices[0]?.finish_reason);
    expect(usage?.completion_tokens).toBe(chat.usage?.completion_tokens);

    const prompt = `${TEMPLATE.replace('{{ message }}', MESSAGE)}`;
    const completion = await client.completions.create({ model: 'triage@1.1.0', prompt, temperature: 0 });
    expect(completion.object).toBe('text_completion');
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(8);
    // A raw prompt equal to the rendered template generates what the chat request generated (1.1.0 stops sooner).
    expect(text.startsWith(completion.choices[0]?.text ?? '?')).toBe(true);
    let streamedCompletion = '';
    for await (const part of await client.completions.create({
      model: 'triage@1.1.0',
      prompt,
      temperature: 0,
      stream: true,
    }))
      streamedCompletion += part.choices[0]?.text ?? '';
    expect(streamedCompletion).toBe(completion.choices[0]?.text);
  });

  it("gives OpenAI's error shape for a wrong key, an unknown model, an oversized body and a bad field", async () => {
    const { baseUrl, client } = await served({ maxBodyBytes: 4096 });
    const wrong = new OpenAI({ apiKey: 'sk-dt-wrong', baseURL: baseUrl, maxRetries: 0 });
    const unauthorized = await errorOf(() => wrong.models.list());
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });

    const unknown = await errorOf(() =>
      client.chat.completions.create({ model: 'triage@9.9.9', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.error).toMatchObject({ code: 'model_not_found', param: 'model' });

    const big = await errorOf(() =>
      client.chat.completions.create({
        model: 'triage@1.0.0',
        messages: [{ role: 'user', content: 'x'.repeat(9000) }],
      }),
    );
    expect(big.status).toBe(413);
    expect(big.error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });

    const n = await errorOf(() =>
      client.chat.completions.create({ model: 'triage@1.0.0', messages: [{ role: 'user', content: 'x' }], n: 2 }),
    );
    expect(n.status).toBe(400);
    expect(n.error).toMatchObject({ type: 'invalid_request_error', param: 'n' });

    const tooMany = await errorOf(() =>
      client.completions.create({ model: 'triage@1.0.0', prompt: 'x', max_tokens: 100_000 }),
    );
    expect(tooMany.error).toMatchObject({ param: 'max_tokens' });
    const classes = (await ctx.api.serving.requests({ limit: 50 })).map((r) => r.errorClass);
    for (const c of ['invalid_api_key', 'model_not_found', 'request_too_large']) expect(classes).toContain(c);
  });

  it('answers 429 when the queue is full, batches waiting requests of one release, and records every request', async () => {
    const { client, baseUrl, secret } = await served({ maxConcurrent: 1, maxQueue: 3 });
    const long = (signal: AbortSignal) =>
      client.completions.create(
        { model: 'triage@1.0.0', prompt: 'Ticket:', max_tokens: 480, ignore_eos: true, stream: true } as never,
        { signal },
      ) as unknown as Promise<AsyncIterable<OpenAI.Completion>>;
    // A long run holds the only engine run; requests wait, and those of one release share the next run.
    const stop = new AbortController();
    const first = (await long(stop.signal))[Symbol.asyncIterator]();
    await first.next(); // generating now
    const waiting = [1, 2, 3].map(() =>
      client.chat.completions.create({
        model: 'triage@1.0.0',
        messages: [{ role: 'user', content: MESSAGE }],
        temperature: 0,
      }),
    );
    while ((await ctx.api.serving.status({})).queuedRequests < 3) await new Promise((r) => setTimeout(r, 20));
    const full = await errorOf(() =>
      client.chat.completions.create({ model: 'triage@1.0.0', messages: [{ role: 'user', content: MESSAGE }] }),
    );
    expect(full.status).toBe(429);
    expect(full.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null });
    stop.abort(); // the long run ends with its only client; the three waiting run together
    const answers = await Promise.all(waiting);
    const texts = new Set(answers.map((a) => a.choices[0]?.message.content));
    expect(texts.size).toBe(1);

    const records = await ctx.api.serving.requests({ limit: 50 });
    const batched = records.filter((r) => r.outcome === 'ok' && r.batchSize === 3);
    expect(batched).toHaveLength(3);
    for (const r of batched) {
      expect(r.releaseId).not.toBeNull();
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.queueMs).toBeGreaterThan(0);
      expect(r.prompt).toBeNull(); // text is kept only when the log settings say so
    }
    expect(records.map((r) => r.errorClass)).toContain('rate_limit_exceeded');
    expect(records.some((r) => r.outcome === 'cancelled')).toBe(true);

    const metrics = await fetch(baseUrl.replace(/\/v1$/, '/metrics'), {
      headers: { authorization: `Bearer ${secret}` },
    });
    const text = await metrics.text();
    expect(text).toMatch(/dovetail_requests_total\{model="triage@1.0.0",outcome="ok",error_class=""\} \d+/);
    expect(text).toContain('dovetail_batch_requests_total{size="3"} 3');
    const summary = await ctx.api.serving.summary({});
    expect(summary.batchSizes).toContainEqual({ size: 3, requests: 3 });
    expect(summary.engineMemoryBytes).toBeGreaterThan(0);
    const csv = await ctx.api.serving.exportCsv({});
    expect(csv.text.split('\n')[0]).toContain('ttftMs');

    // The channel serving triage@1.0.0 shows what the endpoint measured for it against its budget.
    const production = (await ctx.api.releases.channels({})).find((c) => c.name === 'production')!;
    await ctx.api.releases.setGates({ channelId: production.id, gates: { budget: { p95LatencyMs: 600_000 } } });
    const budget = await ctx.api.releases.budget({ channelId: production.id });
    const all = await ctx.api.serving.requests({ limit: 1000 });
    const answered = all.filter((r) => r.releaseId === production.releaseId && r.outcome === 'ok');
    expect(answered.length).toBeGreaterThan(0);
    expect(budget.serving?.figures.n).toBe(answered.length);
    expect(budget.serving?.checks.map((c) => c.met)).toEqual([true]);
  });

  it('refuses a revoked key, keeps the new key out of the audit log, and binds off loopback only when told', async () => {
    const { api } = ctx;
    const { client, baseUrl } = await served();
    const made = await api.serving.createKey({ name: 'to revoke' });
    const audit = await api.audit.list({ filter: { method: 'serving.createKey' } });
    expect(audit.entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.entries)).not.toContain(made.secret);
    const revocable = new OpenAI({ apiKey: made.secret, baseURL: baseUrl, maxRetries: 0 });
    expect((await revocable.models.list()).data.length).toBe(3);
    await api.serving.revokeKey({ id: made.key.id });
    expect((await errorOf(() => revocable.models.list())).status).toBe(401);
    expect((await client.models.list()).data.length).toBe(3);
    await expect(api.serving.start({ host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'serving-network' });
    const stopped = await api.serving.stop({});
    expect(stopped.running).toBe(false);
  });
  it('keeps prompt and completion text only while the log settings say so, and forgets it when turned off', async () => {
    const { api } = ctx;
    const { client } = await served();
    await api.serving.setLogSettings({ recordText: true, retentionDays: 7 });
    const answer = await client.chat.completions.create({
      model: 'triage@1.0.0',
      messages: [{ role: 'user', content: 'Please keep this text.' }],
      temperature: 0,
    });
    const [kept] = await api.serving.requests({ limit: 1 });
    expect(kept?.prompt).toContain('Message: Please keep this text.');
    expect(kept?.completion).toBe(answer.choices[0]?.message.content);
    expect(await api.serving.setLogSettings({ recordText: false, retentionDays: 7 })).toEqual({
      recordText: false,
      retentionDays: 7,
    });
    const [forgotten] = await api.serving.requests({ limit: 1 });
    expect(forgotten?.id).toBe(kept?.id);
    expect(forgotten?.prompt).toBeNull();
    expect(forgotten?.completion).toBeNull();
  });
});
