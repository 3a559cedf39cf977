// bench/responsiveness: how long a cheap API call waits while Dovetail imports, trains and runs an ablation. Starts
// the built browser-mode server (out/main/web.js) as a user would, calls it over HTTP with a loop of cheap calls
// (workspace.current) and, like the screens do, the heavier reads of each phase; prints p50/p99/max per phase.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadLine } from './lib/stats';

interface Args {
  rows: number;
  importRows: number;
  steps: number;
  intervalMs: number;
  phases: string[];
  server: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    rows: 200,
    importRows: 50_000,
    steps: 16,
    intervalMs: 20,
    phases: ['idle', 'import', 'training', 'ablation'],
    server: 'out/main/web.js',
  };
  for (const arg of argv) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'rows') a.rows = Number(value);
    else if (key === 'import-rows') a.importRows = Number(value);
    else if (key === 'steps') a.steps = Number(value);
    else if (key === 'interval') a.intervalMs = Number(value);
    else if (key === 'phases') a.phases = value.split(',');
    else if (key === 'server') a.server = value;
    else throw new Error(`unknown flag ${arg}`);
  }
  return a;
}

interface Server {
  origin: string;
  token: string;
  child: ChildProcess;
}

async function startServer(server: string, userData: string): Promise<Server> {
  const script = resolve(server);
  if (!existsSync(script)) throw new Error('Build first: npm run build');
  const child = spawn(process.execPath, [script, '--port', '0', '--user-data', userData, '--no-open'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  return new Promise((done, fail) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(log);
      if (m) done({ origin: m[1] as string, token: m[2] as string, child });
    });
    child.once('exit', (code) => fail(new Error(`web.js exited (${code}) before listening:\n${log}`)));
  });
}

type Call = <T = unknown>(name: string, arg?: unknown) => Promise<T>;

/** Connections closed under a request (keep-alive races, a busy machine's server timeouts): the call is sent again. */
let resets = 0;

function caller(s: Server): Call {
  const post = (name: string, arg: unknown): Promise<Response> => {
    const [service, method] = name.split('.');
    return fetch(`${s.origin}/api/call/${service}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dovetail-token': s.token },
      body: JSON.stringify(arg),
    });
  };
  return async <T>(name: string, arg: unknown = {}): Promise<T> => {
    const response = await post(name, arg).catch((error: unknown) => {
      if (!['ECONNRESET', 'UND_ERR_SOCKET'].includes((error as { cause?: { code?: string } }).cause?.code ?? ''))
        throw error;
      resets++;
      return post(name, arg);
    });
    const body = (await response.json()) as { ok: boolean; result?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message ?? response.status}`);
    return body.result as T;
  };
}

/** The cheap-call loop: one call at a time, `intervalMs` apart, each call's round trip recorded. */
class Probe {
  private samples: number[] = [];
  private running = true;
  private readonly loop: Promise<unknown>;

  constructor(call: Call, intervalMs: number) {
    const loop = (async () => {
      while (this.running) {
        const t0 = performance.now();
        await call('workspace.current');
        this.samples.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
    // A failed call ends the loop; stop() reports it (and the server is stopped either way).
    this.loop = loop.catch((error: unknown) => error);
  }

  take(): number[] {
    const out = this.samples;
    this.samples = [];
    return out;
  }

  async stop(): Promise<void> {
    this.running = false;
    const error = await this.loop;
    if (error !== undefined) throw error;
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function report(phase: string, samples: readonly number[], seconds: number): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(7);
  return `${phase.padEnd(10)} ${String(s.length).padStart(6)} calls in ${seconds.toFixed(0).padStart(4)} s   p50 ${f(quantile(s, 0.5))} ms   p99 ${f(quantile(s, 0.99))} ms   max ${f(s.at(-1) ?? NaN)} ms   ${loadLine()}`;
}

async function until<T>(what: () => Promise<T>, done: (v: T) => boolean, everyMs: number): Promise<T> {
  for (;;) {
    const v = await what();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Job {
  id: string;
  state: string;
  adapterId: string | null;
  error: { message: string } | null;
}
interface Exp {
  id: string;
  state: string;
  progress: { done: number; total: number } | null;
  error: { message: string } | null;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const root = await mkdtemp(join(tmpdir(), 'dovetail-probe-'));
  const server = await startServer(a.server, join(root, 'user-data'));
  console.log(`Server: ${a.server}`);
  const call = caller(server);
  const lines: string[] = [];
  const print = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    console.log(`Opening the demo workspace in ${root} ...`);
    const demo = await call<{ modelIds: string[] }>('demo.openDemoWorkspace', { path: join(root, 'demo') });
    const modelId = demo.modelIds[0] as string;
    const datasets = await call<{ name: string; versions: { id: string }[] }[]>('datasets.list');
    const versionId = datasets.find((d) => d.name === 'Support triage')?.versions[0]?.id as string;
    const template = (await call<{ name: string; latest: { id: string; source: string } }[]>('templates.list')).find(
      (t) => t.name === 'Triage as JSON',
    )?.latest;
    if (!template) throw new Error('the demo template is missing');

    const probe = new Probe(call, a.intervalMs);
    const phase = async (name: string, body: () => Promise<void>) => {
      if (!a.phases.includes(name)) return;
      probe.take();
      const t0 = performance.now();
      await body();
      print(report(name, probe.take(), (performance.now() - t0) / 1000));
    };

    await phase('idle', () => new Promise((r) => setTimeout(r, 10_000)));

    await phase('import', async () => {
      // The demo training rows repeated (with fresh ids) to --import-rows rows: a realistic large JSONL.
      const source = (await readFile('resources/datasets/support-triage/train.jsonl', 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const out: string[] = [];
      for (let i = 0; i < a.importRows; i++)
        out.push(JSON.stringify({ ...source[i % source.length], id: `probe-${i}` }));
      const file = join(root, 'import.jsonl');
      await writeFile(file, `${out.join('\n')}\n`);
      const { columns } = await call<{ columns: { name: string }[] }>('datasets.inspectFile', { path: file });
      const roles: Record<string, string> = { id: 'key', message: 'input', output: 'reference', category: 'label' };
      await call('datasets.import', {
        newName: 'Probe import',
        files: [{ path: file }],
        mapping: columns.map((c) => ({ source: c.name, name: c.name, role: roles[c.name] ?? 'none' })),
      });
    });

    let adapterId: string | null = null;
    await phase('training', async () => {
      const job = await call<Job>('adapters.startTraining', {
        modelId,
        name: 'Probe adapter',
        data: { kind: 'dataset', datasetVersionId: versionId },
        template: {
          inputField: 'message',
          outputField: 'output',
          prompt: template.source,
          templateVersionId: template.id,
          validationRows: 32,
        },
        method: 'both',
        lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] },
        softPrompt: { n: 8, init: 'text', initText: 'Triage this support message as JSON.' },
        hyper: {
          epochs: 1,
          batchSize: 8,
          lr: 2e-3,
          warmupSteps: 2,
          schedule: 'cosine',
          evalEvery: 8,
          checkpointEvery: 8,
          seed: 0,
          maxSteps: a.steps,
        },
      });
      // The Adapters screen reads the job list as progress arrives.
      const ended = await until(
        () => call<Job[]>('adapters.jobs'),
        (jobs) => ['completed', 'failed', 'cancelled'].includes(jobs.find((j) => j.id === job.id)?.state ?? ''),
        1000,
      );
      const final = ended.find((j) => j.id === job.id) as Job;
      if (final.state !== 'completed') throw new Error(`training ${final.state}: ${final.error?.message ?? ''}`);
      adapterId = final.adapterId;
    });

    await phase('ablation', async () => {
      if (adapterId === null) {
        const done = (await call<Job[]>('adapters.jobs')).find((j) => j.state === 'completed');
        adapterId = done?.adapterId ?? null;
      }
      if (adapterId === null) throw new Error('the ablation phase needs the training phase');
      const full = await call<{ id: string }>('specializations.create', {
        name: 'Probe specialization',
        modelId,
        loraAdapterId: adapterId,
        softPromptAdapterId: adapterId,
        templateVersionId: template.id,
        decoding: { do_sample: false, max_new_tokens: 48, seed: 0 },
      });
      const experiment = await call<Exp>('experiments.create', {
        name: 'Probe ablation',
        datasetVersionId: versionId,
        split: 'test',
        limit: a.rows,
        design: { kind: 'ablation', specializationId: full.id },
        seed: 0,
        batchSize: 16,
        metrics: [
          { kind: 'classification', field: 'category' },
          { kind: 'json_valid' },
          { kind: 'json_fields', fields: ['category', 'priority'] },
          { kind: 'classification', field: 'priority' },
        ],
      });
      await call('experiments.run', { id: experiment.id });
      // The experiment screen: its state as progress arrives, results and the first outputs page every 3 s.
      let lastRefresh = 0;
      const ended = await until(
        async () => {
          const e = await call<Exp>('experiments.get', { id: experiment.id });
          if (performance.now() - lastRefresh > 3000) {
            lastRefresh = performance.now();
            await call('experiments.results', { id: experiment.id });
            await call('experiments.outputs', { id: experiment.id, offset: 0, limit: 25, filter: 'all' });
          }
          return e;
        },
        (e) => e.state !== 'running',
        500,
      );
      if (ended.state !== 'completed') throw new Error(`ablation ${ended.state}: ${ended.error?.message ?? ''}`);
      await call('experiments.results', { id: experiment.id });
    });
    await probe.stop();
    console.log(
      `\nCheap-call latency (workspace.current over HTTP, one at a time, ${a.intervalMs} ms apart; ${resets} calls resent after the connection closed under them):`,
    );
    for (const line of lines) console.log(line);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    await rm(root, { recursive: true, force: true });
  }
}

await main();
