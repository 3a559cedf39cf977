// bench/generate: prefill and decode tokens/s of the engine on a SmolLM2-135M-shaped Llama (f32,
// random weights written on first run), beside the memory-bandwidth bound measured here and the PyTorch reference.
// Not part of `npm test`. Run from the repository root: node bench/run.mjs bench/generate.ts [--flags] (README.md).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ensureBenchCheckpoint } from '../tools/bench/write-checkpoint';
import {
  DEFAULT_ATTENTION,
  loadCheckpoint,
  ModelRunner,
  type AttentionBuilder,
  type Checkpoint,
  type RunnerModel,
} from '../src/main/engine/models';
import { openWeightCache } from '../src/main/engine/models/weight-cache';
import { ortVersion, SessionCache } from '../src/main/engine/runtime';
import { WeightFormat } from '../src/shared/weight-format';
import { attentionNamed, gqaAttention, onnxAttention } from './lib/attention-variants';
import { measureBandwidth } from './lib/bandwidth';
import { decodeRate, prefillRate } from './lib/engine-runs';
import { matmulOnlyModel } from './lib/matmul-graph';
import { modelRuns, readTrace, summarise, table } from './lib/profile';
import { BenchSession, BenchSessions, type BenchSessionOptions } from './lib/sessions';
import { loadLine, median, peakRssMiB, repeat, spread } from './lib/stats';
import { mallocLine, rerunInWorkerEnv } from './lib/worker-env';
import { runTorch, torchAvailable, type TorchFigures } from './lib/torch';

const ROOT = process.cwd();
const CACHE = join(ROOT, 'bench/.cache');

interface Args {
  threads: number;
  reps: number;
  prefill: number;
  decode: number;
  context: number;
  torch: boolean;
  profile: boolean;
  variants: boolean;
  /** Time the hooked session (LoRA inputs on 7 modules + soft prompt, rank 0) instead of the app's base-only one. */
  hooks: boolean;
  /** Run in this process's environment, not the engine worker's (host/worker-env.ts). */
  plainMalloc: boolean;
  /** The graph's attention for the main figures and the profile (null: the app's, DEFAULT_ATTENTION). */
  attention: AttentionBuilder | null;
  /** The weight format of the main figures and the profile: as stored, or the weight cache's q8 / q4 copy. */
  weights: WeightFormat;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    threads: 2,
    reps: 3,
    prefill: 512,
    decode: 32,
    context: 1000,
    torch: true,
    profile: false,
    variants: false,
    hooks: false,
    plainMalloc: false,
    attention: null,
    weights: 'stored',
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'no-torch') a.torch = false;
    else if (key === 'profile' || key === 'variants' || key === 'hooks') a[key] = true;
    else if (key === 'plain-malloc') a.plainMalloc = true;
    else if (key === 'attention' && value !== undefined) a.attention = attentionNamed(value);
    else if (key === 'weights' && value !== undefined) a.weights = WeightFormat.parse(value);
    else if (key in a && value !== undefined && Number.isInteger(Number(value)))
      (a as unknown as Record<string, number>)[key] = Number(value);
    else
      throw new Error(
        `unknown argument ${arg} (known: --threads=N --reps=N --prefill=N --decode=N --context=N --no-torch --profile --variants --hooks --plain-malloc --attention=gqa|decomposed|onnx --weights=stored|q8|q4)`,
      );
  }
  return a;
}

const log = (line = ''): void => console.log(line);
const ratio = (a: number, b: number | undefined): string => (b === undefined ? '' : `${(a / b).toFixed(2)}x`);

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'package.json'))) throw new Error('run from the repository root');
  const args = parseArgs(process.argv.slice(2));
  // The engine runs in the app's worker environment (malloc tunables on Linux); the PyTorch reference does not.
  const rerun = args.plainMalloc ? null : rerunInWorkerEnv('bench/generate.ts', process.argv.slice(2));
  if (rerun !== null) {
    process.exitCode = rerun;
    return;
  }
  log(
    `bench/generate: node ${process.version}, onnxruntime-node ${ortVersion()}, ${args.threads} threads, ${args.reps} reps (median (min-max)); ${mallocLine()}`,
  );
  log(`start: ${loadLine()}`);
  const folder = ensureBenchCheckpoint(join(CACHE, 'smollm2-135m-f32'), ROOT, log);
  const checkpoint = await loadCheckpoint(folder);
  const model: RunnerModel =
    args.weights === 'stored' ? checkpoint : await openWeightCache(checkpoint, args.weights, join(CACHE, 'weights'));
  const weightBytes = streamedBytes(checkpoint, args.weights);
  log(
    `model: ${checkpoint.sizes.parameters.toLocaleString('en')} parameters, weights ${args.weights} (${(weightBytes / 1e6).toFixed(0)} MB streamed per decode step)`,
  );

  const bw = await measureBandwidth(args.threads);
  const bound = (bw.gbPerS * 1e9) / weightBytes;
  log(
    `bandwidth: ${bw.gbPerS.toFixed(1)} GB/s read (${bw.threads} threads, memchr over 256 MiB each) -> decode bound b1 ${bound.toFixed(1)} tok/s; ${loadLine()}`,
  );

  const sessions = new SessionCache({ threads: args.threads, spinThreads: true }); // engine.spinThreads on (the bench's figures; the app's default is off, --variants' "no spinning")
  const t0 = performance.now();
  // The app's generation path (worker/loaded-models.ts): plain runs on the base-only session; --hooks: the hooked one.
  const runner = await ModelRunner.open(model, sessions, undefined, {
    baseSession: !args.hooks,
    ...(args.attention ? { attention: args.attention } : {}),
  });
  const graph = args.hooks
    ? 'LoRA hooks on all 7 modules, soft prompt, rank 0'
    : 'base-only, as the app runs a model without adapter';
  log(
    `session: created in ${((performance.now() - t0) / 1000).toFixed(1)} s (app graph: ${graph}); peak RSS ${peakRssMiB().toFixed(0)} MiB`,
  );
  await decodeRate(runner, 1, 1, 4); // warm-up
  // The first prompt of a new length grows ORT's arena (fresh pages); the figure is the steady state after it.
  const cold = await prefillRate(runner, args.prefill);
  const prefill = await repeat(args.reps, () => prefillRate(runner, args.prefill));
  log(`prefill ${args.prefill}: ${spread(prefill)} tok/s (the first one, cold: ${cold.toFixed(1)}); ${loadLine()}`);
  const b1 = await repeat(args.reps, async () => (await decodeRate(runner, 1, 1, args.decode)).tokPerS);
  log(`decode b1 ctx 0: ${spread(b1)} tok/s; ${loadLine()}`);
  const b8 = await repeat(args.reps, async () => (await decodeRate(runner, 8, 1, args.decode)).tokPerS);
  log(`decode b8 ctx 0: ${spread(b8)} tok/s; ${loadLine()}`);
  const ctx = await repeat(args.reps, async () => (await decodeRate(runner, 1, args.context, args.decode)).tokPerS);
  log(`decode b1 ctx ${args.context}: ${spread(ctx)} tok/s; ${loadLine()}`);
  await sessions.dispose();

  let torch: TorchFigures | null = null;
  if (args.torch && torchAvailable()) {
    log('torch reference: running tools/reference/torch_generate.py ...');
    const r = runTorch(ROOT, {
      model: folder,
      threads: args.threads,
      prefill: args.prefill,
      decode: args.decode,
      context: args.context,
      reps: args.reps,
    });
    if (typeof r === 'string') log(r);
    else torch = r;
    log(`torch done; ${loadLine()}`);
  } else {
    log(
      args.torch
        ? 'torch reference: /usr/bin/python3 cannot import torch (apt-get install -y python3-torch ' +
            'libopenblas0-pthread)'
        : 'torch reference: skipped',
    );
  }

  const rows: [string, number, number | undefined, number | undefined, string][] = [
    [`prefill ${args.prefill} tok`, median(prefill), undefined, torch?.prefill_tok_s, '>= 600'],
    ['decode b1 ctx 0', median(b1), bound, torch?.decode_b1_tok_s, '>= 65 (80)'],
    ['decode b8 ctx 0', median(b8), bound * 8, torch?.decode_b8_tok_s, ''],
    [`decode b1 ctx ${args.context}`, median(ctx), bound, torch?.decode_ctx_tok_s, ''],
  ];
  log();
  log(
    `${'tok/s'.padEnd(22)}${'dovetail'.padStart(10)}${'bw bound'.padStart(10)}${'/bound'.padStart(8)}${`torch ${torch?.torch ?? '-'}`.padStart(18)}${'/torch'.padStart(8)}  target`,
  );
  for (const [name, value, b, t, target] of rows) {
    log(
      `${name.padEnd(22)}${value.toFixed(1).padStart(10)}${(b?.toFixed(1) ?? '').padStart(10)}${ratio(value, b).padStart(8)}${(t?.toFixed(1) ?? '').padStart(18)}${ratio(value, t).padStart(8)}  ${target}`,
    );
  }
  const slowdown = median(b1) / median(ctx);
  const torchSlowdown = torch ? ` (torch ${(torch.decode_b1_tok_s / torch.decode_ctx_tok_s).toFixed(2)}x)` : '';
  log(`context ${args.context} slowdown: ${slowdown.toFixed(2)}x${torchSlowdown}  target <= 2x`);
  log(`peak RSS ${peakRssMiB().toFixed(0)} MiB; end: ${loadLine()}`);

  if (args.variants) await variants(checkpoint, args, bound);
  if (args.profile) await profile(model, args);
}

/**
 * Decode b1 with one session option or graph change at a time, to see what each costs. Every variant's session is
 * open at once and the rounds go round-robin, so a change in the machine's load or clock over the minutes this takes
 * falls on every variant alike (run in sequence, the last ones measured up to 20% faster than the first); each round
 * starts one variant further on, so order effects average out too.
 */
async function variants(checkpoint: Checkpoint, args: Args, bound: number): Promise<void> {
  log();
  log(`variants (decode b1 tok/s, ctx 0 and ctx ${args.context}; all sessions open, ${args.reps} round-robin rounds):`);
  const base: BenchSessionOptions = { threads: args.threads, spinning: true }; // spinning on, as the main figures
  const app = DEFAULT_ATTENTION;
  // [label, session options, runner options]; the first is the app's own setup (base-only session, as SessionCache).
  const cases: [string, BenchSessionOptions, { lora: boolean; attention: AttentionBuilder }][] = [
    [`app (base-only, ${app.name} attention)`, base, { lora: false, attention: app }],
    ['GroupQueryAttention', base, { lora: false, attention: gqaAttention }],
    ['Attention-23', base, { lora: false, attention: onnxAttention }],
    ['spin threads off (setting)', { ...base, spinning: false }, { lora: false, attention: app }],
    ['LoRA inputs on 7 modules (rank 0)', base, { lora: true, attention: app }],
    ['optimization basic', { ...base, optimization: 'basic' }, { lora: false, attention: app }],
    ['1 thread', { ...base, threads: 1 }, { lora: false, attention: app }],
  ];
  const opened = [];
  for (const [name, options, graph] of cases) {
    const sessions = new BenchSessions(options);
    const runner = await ModelRunner.open(checkpoint, sessions.asCache(), undefined, {
      baseSession: !graph.lora,
      attention: graph.attention,
    });
    await decodeRate(runner, 1, 1, 4);
    opened.push({ name, sessions, runner, ctx0: [] as number[], ctxN: [] as number[] });
  }
  const matmul = await BenchSession.create(
    { model: matmulOnlyModel(checkpoint), externalDataFolder: checkpoint.folder },
    base,
  );
  const x = {
    x: {
      dtype: 'float32' as const,
      dims: [1, 1, checkpoint.config.hidden_size],
      data: new Float32Array(checkpoint.config.hidden_size).fill(0.1),
    },
  };
  for (let i = 0; i < 3; i++) await matmul.run(x);
  const mm: number[] = [];
  const measures = [
    ...opened.map((v) => async () => {
      v.ctx0.push((await decodeRate(v.runner, 1, 1, args.decode)).tokPerS);
      v.ctxN.push((await decodeRate(v.runner, 1, args.context, args.decode / 2)).tokPerS);
    }),
    async () => {
      const t = performance.now();
      for (let i = 0; i < args.decode; i++) await matmul.run(x);
      mm.push((args.decode * 1000) / (performance.now() - t));
    },
  ];
  // Each round starts one place further on, so no variant always runs right after the same neighbour.
  for (let round = 0; round < args.reps; round++) {
    for (let j = 0; j < measures.length; j++) await (measures[(j + round) % measures.length] as () => Promise<void>)();
  }
  const ceiling = median(mm);
  for (const v of opened) {
    log(
      `  ${v.name.padEnd(34)} ${spread(v.ctx0).padStart(20)} (${ratio(median(v.ctx0), ceiling)} of matmul-only)  ctx ${args.context}: ${spread(v.ctxN).padStart(20)}`,
    );
    await v.sessions.dispose();
  }
  log(
    `  ${'matmul-only graph (b1)'.padEnd(34)} ${spread(mm).padStart(20)} (${ratio(ceiling, bound)} of the bandwidth bound)  ${loadLine()}`,
  );
  await matmul.dispose();
}

/**
 * Bytes a decode step reads: every parameter as f32 for stored weights (the tied head reads the embedding table);
 * quantized, the nn.Linear weights and the head at 1 + 4/32 (q8) or 0.5 + 4/32 (q4) bytes per value (codes and one
 * f32 scale per 32), the norms as f32, the embedding table's gathered rows not counted.
 */
function streamedBytes(checkpoint: Checkpoint, weights: WeightFormat): number {
  if (weights === 'stored') return checkpoint.sizes.parameters * 4;
  const c = checkpoint.config;
  const D = c.head_dim;
  const linear =
    c.num_hidden_layers *
      (c.hidden_size * (c.num_attention_heads + 2 * c.num_key_value_heads) * D +
        c.num_attention_heads * D * c.hidden_size +
        3 * c.hidden_size * c.intermediate_size) +
    c.vocab_size * c.hidden_size;
  const norms = (2 * c.num_hidden_layers + 1) * c.hidden_size;
  return linear * ((weights === 'q8' ? 1 : 0.5) + 4 / 32) + norms * 4;
}

/** ORT profile of decode steps at context 0 and at `context`: kernel time by op type and by model part. */
async function profile(checkpoint: RunnerModel, args: Args): Promise<void> {
  const prefix = join(CACHE, 'profile');
  const sessions = new BenchSessions({ threads: args.threads, spinning: true, profilePrefix: prefix });
  const runner = await ModelRunner.open(checkpoint, sessions.asCache(), undefined, {
    baseSession: !args.hooks,
    ...(args.attention ? { attention: args.attention } : {}),
  });
  const ctx0 = await decodeRate(runner, 1, 1, args.decode);
  const ctxN = await decodeRate(runner, 1, args.context, args.decode);
  await sessions.endProfiling();
  await sessions.dispose();
  const trace = newest(dirname(prefix), basename(prefix));
  const events = readTrace(trace);
  const runs = modelRuns(events);
  const n = args.decode;
  // Runs: [prefill, n decode steps] for context 0, then the same for `context`; each first decode step is dropped.
  const phases: [string, typeof runs, number[]][] = [
    ['ctx 0', runs.slice(2, 1 + n), ctx0.stepMs.slice(1)],
    [`ctx ${args.context}`, runs.slice(n + 3, 2 * n + 2), ctxN.stepMs.slice(1)],
  ];
  log();
  log(`profile (${trace}):`);
  for (const [name, phaseRuns, stepMs] of phases) {
    const s = summarise(events, phaseRuns);
    const kernels = [...s.byOp.values()].reduce((a, b) => a + b, 0);
    log(
      `  decode b1 ${name}: step ${median(stepMs).toFixed(2)} ms in JS, model_run ${(s.runUs / 1000).toFixed(2)} ms, kernels ${(kernels / 1000).toFixed(2)} ms (${s.runs} runs)`,
    );
    log('   by op type:');
    for (const line of table(s.byOp, s.runUs)) log(line);
    log('   by part (summed over layers):');
    for (const line of table(s.byPart, s.runUs)) log(line);
  }
}

function newest(folder: string, prefix: string): string {
  const files = readdirSync(folder).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
  const paths = files.map((f) => resolve(folder, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!paths[0]) throw new Error(`no ORT profile ${prefix}*.json in ${folder}`);
  return paths[0];
}

await main();
