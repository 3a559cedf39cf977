// bench/train: training tokens/s and peak RSS of LoRA (on q, v and on q, k, v, o), soft-prompt and joint training on a
// SmolLM2-135M-shaped Llama (f32), each mode in its own process (so peak RSS is that mode's), beside PyTorch eager
// (tools/reference/torch_train.py) and the compute bound (FLOPs per token vs a timed 1024^3 MatMul in ORT).
// Not part of `npm test`. Run from the repository root: node bench/run.mjs bench/train.ts [--flags] (README.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBenchCheckpoint } from '../tools/bench/write-checkpoint';
import { encodeModel, GraphBuilder } from '../src/main/engine/graph';
import { loadCheckpoint, loraScaling, type DecoderConfig, type LoraModule } from '../src/main/engine/models';
import { ortVersion } from '../src/main/engine/runtime';
import { ADAMW_DEFAULTS, adamwState, adamwStep } from '../src/main/engine/train/adamw';
import { collate, type TokenizedRow } from '../src/main/engine/train/collate';
import { initLora, initSoftPrompt } from '../src/main/engine/train/init';
import type { Param } from '../src/main/engine/train/params';
import { SessionBackend } from '../src/main/engine/train/session-backend';
import { accumulate } from '../src/main/engine/train/trainer';
import { engineWorkerEnv } from '../src/main/host/worker-env';
import { BenchSession } from './lib/sessions';
import { loadLine, median, peakRssMiB, spread } from './lib/stats';
import { referencePython, torchVersion } from './lib/torch';

const ROOT = process.cwd();
const CACHE = join(ROOT, 'bench/.cache');
/** lora: LoRA on q and v (PEFT's default for Llama); lora4: on q, k, v and o; joint: LoRA on q and v + soft prompt. */
const MODES = ['lora', 'lora4', 'soft', 'joint'] as const;
type Mode = (typeof MODES)[number];
const targetsOf = (m: Mode): LoraModule[] =>
  m === 'soft' ? [] : m === 'lora4' ? ['q_proj', 'k_proj', 'v_proj', 'o_proj'] : ['q_proj', 'v_proj'];

interface Args {
  threads: number;
  batch: number;
  seq: number;
  rank: number;
  alpha: number;
  virtual: number;
  warmup: number;
  steps: number;
  modes: Mode[];
  torch: boolean;
  /** Dovetail and PyTorch alternate this many times per mode; the ratio is the median of the per-round ratios. */
  rounds: number;
  /** Internal: run one mode in this process and print its figures as JSON. */
  child: Mode | null;
  /** Start the Dovetail child with this process's environment, not the engine worker's (engineWorkerEnv). */
  plainMalloc: boolean;
}

interface ModeFigures {
  tok_s: number;
  tok_s_all: number[];
  peak_rss_mib: number;
  session_s?: number;
  torch?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    threads: 2,
    batch: 8,
    seq: 128,
    rank: 8,
    alpha: 16,
    virtual: 20,
    warmup: 1,
    steps: 3,
    modes: [...MODES],
    torch: true,
    rounds: 1,
    child: null,
    plainMalloc: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'no-torch') a.torch = false;
    else if (key === 'plain-malloc') a.plainMalloc = true;
    else if (key === 'modes' && value) a.modes = value.split(',').map(mode);
    else if (key === 'child' && value) a.child = mode(value);
    else if (key in a && value !== undefined && Number.isInteger(Number(value)))
      (a as unknown as Record<string, number>)[key] = Number(value);
    else
      throw new Error(
        `unknown argument ${arg} (known: --threads=N --batch=N --seq=N --rank=N --alpha=N --virtual=N --warmup=N --steps=N --rounds=N --modes=lora,lora4,soft,joint --no-torch --plain-malloc)`,
      );
  }
  return a;
}

function mode(s: string): Mode {
  if (!(MODES as readonly string[]).includes(s)) throw new Error(`unknown mode ${s} (${MODES.join(', ')})`);
  return s as Mode;
}

const log = (line = ''): void => console.log(line);
const forwardArgs = (a: Args): string[] =>
  ['threads', 'batch', 'seq', 'rank', 'alpha', 'virtual', 'warmup', 'steps'].map(
    (k) => `--${k}=${(a as unknown as Record<string, number>)[k]}`,
  );

/** One mode in this process: the app's SessionBackend, accumulate() and adamwStep() as train() runs them. */
async function child(folder: string, m: Mode, a: Args): Promise<void> {
  const checkpoint = await loadCheckpoint(folder);
  const lora = m !== 'soft';
  const soft = m === 'soft' || m === 'joint';
  const TARGETS = targetsOf(m);
  const t0 = performance.now();
  const backend = await SessionBackend.create(checkpoint, {
    spec: { loraTargets: lora ? TARGETS : [], softPrompt: soft },
    loraScaling: loraScaling(a.rank, a.alpha),
    threads: a.threads,
    folder: checkpoint.folder,
  });
  const sessionSeconds = (performance.now() - t0) / 1000;
  try {
    const params: Param[] = [];
    if (soft)
      params.push(await initSoftPrompt(checkpoint, { kind: 'RANDOM', numVirtualTokens: a.virtual, std: 0.02 }, 1));
    if (lora) params.push(...initLora(checkpoint, { r: a.rank, targets: TARGETS }, 1));
    const batch = collate(randomRows(a.batch, a.seq, checkpoint.config.vocab_size), soft ? a.virtual : 0, 0);
    const state = adamwState(params);
    const step = async (): Promise<number> => {
      const t = performance.now();
      const { grads } = await accumulate(backend, [batch], params);
      adamwStep(params, grads, state, 1e-4, ADAMW_DEFAULTS);
      return (performance.now() - t) / 1000;
    };
    for (let i = 0; i < a.warmup; i++) await step();
    const seconds: number[] = [];
    for (let i = 0; i < a.steps; i++) seconds.push(await step());
    const figures: ModeFigures = {
      tok_s: batch.tokens / median(seconds),
      tok_s_all: seconds.map((s) => batch.tokens / s),
      peak_rss_mib: peakRssMiB(),
      session_s: sessionSeconds,
    };
    console.log(JSON.stringify(figures));
  } finally {
    await backend.dispose();
  }
}

/** B rows of T seeded random ids, every token a target (the first of each row has no predictor). */
function randomRows(B: number, T: number, vocab: number): TokenizedRow[] {
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % vocab;
  };
  return Array.from({ length: B }, (_, row) => {
    const ids = Array.from({ length: T }, next);
    return { row, ids, labels: [...ids] };
  });
}

/** Rounds of one side as one figure: median tok/s, highest peak RSS (null when none ran). */
function pooled(rounds: ModeFigures[]): ModeFigures | string {
  const first = rounds[0];
  if (!first) return 'no round ran';
  return {
    ...first,
    tok_s: median(rounds.map((r) => r.tok_s)),
    tok_s_all: rounds.flatMap((r) => r.tok_s_all),
    peak_rss_mib: Math.max(...rounds.map((r) => r.peak_rss_mib)),
  };
}

function lastJson(stdout: string): ModeFigures {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ModeFigures;
}

function runDovetail(m: Mode, a: Args): ModeFigures | string {
  // The child gets the engine worker's environment (the app's malloc tunables on Linux) unless --plain-malloc.
  const env = a.plainMalloc ? process.env : engineWorkerEnv(process.env);
  const r = spawnSync(process.execPath, ['bench/run.mjs', 'bench/train.ts', `--child=${m}`, ...forwardArgs(a)], {
    encoding: 'utf8',
    timeout: 60 * 60_000,
    maxBuffer: 1 << 24,
    env,
  });
  if (r.status !== 0)
    return `dovetail ${m} failed (${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-5).join(' | ')}`;
  return lastJson(r.stdout);
}

function runTorch(folder: string, m: Mode, a: Args): ModeFigures | string {
  const argv = [
    join(ROOT, 'tools/reference/torch_train.py'),
    '--model',
    folder,
    '--mode',
    m === 'lora4' ? 'lora' : m,
    '--targets',
    targetsOf(m).join(','),
    ...forwardArgs(a),
  ];
  const r = spawnSync(referencePython(), argv, {
    encoding: 'utf8',
    timeout: 60 * 60_000,
    env: { ...process.env, OMP_NUM_THREADS: `${a.threads}` },
  });
  if (r.status !== 0)
    return `torch ${m} failed (${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`;
  return lastJson(r.stdout);
}

/**
 * Training FLOPs per real token: forward 2 * (matmul weights) + attention (QK^T and PV over the full S x S, as the
 * graph computes it before masking), backward only input gradients through frozen weights (another 2 * weights; no
 * dW) plus 2x the attention products; LoRA's own products are counted 3x. Soft prompt: S = n + T positions per T.
 */
function flopsPerToken(c: DecoderConfig, m: Mode, a: Args): number {
  const D = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  const C = c.hidden_size;
  const q = c.num_attention_heads * D;
  const kv = c.num_key_value_heads * D;
  const layer = C * q + 2 * C * kv + q * C + 3 * C * c.intermediate_size;
  const weights = c.num_hidden_layers * layer + C * c.vocab_size;
  const S = a.seq + (m === 'soft' || m === 'joint' ? a.virtual : 0);
  const attention = c.num_hidden_layers * 2 * 2 * S * q; // QK^T and PV, per position
  const sides: Record<string, number> = { q_proj: C + q, k_proj: C + kv, v_proj: C + kv, o_proj: q + C };
  const lora = c.num_hidden_layers * a.rank * targetsOf(m).reduce((sum, t) => sum + (sides[t] ?? 0), 0);
  const perPosition = 2 * 2 * weights + 3 * attention + 3 * 2 * lora;
  return (perPosition * S) / a.seq;
}

/** GFLOP/s of one [1024, 1024] x [1024, 1024] MatMul in ORT with the bench's threads (best of 10 after warm-up). */
async function matmulPeak(threads: number): Promise<number> {
  const N = 1024;
  const g = new GraphBuilder('matmul-peak');
  g.output('c', g.op.MatMul(g.input('a', 'float32', [N, N]), g.input('b', 'float32', [N, N])));
  const session = await BenchSession.create({ model: encodeModel(g.build()) }, { threads });
  try {
    const x = {
      dtype: 'float32' as const,
      dims: [N, N],
      data: Float32Array.from({ length: N * N }, (_, i) => ((i % 7) - 3) / 7),
    };
    const times: number[] = [];
    for (let i = 0; i < 13; i++) {
      const t = performance.now();
      await session.run({ a: x, b: x });
      if (i >= 3) times.push((performance.now() - t) / 1000);
    }
    return (2 * N ** 3) / Math.min(...times) / 1e9;
  } finally {
    await session.dispose();
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'package.json'))) throw new Error('run from the repository root');
  const a = parseArgs(process.argv.slice(2));
  const folder = join(CACHE, 'smollm2-135m-f32');
  if (a.child) return child(folder, a.child, a);
  log(
    `bench/train: node ${process.version}, onnxruntime-node ${ortVersion()}, ${a.threads} threads, batch ${a.batch} x ${a.seq} tokens, f32, ${a.warmup} warm-up + ${a.steps} timed optimizer steps (tokens / median step time (per-step min-max))`,
  );
  log(
    `LoRA r ${a.rank} alpha ${a.alpha} (lora, joint: q_proj, v_proj; lora4: q_proj, k_proj, v_proj, o_proj); soft prompt ${a.virtual} virtual tokens; start: ${loadLine()}`,
  );
  const malloc = a.plainMalloc
    ? "this process's"
    : `the engine worker's (GLIBC_TUNABLES=${engineWorkerEnv(process.env)['GLIBC_TUNABLES'] ?? 'unset'})`;
  log(`Dovetail runs with ${malloc} environment; PyTorch with this process's`);
  ensureBenchCheckpoint(folder, ROOT, log);
  const config = (await loadCheckpoint(folder)).config;
  const version = a.torch ? torchVersion() : null;
  const torch = version !== null;
  if (a.torch)
    log(
      torch
        ? `torch reference: ${referencePython()}, torch ${version}`
        : `torch reference: ${referencePython()} cannot import torch (set DOVETAIL_BENCH_PYTHON to a Python that can)`,
    );

  const rows: {
    m: Mode;
    dt: ModeFigures | string;
    pt: ModeFigures | string | null;
    ratio: number | undefined;
    bound: number;
  }[] = [];
  for (const m of a.modes) {
    // Measured again before each mode: on a shared machine the load (and so the reachable peak) drifts over the run.
    const peak = await matmulPeak(a.threads);
    log(
      `matmul peak: ${peak.toFixed(0)} GFLOP/s (1024^3 MatMul in ORT, ${a.threads} threads, best of 10); ${loadLine()}`,
    );
    const dts: ModeFigures[] = [];
    const pts: ModeFigures[] = [];
    const ratios: number[] = [];
    let failure: string | null = null;
    for (let round = 1; round <= a.rounds && failure === null; round++) {
      const tag = a.rounds > 1 ? ` (round ${round}/${a.rounds})` : '';
      const dt = runDovetail(m, a);
      log(
        `dovetail ${m}${tag}: ${typeof dt === 'string' ? dt : `${dt.tok_s.toFixed(1)} ${spread(dt.tok_s_all).split(' ')[1]} tok/s, peak RSS ${dt.peak_rss_mib.toFixed(0)} MiB, sessions ${dt.session_s?.toFixed(1)} s`}; ${loadLine()}`,
      );
      if (typeof dt === 'string') failure = dt;
      else dts.push(dt);
      const pt = torch ? runTorch(folder, m, a) : null;
      if (pt)
        log(
          `torch ${m}${tag}: ${typeof pt === 'string' ? pt : `${pt.tok_s.toFixed(1)} ${spread(pt.tok_s_all).split(' ')[1]} tok/s, peak RSS ${pt.peak_rss_mib.toFixed(0)} MiB`}; ${loadLine()}`,
        );
      if (pt && typeof pt !== 'string') pts.push(pt);
      if (typeof dt !== 'string' && pt && typeof pt !== 'string') ratios.push(dt.tok_s / pt.tok_s);
    }
    const bound = (peak * 1e9) / flopsPerToken(config, m, a);
    rows.push({
      m,
      dt: failure ?? pooled(dts),
      pt: torch ? pooled(pts) : null,
      ratio: ratios.length > 0 ? median(ratios) : undefined,
      bound,
    });
  }

  log();
  log(
    `${'mode'.padEnd(8)}${'dovetail tok/s'.padStart(16)}${'torch tok/s'.padStart(13)}${'/torch'.padStart(8)}${'bound'.padStart(8)}${'/bound'.padStart(8)}${'RSS MiB'.padStart(9)}${'torch RSS'.padStart(11)}${'/torch'.padStart(8)}  GFLOP/tok`,
  );
  for (const r of rows) {
    const d = typeof r.dt === 'string' ? null : r.dt;
    const p = r.pt === null || typeof r.pt === 'string' ? null : r.pt;
    const x = (u: number | undefined, v: number | undefined): string =>
      u === undefined || v === undefined ? '' : `${(u / v).toFixed(2)}x`;
    log(
      `${r.m.padEnd(8)}${(d?.tok_s.toFixed(1) ?? '-').padStart(16)}${(p?.tok_s.toFixed(1) ?? '-').padStart(13)}${(r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`).padStart(8)}${r.bound.toFixed(0).padStart(8)}${x(d?.tok_s, r.bound).padStart(8)}` +
        `${(d?.peak_rss_mib.toFixed(0) ?? '-').padStart(9)}${(p?.peak_rss_mib.toFixed(0) ?? '-').padStart(11)}${x(d?.peak_rss_mib, p?.peak_rss_mib).padStart(8)}  ${(flopsPerToken(config, r.m, a) / 1e9).toFixed(3)}`,
    );
  }
  if (a.rounds > 1)
    log(
      `tok/s: medians over ${a.rounds} rounds; /torch: median of the per-round ratios (each round runs Dovetail, then PyTorch); RSS: the highest round.`,
    );
  log(
    'targets: LoRA and soft-prompt tok/s >= 2x torch 2.x; peak RSS <= torch. The machine is shared: compare ratios ' +
      'of one run.',
  );
  log(`end: ${loadLine()}`);
}

await main();
