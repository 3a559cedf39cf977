// bench/train-profile: where a training step's time goes. ORT's profiler over the app's training graph (lean session
// options, as SessionBackend creates them) on the bench checkpoint: kernel time by op type and by model part, and the
// step beside its matmul-only ceiling (the step's matrix-product FLOPs at a 1024^3 MatMul peak timed in the same run).
// Not part of `npm test`. Run from the repository root: node bench/run.mjs bench/train-profile.ts [--flags].
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureBenchCheckpoint } from '../tools/bench/write-checkpoint';
import { encodeModel, GraphBuilder, tensor, type Tensor } from '../src/main/engine/graph';
import { LORA_SCALING, loadCheckpoint, loraScaling, type LoraModule } from '../src/main/engine/models';
import { collate, type TokenizedRow } from '../src/main/engine/train/collate';
import { initLora, initSoftPrompt } from '../src/main/engine/train/init';
import { paramTensor, type Param } from '../src/main/engine/train/params';
import { batchFeeds, buildTrainingGraphs } from '../src/main/engine/train/training-graph';
import { modelRuns, readTrace, summarise, table } from './lib/profile';
import { BenchSession } from './lib/sessions';
import { loadLine, median } from './lib/stats';

const ROOT = process.cwd();
const CACHE = join(ROOT, 'bench/.cache');

interface Args {
  threads: number;
  batch: number;
  seq: number;
  rank: number;
  virtual: number;
  steps: number;
  mode: 'lora' | 'lora4' | 'soft';
}

function parseArgs(argv: string[]): Args {
  const a: Args = { threads: 2, batch: 8, seq: 128, rank: 8, virtual: 20, steps: 3, mode: 'lora' };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'mode' && (value === 'lora' || value === 'lora4' || value === 'soft')) a.mode = value;
    else if (key in a && key !== 'mode' && Number.isInteger(Number(value)))
      (a as unknown as Record<string, number>)[key] = Number(value);
    else
      throw new Error(
        `unknown argument ${arg} (known: --threads=N --batch=N --seq=N --rank=N --virtual=N --steps=N --mode=lora|lora4|soft)`,
      );
  }
  return a;
}

const log = (line = ''): void => console.log(line);

async function matmulPeak(threads: number): Promise<number> {
  const N = 1024;
  const g = new GraphBuilder('matmul-peak');
  g.output('c', g.op.MatMul(g.input('a', 'float32', [N, N]), g.input('b', 'float32', [N, N])));
  const session = await BenchSession.create({ model: encodeModel(g.build()) }, { threads });
  const x = tensor(
    'float32',
    [N, N],
    Float32Array.from({ length: N * N }, (_, i) => ((i % 7) - 3) / 7),
  );
  const times: number[] = [];
  for (let i = 0; i < 13; i++) {
    const t = performance.now();
    await session.run({ a: x, b: x });
    if (i >= 3) times.push((performance.now() - t) / 1000);
  }
  await session.dispose();
  return (2 * N ** 3) / Math.min(...times) / 1e9;
}

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

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const folder = join(CACHE, 'smollm2-135m-f32');
  ensureBenchCheckpoint(folder, ROOT, log);
  const checkpoint = await loadCheckpoint(folder);
  const c = checkpoint.config;
  const targets: LoraModule[] =
    a.mode === 'soft' ? [] : a.mode === 'lora4' ? ['q_proj', 'k_proj', 'v_proj', 'o_proj'] : ['q_proj', 'v_proj'];
  const soft = a.mode === 'soft';
  const graphs = buildTrainingGraphs(checkpoint, { loraTargets: targets, softPrompt: soft });
  const prefix = join(CACHE, 'train-profile');
  const session = await BenchSession.create(
    { model: encodeModel(graphs.training), externalDataFolder: checkpoint.folder },
    { threads: a.threads, lean: true, profilePrefix: prefix },
  );
  const params: Param[] = soft
    ? [await initSoftPrompt(checkpoint, { kind: 'RANDOM', numVirtualTokens: a.virtual, std: 0.02 }, 1)]
    : initLora(checkpoint, { r: a.rank, targets }, 1);
  const batch = collate(randomRows(a.batch, a.seq, c.vocab_size), soft ? a.virtual : 0, 0);
  const feeds: Record<string, Tensor> = { ...batchFeeds(batch, 1 / batch.tokens) };
  if (!soft) feeds[LORA_SCALING] = tensor('float32', [], Float32Array.of(loraScaling(a.rank, 16)));
  for (const p of params) feeds[p.name] = paramTensor(p);
  const stepMs: number[] = [];
  for (let i = 0; i < a.steps + 1; i++) {
    const t = performance.now();
    await session.run(feeds);
    stepMs.push(performance.now() - t);
  }
  const trace = await endProfiling(session, prefix);
  const peak = await matmulPeak(a.threads);
  const events = readTrace(trace);
  const s = summarise(events, modelRuns(events).slice(1));
  const S = a.seq + (soft ? a.virtual : 0);
  const M = a.batch * S;
  const D = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  const q = c.num_attention_heads * D;
  const kv = c.num_key_value_heads * D;
  const C = c.hidden_size;
  const layerWeights = C * q + 2 * C * kv + q * C + 3 * C * c.intermediate_size;
  // Forward and input-gradient products of the frozen weights (2 x 2 x M x weights), attention (QK^T, PV and their
  // two gradients each: 3 x), the head over every position (the graph gathers the target rows first: N = B x (T-1)).
  const N = a.batch * (a.seq - 1);
  const flops =
    4 * M * c.num_hidden_layers * layerWeights +
    4 * N * C * c.vocab_size +
    3 * c.num_hidden_layers * 4 * a.batch * S * S * q;
  const ceilingMs = (flops / (peak * 1e9)) * 1000;
  const step = median(stepMs.slice(1));
  log(
    `bench/train-profile ${a.mode}: ${a.batch} x ${a.seq} tokens${soft ? ` + ${a.virtual} virtual` : ''}, ${a.threads} threads; ${loadLine()}`,
  );
  log(
    `  step (forward + backward run) ${step.toFixed(0)} ms = ${((a.batch * a.seq) / (step / 1000)).toFixed(0)} tok/s; model_run ${(s.runUs / 1000).toFixed(0)} ms`,
  );
  log(
    `  matmul peak ${peak.toFixed(0)} GFLOP/s; step products ${(flops / 1e9).toFixed(1)} GFLOP -> matmul-only ceiling ${ceilingMs.toFixed(0)} ms (step = ${(step / ceilingMs).toFixed(2)}x the ceiling)`,
  );
  log('  by op type:');
  for (const line of table(s.byOp, s.runUs, 20)) log(line);
  log('  by part (summed over layers):');
  for (const line of table(s.byPart, s.runUs, 20)) log(line);
  log(`  trace: ${trace}`);
}

async function endProfiling(session: BenchSession, prefix: string): Promise<string> {
  session.session.endProfiling();
  await session.dispose();
  const dir = join(prefix, '..');
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('train-profile') && f.endsWith('.json'))
    .map((f) => resolve(dir, f))
    .sort((x, y) => statSync(y).mtimeMs - statSync(x).mtimeMs);
  if (!files[0]) throw new Error(`no ORT profile in ${dir}`);
  return files[0];
}

await main();
