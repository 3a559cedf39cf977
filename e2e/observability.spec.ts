// Serving in browser mode with the real engine: a release of the demo model is served from the Observability section
// (loopback, a key made there), the official openai client calls it, and the section then charts the requests
// (latency, time to first token, throughput, errors, batch sizes), lists them and exports them as CSV.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { expect, test } from './fixtures';
import { apiOk as ok, openDemo } from './fixtures/api';
import { ObservabilityPage } from './pages/observability-page';

test('the Observability section charts the requests a client made to a served release', async ({
  app,
  page,
  server,
  request,
}) => {
  test.setTimeout(180_000);
  await openDemo(app, page, request, server);
  const [model] = await ok<{ id: string }[]>(request, server, 'models/list');
  const template = await ok<{ id: string }>(request, server, 'templates/save', {
    name: 'Served triage',
    source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
  });
  const spec = await ok<{ id: string }>(request, server, 'specializations/create', {
    name: 'Served triage',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 8 },
  });
  await ok(request, server, 'releases/create', { specializationId: spec.id, name: 'triage', version: '1.0.0' });

  await app.nav('observability').click();
  const obs = new ObservabilityPage(page);
  await expect(obs.id('empty-observability')).toBeVisible();
  await obs.start();
  await expect(obs.address).toContainText('http://127.0.0.1:');
  const baseURL = (await obs.address.textContent()) ?? '';
  await obs.createKey('e2e client');
  await expect(obs.newKey).toBeVisible();
  const apiKey = (await obs.newKey.textContent()) ?? '';

  const client = new OpenAI({ apiKey, baseURL, maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'I was charged twice this month.' }];
  const answer = await client.chat.completions.create({ model: 'triage@1.0.0', messages, temperature: 0 });
  expect(answer.usage?.completion_tokens).toBeGreaterThan(0);
  let streamed = '';
  for await (const part of await client.chat.completions.create({
    model: 'triage@1.0.0',
    messages,
    stream: true,
    temperature: 0,
  }))
    streamed += part.choices[0]?.delta.content ?? '';
  expect(streamed).toBe(answer.choices[0]?.message.content);
  await expect(client.chat.completions.create({ model: 'triage@9.0.0', messages })).rejects.toMatchObject({
    status: 404,
  });

  await expect(obs.id('observability-charts')).toBeVisible({ timeout: 30_000 });
  for (const chart of ['chart-latency', 'chart-ttft', 'chart-throughput', 'chart-errors'])
    await expect(obs.id(chart).locator('svg').first()).toBeVisible();
  await expect(obs.id('chart-latency')).not.toHaveAttribute('data-points', '0');
  await expect(obs.requestRows).toHaveCount(3);
  await expect(obs.id('serving-requests')).toContainText('model_not_found');
  await expect(obs.id('chart-batches').locator('svg').first()).toBeVisible();

  const csv = readFileSync((await (await obs.exportCsv()).path())!, 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toContain('ttftMs');
  expect(csv).toHaveLength(4);
});
