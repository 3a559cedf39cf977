// bench/decode-ab: two or more decode setups side by side, every session open at once and measured in alternating
// rounds, each round starting one setup further on (the machine's drift falls on all alike). Figures: median tok/s
// (all rounds shown), CPU ms per token, and the median of each setup's per-round ratio to the first.
//   node bench/run.mjs bench/decode-ab.ts --setups=decomposed,gqa --reps=10 [--batch=1 --prompt=1 --context=1000]
//     [--prefill=512 --spin=on|off --model=DIR --plain-malloc]   (a setup is attention[:optimization][@weights], e.g.
//     decomposed:basic or decomposed@q4; weights: stored, q8, q4 (int8 prefill), q8n / q4n (MatMulNBits prefill too),
//     q8c / q4c (int8 prefill on one activation scale per call, not per position), or q8a0 / q4a0 for MatMulNBits at
//     accuracy level 0 (fp32 activations); default model: the 135M shape)
import { join } from 'node:path';
import { ensureBenchCheckpoint } from '../tools/bench/write-checkpoint';
import {
  loadCheckpoint,
  ModelRunner,
  type AttentionBuilder,
  type Checkpoint,
  type RunnerModel,
} from '../src/main/engine/models';
import { openWeightCache } from '../src/main/engine/models/weight-cache';
import { attentionNamed } from './lib/attention-variants';
import { decodeRate, prefillRate } from './lib/engine-runs';
import { BenchSessions, type BenchSessionOptions } from './lib/sessions';
import { loadLine, median } from './lib/stats';
import { mallocLine, rerunInWorkerEnv } from './lib/worker-env';

interface Args {
  setups: string[];
  reps: number;
  batch: number;
  prompt: number;
  decode: number;
  /** 0 = no long-context figure. */
  context: number;
  /** Prompt length of the prefill figure; 0 = none. */
  prefill: number;
  /** Sessions' idle threads spin (engine.spinThreads; the app's default is off). */
  spin: boolean;
  model: string | null;
  /** Run in this process's environment, not the engine worker's (host/worker-env.ts). */
  plainMalloc: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    setups: ['decomposed', 'gqa'],
    reps: 10,
    batch: 1,
    prompt: 1,
    decode: 32,
    context: 0,
    prefill: 0,
    spin: true,
    model: null,
    plainMalloc: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'setups' && value) a.setups = value.split(',');
    else if (key === 'model' && value) a.model = value;
    else if (key === 'plain-malloc') a.plainMalloc = true;
    else if (key === 'spin' && (value === 'on' || value === 'off')) a.spin = value === 'on';
    else if (
      (key === 'reps' ||
        key === 'batch' ||
        key === 'prompt' ||
        key === 'decode' ||
        key === 'context' ||
        key === 'prefill') &&
      Number.isInteger(Number(value))
    )
      a[key] = Number(value);
    else
      throw new Error(
        `unknown argument ${arg} (known: --setups=decomposed,gqa[:basic] --reps=N --batch=N --prompt=N --decode=N --context=N --prefill=N --spin=on|off --model=DIR --plain-malloc)`,
      );
  }
  return a;
}

/**
 * The checkpoint at a weight format: 'stored', or q8 / q4 (with 'a0': fp32 activations; with 'n': no int8 prefill;
 * with 'c': the int8 prefill's activations on one scale per call) from bench/.cache/weights.
 */
async function withWeights(checkpoint: Checkpoint, weights: string): Promise<RunnerModel> {
  if (weights === 'stored') return checkpoint;
  const match = /^(q8|q4)(a0|n|c)?$/.exec(weights);
  if (!match) throw new Error(`unknown weights ${weights} (stored, q8, q4, q8n, q4n, q8c, q4c, q8a0, q4a0)`);
  const format = match[1] as 'q8' | 'q4';
  let shown = -1;
  const model = await openWeightCache(checkpoint, format, join(process.cwd(), 'bench/.cache/weights'), {
    ...(match[2] === 'a0' ? { accuracyLevel: 0 as const, int8Prefill: false } : {}),
    ...(match[2] === 'n' ? { int8Prefill: false } : {}),
    ...(match[2] === 'c' ? { int8Scale: 'call' as const } : {}),
    onProgress: (p) => {
      const percent = Math.floor((p.done / p.total) * 10) * 10;
      if (percent !== shown) console.log(`  quantizing to ${format}: ${(shown = percent)}%`);
    },
  });
  // A distinct session key per variant (the graphs differ).
  return match[2] ? { ...model, contentHash: `${model.contentHash}-${match[2]}` } : model;
}

function setup(
  spec: string,
  spinning: boolean,
): { attention: AttentionBuilder; options: BenchSessionOptions; weights: string } {
  const [head = '', weights = 'stored'] = spec.split('@');
  const [name = '', optimization = 'all'] = head.split(':');
  const attention = attentionNamed(name);
  if (optimization !== 'all' && optimization !== 'basic' && optimization !== 'extended')
    throw new Error(`unknown optimization ${optimization}`);
  return { attention, options: { threads: 2, spinning, optimization }, weights }; // the app's default settings otherwise
}

const args = parseArgs(process.argv.slice(2));
const rerun = args.plainMalloc ? null : rerunInWorkerEnv('bench/decode-ab.ts', process.argv.slice(2));
if (rerun !== null) process.exit(rerun);
const folder =
  args.model ?? ensureBenchCheckpoint(join(process.cwd(), 'bench/.cache/smollm2-135m-f32'), process.cwd(), console.log);
const checkpoint = await loadCheckpoint(folder);
console.log(
  `bench/decode-ab: ${folder}, batch ${args.batch}, prompt ${args.prompt}, ${args.decode} tokens, ${args.reps} rounds; ${mallocLine()}; ${loadLine()}`,
);
const runs = [];
for (const spec of args.setups) {
  const { attention, options, weights } = setup(spec, args.spin);
  const sessions = new BenchSessions(options);
  const runner = await ModelRunner.open(await withWeights(checkpoint, weights), sessions.asCache(), undefined, {
    baseSession: true,
    attention,
  });
  await decodeRate(runner, args.batch, args.prompt, 4); // warm-up
  if (args.prefill > 0) await prefillRate(runner, args.prefill);
  runs.push({
    spec,
    sessions,
    runner,
    rates: [] as number[],
    cpu: [] as number[],
    ctx: [] as number[],
    pre: [] as number[],
  });
}
for (let round = 0; round < args.reps; round++) {
  for (let j = 0; j < runs.length; j++) {
    const r = runs[(j + round) % runs.length] as (typeof runs)[number];
    const c0 = process.cpuUsage();
    r.rates.push((await decodeRate(r.runner, args.batch, args.prompt, args.decode)).tokPerS);
    const c = process.cpuUsage(c0);
    r.cpu.push((c.user + c.system) / 1000 / (args.batch * args.decode));
    if (args.context > 0) r.ctx.push((await decodeRate(r.runner, 1, args.context, args.decode / 2)).tokPerS);
    if (args.prefill > 0) r.pre.push(await prefillRate(r.runner, args.prefill));
  }
  console.log(`  round ${round + 1} done; ${loadLine()}`);
}
const first = runs[0]?.rates ?? [];
const firstPre = runs[0]?.pre ?? [];
for (const r of runs) {
  const paired = median(r.rates.map((x, i) => x / (first[i] as number)));
  const ctx = r.ctx.length ? `  ctx ${args.context}: ${median(r.ctx).toFixed(1)} tok/s` : '';
  console.log(
    `${r.spec.padEnd(18)} ${median(r.rates).toFixed(1).padStart(8)} tok/s  /first ${paired.toFixed(3)}  cpu ${median(r.cpu).toFixed(2)} ms/token  [${r.rates.map((x) => x.toFixed(1)).join(' ')}]${ctx}`,
  );
  if (r.pre.length) {
    const ratios = r.pre.map((x, i) => x / (firstPre[i] as number));
    console.log(
      `${''.padEnd(18)} prefill ${args.prefill}: ${median(r.pre).toFixed(1)} tok/s  /first ${median(ratios).toFixed(3)} [${ratios.map((x) => x.toFixed(2)).join(' ')}]`,
    );
  }
  await r.sessions.dispose();
}
console.log(`end: ${loadLine()}`);
