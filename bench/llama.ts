// bench/llama: Dovetail beside llama.cpp (node-llama-cpp's prebuilt CPU build) on the same checkpoint, per weight
// format, in alternating rounds (each round runs both engines, starting with the other one than the round before), so
// drift in a shared machine's speed falls on both. Prints each figure's median and the median of per-round ratios.
//   npm run bench:setup && node bench/run.mjs bench/llama.ts [--formats=q8,q4,f32,f16 --rounds=5 --decode=32
//     --context=1000 --batch=8 --prefill=512 --threads=2 --model=DIR --shape=smollm2-135m|qwen2.5-0.5b --plain-malloc
//     --spin=on|off|both --busy=0|1|both]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCheckpoint, ModelRunner, type RunnerModel } from '../src/main/engine/models';
import { openWeightCache } from '../src/main/engine/models/weight-cache';
import { BENCH_SHAPES, ensureBenchCheckpoint, type BenchShape } from '../tools/bench/write-checkpoint';
import { writeGguf, type GgufType } from '../tools/bench/gguf';
import { decodeRate, prefillRate, promptIds } from './lib/engine-runs';
import { BenchSessions } from './lib/sessions';
import { loadLine, median } from './lib/stats';
import { mallocLine, rerunInWorkerEnv } from './lib/worker-env';

/** Dovetail's weights for each llama.cpp file type: f16 has no CPU kernel worth using in ORT, so Dovetail runs f32. */
const FORMATS = {
  f32: { gguf: 'f32', dovetail: 'stored' },
  f16: { gguf: 'f16', dovetail: 'stored' },
  q8: { gguf: 'q8_0', dovetail: 'q8' },
  q4: { gguf: 'q4_0', dovetail: 'q4' },
} as const satisfies Record<string, { gguf: GgufType; dovetail: 'stored' | 'q8' | 'q4' }>;
type Format = keyof typeof FORMATS;

interface Args {
  formats: Format[];
  rounds: number;
  decode: number;
  context: number;
  batch: number;
  prefill: number;
  threads: number;
  model: string | null;
  /** The random checkpoint's shape when no --model is given. */
  shape: BenchShape;
  plainMalloc: boolean;
  /** Dovetail's sessions spinning (engine.spinThreads on, the bench's default as in its recorded figures), not spinning (the app's default), or both side by side. */
  spin: 'on' | 'off' | 'both';
  /** Competing CPU-bound processes during the measurements: none, one, or both cases in every round. */
  busy: '0' | '1' | 'both';
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    formats: ['q8', 'q4', 'f32', 'f16'],
    rounds: 5,
    decode: 32,
    context: 1000,
    batch: 8,
    prefill: 512,
    threads: 2,
    model: null,
    shape: 'smollm2-135m',
    plainMalloc: false,
    spin: 'on',
    busy: '0',
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'formats' && value)
      a.formats = value
        .split(',')
        .map((f) => (f in FORMATS ? (f as Format) : fail(`unknown format ${f} (f32, f16, q8, q4)`)));
    else if (key === 'model' && value) a.model = value;
    else if (key === 'shape' && value && value in BENCH_SHAPES) a.shape = value as BenchShape;
    else if (key === 'plain-malloc') a.plainMalloc = true;
    else if (key === 'spin' && (value === 'on' || value === 'off' || value === 'both')) a.spin = value;
    else if (key === 'busy' && (value === '0' || value === '1' || value === 'both')) a.busy = value;
    else if (
      (key === 'rounds' ||
        key === 'decode' ||
        key === 'context' ||
        key === 'batch' ||
        key === 'prefill' ||
        key === 'threads') &&
      Number.isInteger(Number(value))
    )
      a[key] = Number(value);
    else
      fail(
        `unknown argument ${arg} (known: --formats=f32,f16,q8,q4 --rounds=N --decode=N --context=N --batch=N --prefill=N --threads=N --model=DIR --shape=${Object.keys(BENCH_SHAPES).join('|')} --plain-malloc --spin=on|off|both --busy=0|1|both)`,
      );
  }
  return a;
}

function fail(message: string): never {
  throw new Error(message);
}

/** What both engines are timed on; each returns tokens/s. */
interface Engine {
  decode(batch: number, context: number, tokens: number): Promise<number>;
  prefill(length: number): Promise<number>;
}

async function dovetail(
  model: RunnerModel,
  threads: number,
  spinning = true,
): Promise<{ engine: Engine; dispose: () => Promise<void> }> {
  const sessions = new BenchSessions({ threads, spinning }); // the app's session options, engine.spinThreads as given
  const runner = await ModelRunner.open(model, sessions.asCache(), undefined, { baseSession: true });
  return {
    engine: {
      decode: async (batch, context, tokens) => (await decodeRate(runner, batch, context, tokens)).tokPerS,
      prefill: (length) => prefillRate(runner, length),
    },
    dispose: () => sessions.dispose(),
  };
}

// node-llama-cpp's types, as far as this bench uses them (it lives in bench/llama-cpp/node_modules, not the app's).
interface LlamaSequence {
  evaluate(tokens: number[], options?: object): AsyncGenerator<number>;
  evaluateWithoutGeneratingNewTokens(tokens: number[]): Promise<void>;
  clearHistory(): Promise<void>;
}
interface LlamaContext {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}
interface LlamaModel {
  createContext(options: object): Promise<LlamaContext>;
  dispose(): Promise<void>;
}
interface Llama {
  loadModel(options: object): Promise<LlamaModel>;
  dispose(): Promise<void>;
}

async function loadLlamaCpp(): Promise<{ getLlama(options: object): Promise<Llama> }> {
  const require = createRequire(join(process.cwd(), 'bench/llama-cpp/package.json'));
  let entry: string;
  try {
    entry = require.resolve('node-llama-cpp');
  } catch {
    fail('node-llama-cpp is not installed for the bench: run `npm run bench:setup` first');
  }
  // Node's own import, not the bench's module runner: node-llama-cpp is plain ESM and needs no transform.
  const nativeImport = new Function('url', 'return import(url)') as (
    url: string,
  ) => Promise<{ getLlama(options: object): Promise<Llama> }>;
  return nativeImport(pathToFileURL(entry).href);
}

async function llamaCpp(
  llama: Llama,
  gguf: string,
  args: Args,
): Promise<{ engine: Engine; dispose: () => Promise<void> }> {
  const model = await llama.loadModel({ modelPath: gguf, gpuLayers: 0, useMmap: true });
  // One context with room for the batch's sequences and the long-context run; n_batch covers the prefill in one go.
  const context = await model.createContext({
    contextSize: Math.max(args.context + args.decode, args.prefill) * args.batch + 64,
    sequences: args.batch,
    batchSize: Math.max(args.prefill, args.context),
    threads: { ideal: args.threads, min: args.threads },
  });
  const sequences = Array.from({ length: args.batch }, () => context.getSequence());
  const generateOn = async (
    seq: LlamaSequence,
    prompt: number[],
    tokens: number,
    times: number[] | null,
  ): Promise<void> => {
    let n = 0;
    for await (const _token of seq.evaluate(prompt, { temperature: 0 })) {
      times?.push(performance.now());
      if (++n > tokens) break; // the first token comes from the prompt's evaluation
    }
  };
  return {
    engine: {
      decode: async (batch, contextLength, tokens) => {
        const times: number[][] = Array.from({ length: batch }, () => []);
        await Promise.all(
          sequences
            .slice(0, batch)
            .map((seq, b) =>
              generateOn(seq, promptIds(Math.max(contextLength, 1), 11 + b), tokens, times[b] as number[]),
            ),
        );
        await Promise.all(sequences.slice(0, batch).map((seq) => seq.clearHistory()));
        // Decode time: from the first token of the slowest row to the last token of any row (the prefill excluded).
        const start = Math.max(...times.map((t) => t[0] as number));
        const end = Math.max(...times.map((t) => t[t.length - 1] as number));
        const after = times.reduce((sum, t) => sum + t.filter((x) => x > start).length, 0);
        return (after * 1000) / (end - start);
      },
      prefill: async (length) => {
        const seq = sequences[0] as LlamaSequence;
        const t0 = performance.now();
        await seq.evaluateWithoutGeneratingNewTokens(promptIds(length, 7));
        const ms = performance.now() - t0;
        await seq.clearHistory();
        return (length * 1000) / ms;
      },
    },
    dispose: async () => {
      await context.dispose();
      await model.dispose();
    },
  };
}

/** n CPU-bound processes (a Node busy loop each) at the bench's own priority, killed by the caller. */
function startBusy(n: number): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: false }),
  );
}

/** The measured figures of one round, by name. */
type Figures = Record<string, number>;

async function measure(e: Engine, args: Args): Promise<Figures> {
  const out: Figures = {};
  out['decode b1'] = await e.decode(1, 1, args.decode);
  if (args.context > 0) out[`decode b1 ctx ${args.context}`] = await e.decode(1, args.context, args.decode / 2);
  if (args.batch > 1) out[`decode b${args.batch}`] = await e.decode(args.batch, 1, args.decode);
  if (args.prefill > 0) out[`prefill ${args.prefill}`] = await e.prefill(args.prefill);
  return out;
}

const args = parseArgs(process.argv.slice(2));
const rerun = args.plainMalloc ? null : rerunInWorkerEnv('bench/llama.ts', process.argv.slice(2));
if (rerun !== null) process.exit(rerun);
const { getLlama } = await loadLlamaCpp();
const folder =
  args.model ??
  ensureBenchCheckpoint(
    join(process.cwd(), args.shape === 'smollm2-135m' ? 'bench/.cache/smollm2-135m-f32' : `bench/.cache/${args.shape}`),
    process.cwd(),
    console.log,
    args.shape,
  );
const checkpoint = await loadCheckpoint(folder);
const cache = join(process.cwd(), 'bench/.cache');
mkdirSync(join(cache, 'gguf'), { recursive: true });
console.log(
  `bench/llama: ${folder}, ${args.threads} threads, ${args.rounds} rounds per format; ${mallocLine()}; ${loadLine()}`,
);
const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error', maxThreads: args.threads });
for (const format of args.formats) {
  const spec = FORMATS[format];
  const gguf = join(cache, 'gguf', `${checkpoint.contentHash.slice(0, 16)}-${spec.gguf}.gguf`);
  if (!existsSync(gguf)) {
    console.log(`writing ${gguf} ...`);
    await writeGguf(folder, spec.gguf, `${gguf}.partial`, console.log);
    const { renameSync } = await import('node:fs');
    renameSync(`${gguf}.partial`, gguf);
  }
  const model =
    spec.dovetail === 'stored' ? checkpoint : await openWeightCache(checkpoint, spec.dovetail, join(cache, 'weights'));
  // Dovetail is 'dovetail' at the --spin setting; with --spin=both, 'dovetail' spins and 'dovetail-nospin' does not.
  const engines: Record<string, { engine: Engine; dispose: () => Promise<void> }> = {
    dovetail: await dovetail(model, args.threads, args.spin !== 'off'),
    ...(args.spin === 'both' ? { 'dovetail-nospin': await dovetail(model, args.threads, false) } : {}),
    llama: await llamaCpp(llama, gguf, args),
  };
  const names = Object.keys(engines);
  // Warm-up: a short decode and one prefill of the measured length on each (first runs grow arenas and caches).
  for (const e of Object.values(engines)) {
    await e.engine.decode(1, 1, 4);
    if (args.prefill > 0) await e.engine.prefill(args.prefill);
  }
  // Per round and load case (busy: competing CPU-bound processes), every engine's figures: engine -> figure -> tok/s.
  const cases = args.busy === 'both' ? [0, 1] : [Number(args.busy)];
  const rounds: Map<number, Record<string, Figures>[]> = new Map(cases.map((b) => [b, []]));
  for (let r = 0; r < args.rounds; r++) {
    for (const busy of r % 2 === 0 ? cases : [...cases].reverse()) {
      const order = names.map((_, i) => names[(i + r) % names.length] as string);
      const round: Record<string, Figures> = {};
      const competitors = startBusy(busy);
      try {
        for (const name of order) round[name] = await measure((engines[name] as { engine: Engine }).engine, args);
      } finally {
        for (const c of competitors) c.kill();
      }
      rounds.get(busy)?.push(round);
      // Each round as it ends, so a run stopped early still has its figures.
      const figures = Object.keys(round['dovetail'] ?? {}).map(
        (f) => `${f} ${names.map((n) => (round[n]?.[f] as number).toFixed(1)).join('/')}`,
      );
      console.log(
        `  ${format} round ${r + 1}${busy ? ', 1 busy process' : ''} (${names.join('/')} tok/s): ${figures.join(', ')}; ${loadLine()}`,
      );
    }
  }
  for (const busy of cases) {
    const rs = rounds.get(busy) ?? [];
    console.log(
      `\n${format}${busy ? ' with 1 busy process' : ''}: Dovetail ${spec.dovetail === 'stored' ? checkpoint.dtype : spec.dovetail} vs llama.cpp ${spec.gguf} (${loadLine()})`,
    );
    for (const figure of Object.keys(rs[0]?.['dovetail'] ?? {})) {
      const l = rs.map((x) => x['llama']?.[figure] as number);
      for (const name of names.filter((n) => n !== 'llama')) {
        const d = rs.map((x) => x[name]?.[figure] as number);
        const ratios = d.map((v, i) => v / (l[i] as number));
        console.log(
          `  ${`${figure}${name === 'dovetail' ? '' : ` (${name})`}`.padEnd(28)} Dovetail ${median(d).toFixed(1).padStart(7)} tok/s  llama.cpp ${median(l).toFixed(1).padStart(7)} tok/s  ratio ${median(ratios).toFixed(2)} [${ratios.map((x) => x.toFixed(2)).join(' ')}]`,
        );
      }
    }
  }
  if (cases.length === 2) {
    // Degradation under one competing process: each engine's busy figure over its idle one, paired by round.
    console.log(`\n${format}: busy / idle, median of per-round ratios (1.00 = no slowdown)`);
    const idle = rounds.get(0) ?? [];
    const busy = rounds.get(1) ?? [];
    for (const figure of Object.keys(idle[0]?.['dovetail'] ?? {}))
      for (const name of names) {
        const ratios = busy.map((b, i) => (b[name]?.[figure] as number) / (idle[i]?.[name]?.[figure] as number));
        console.log(
          `  ${figure.padEnd(20)} ${name.padEnd(16)} ${median(ratios).toFixed(2)} [${ratios.map((x) => x.toFixed(2)).join(' ')}]`,
        );
      }
  }
  for (const e of Object.values(engines)) await e.dispose();
}
await llama.dispose();
console.log(`\nend: ${loadLine()}`);
