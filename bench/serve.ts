// bench/serve: a bounded load test of the serving endpoint on loopback. Opens the demo workspace in a temp folder
// (the built app: out/main), releases specializations of the demo model, and runs two loads, each with batching on
// and then off: N concurrent clients (the official openai client) on one release (greedy), and N clients across two
// releases with different adapters (a LoRA, a soft prompt) and decoding (greedy; seeded sampling), for S seconds per
// mode; prints requests/s, generated tokens/s, p50/p95 latency and the mean engine batch size, on and off side by side.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { composeApp } from '../src/main/compose';
import { localClient } from '../src/main/headless/local-client';
import { writeDemoAdapters } from '../src/main/testing/demo-adapters';
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

/** A client's request: which release, and its decoding on top of the release's. */
interface Ask {
  model: string;
  decoding: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>;
}

/** One release, greedy; or two releases (a LoRA, a soft prompt), the second sampled with a seed per request. */
const LOADS: { name: string; ask: (client: number, i: number) => Ask }[] = [
  { name: 'one release', ask: () => ({ model: 'bench@1.0.0', decoding: { temperature: 0 } }) },
  {
    name: 'two releases',
    ask: (c, i) =>
      c % 2 === 0
        ? { model: 'lora@1.0.0', decoding: { temperature: 0 } }
        : { model: 'soft@1.0.0', decoding: { temperature: 0.8, top_p: 0.95, seed: c * 1000 + i } },
  },
];

interface Figures {
  requests: number;
  perSecond: number;
  tokensPerSecond: number;
  p50: number;
  p95: number;
  meanBatch: number;
  errors: number;
}

type Api = ReturnType<typeof localClient>;

async function releases(api: Api, dir: string, maxTokens: number): Promise<void> {
  const demo = await api.demo.openDemoWorkspace({ path: join(dir, 'ws') });
  const modelId = demo.modelIds[0] as string;
  const template = await api.templates.save({
    name: 'Bench triage',
    source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
  });
  const folders = writeDemoAdapters(join(dir, 'adapters'));
  const lora = await api.adapters.importPeft({ folder: folders.lora, modelId, name: 'Bench LoRA' });
  const soft = await api.adapters.importPeft({ folder: folders.soft, modelId, name: 'Bench soft prompt' });
  const parts = [
    { name: 'bench', parts: {} },
    { name: 'lora', parts: { loraAdapterId: lora.id } },
    { name: 'soft', parts: { softPromptAdapterId: soft.id } },
  ];
  for (const { name, parts: adapters } of parts) {
    const spec = await api.specializations.create({
      name: `Bench ${name}`,
      modelId,
      templateVersionId: template.id,
      decoding: { max_new_tokens: maxTokens },
      ...adapters,
    });
    await api.releases.create({ specializationId: spec.id, name, version: '1.0.0' });
  }
}

async function measure(api: Api, client: OpenAI, args: Args, ask: (c: number, i: number) => Ask): Promise<Figures> {
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
        const { model, decoding } = ask(c, i);
        try {
          const answer = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: MESSAGES[(c + i) % MESSAGES.length]! }],
            ignore_eos: true,
            ...decoding,
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
  return {
    requests: latencies.length,
    perSecond: latencies.length / wall,
    tokensPerSecond: tokens / wall,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    meanBatch: records.reduce((s, r) => s + (r.batchSize ?? 0), 0) / Math.max(1, records.length),
    errors,
  };
}

/** One line per load: each figure with batching on, then off. */
function sideBySide(name: string, on: Figures, off: Figures): string {
  const pair = (f: (x: Figures) => number, digits: number) => `${f(on).toFixed(digits)} | ${f(off).toFixed(digits)}`;
  return (
    `${name.padEnd(13)} on | off: req/s ${pair((x) => x.perSecond, 2)}; tokens/s ${pair((x) => x.tokensPerSecond, 1)}; ` +
    `p50 ms ${pair((x) => x.p50, 0)}; p95 ms ${pair((x) => x.p95, 0)}; mean batch ${pair((x) => x.meanBatch, 2)}; ` +
    `requests ${pair((x) => x.requests, 0)}; errors ${pair((x) => x.errors, 0)}`
  );
}

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
    await releases(api, dir, args.maxTokens);
    const { secret } = await api.serving.createKey({ name: 'bench' });
    console.log(
      `${args.clients} clients x ${args.seconds} s per mode, ${args.maxTokens} tokens per answer; ${loadLine()}`,
    );
    for (const load of LOADS) {
      const figures: Figures[] = [];
      for (const batching of [true, false]) {
        const status = await api.serving.start({
          port: 0,
          limits: { batching, maxConcurrent: 4, maxBatch: 8, maxQueue: 64 },
        });
        const client = new OpenAI({ apiKey: secret, baseURL: status.baseUrl ?? '', maxRetries: 0 });
        // Warm-up requests load the model, the adapters and the sessions (the per-row one too) before the clock starts.
        await Promise.all(
          [0, 1].map((c) => {
            const { model, decoding } = load.ask(c, 0);
            return client.chat.completions.create({
              model,
              messages: [{ role: 'user', content: 'warm up' }],
              ...decoding,
            });
          }),
        );
        figures.push(await measure(api, client, args, load.ask));
        await api.serving.stop({});
      }
      console.log(sideBySide(load.name, figures[0]!, figures[1]!));
    }
    console.log(`${loadLine()} at the end`);
  } finally {
    await app.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
