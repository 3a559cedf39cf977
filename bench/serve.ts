// bench/serve: a bounded load test of the serving endpoint on loopback. Opens the demo workspace in a temp folder
// (the built app: out/main), releases one specialization of the demo model, and for batching on and then off runs
// N concurrent clients (the official openai client) sending greedy chat completions for S seconds each; prints
// requests/s, generated tokens/s, p50/p95 latency and the mean engine batch size per mode. Stops by itself.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { composeApp } from '../src/main/compose';
import { localClient } from '../src/main/headless/local-client';
import { loadLine } from './lib/stats';

interface Args {
  clients: number;
  seconds: number;
  maxTokens: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { clients: 8, seconds: 60, maxTokens: 16 };
  for (const arg of argv) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'clients') a.clients = Number(value);
    else if (key === 'seconds') a.seconds = Number(value);
    else if (key === 'max-tokens') a.maxTokens = Number(value);
    else throw new Error(`unknown flag ${arg} (--clients=8 --seconds=60 --max-tokens=16)`);
  }
  return a;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const MESSAGES = [
  'My invoice is wrong and I was charged twice.',
  'The app crashes when I open settings.',
  'How do I change the email on my account?',
  'Your courier left my parcel in the rain.',
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const worker = resolve('out/main/engine-worker.js');
  if (!existsSync(worker)) throw new Error('Build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-bench-serve-'));
  const app = composeApp({
    shell: 'browser',
    version: 'bench',
    userDataDir: join(dir, 'user'),
    engineWorkerScript: worker,
    log: () => undefined,
  });
  try {
    const api = localClient(app.dispatcher);
    const demo = await api.demo.openDemoWorkspace({ path: join(dir, 'ws') });
    const template = await api.templates.save({
      name: 'Bench triage',
      source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
    });
    const spec = await api.specializations.create({
      name: 'Bench triage',
      modelId: demo.modelIds[0] as string,
      templateVersionId: template.id,
      decoding: { max_new_tokens: args.maxTokens },
    });
    await api.releases.create({ specializationId: spec.id, name: 'bench', version: '1.0.0' });
    const { secret } = await api.serving.createKey({ name: 'bench' });
    console.log(
      `${args.clients} clients x ${args.seconds} s per mode, ${args.maxTokens} tokens per answer; ${loadLine()}`,
    );
    for (const batching of [true, false]) {
      const status = await api.serving.start({
        port: 0,
        limits: { batching, maxConcurrent: 4, maxBatch: 8, maxQueue: 64 },
      });
      const client = new OpenAI({ apiKey: secret, baseURL: status.baseUrl ?? '', maxRetries: 0 });
      // One warm-up request loads the model and adapters before the clock starts.
      await client.chat.completions.create({ model: 'bench@1.0.0', messages: [{ role: 'user', content: 'warm up' }] });
      const since = new Date().toISOString();
      const started = performance.now();
      const deadline = started + args.seconds * 1000;
      const latencies: number[] = [];
      let tokens = 0;
      let errors = 0;
      await Promise.all(
        Array.from({ length: args.clients }, async (_, c) => {
          for (let i = 0; performance.now() < deadline; i++) {
            const t0 = performance.now();
            try {
              const answer = await client.chat.completions.create({
                model: 'bench@1.0.0',
                messages: [{ role: 'user', content: MESSAGES[(c + i) % MESSAGES.length]! }],
                temperature: 0,
                ignore_eos: true,
              } as OpenAI.ChatCompletionCreateParamsNonStreaming);
              latencies.push(performance.now() - t0);
              tokens += answer.usage?.completion_tokens ?? 0;
            } catch {
              errors++;
            }
          }
        }),
      );
      const wall = (performance.now() - started) / 1000;
      const records = (await api.serving.requests({ since, limit: 5000 })).filter((r) => r.batchSize !== null);
      const meanBatch = records.reduce((s, r) => s + (r.batchSize ?? 0), 0) / Math.max(1, records.length);
      console.log(
        `batching ${batching ? 'on ' : 'off'}: ${latencies.length} requests in ${wall.toFixed(1)} s = ` +
          `${(latencies.length / wall).toFixed(2)} req/s, ${(tokens / wall).toFixed(1)} generated tokens/s; ` +
          `latency p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms; ` +
          `mean batch ${meanBatch.toFixed(2)}; errors ${errors}`,
      );
      await api.serving.stop({});
    }
  } finally {
    await app.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
