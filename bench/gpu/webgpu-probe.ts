// bench/gpu/webgpu-probe: do Dovetail's own graphs run on ONNX Runtime's WebGPU provider here, and how fast? The
// providers this onnxruntime-node build lists and what its probe says; then the app's inference graph (prefill logits
// and greedy tokens, prefill and decode speed) and training graph (loss, gradients, step time) on the CPU and on
// WebGPU, the same graphs and inputs, compared. Run on a GPU machine (docs/job-export.md says how it travels there):
//   node bench/run.mjs bench/gpu/webgpu-probe.ts [--model=DIR] [--providers=cpu,webgpu] [--threads=N]
// Without --model: a random SmolLM2-135M-shaped checkpoint in bench/.cache.
import { join } from 'node:path';
import { ensureBenchCheckpoint } from '../../tools/bench/write-checkpoint';
import { encodeModel, tensor, type Tensor } from '../../src/main/engine/graph';
import { generate } from '../../src/main/engine/generate';
import { LORA_SCALING, loadCheckpoint, loraScaling, ModelRunner, type LoraModule } from '../../src/main/engine/models';
import { maxAbsDiff } from '../../src/main/engine/models/testing/compare';
import { listProviders, probeProviders } from '../../src/main/engine/runtime/providers';
import { collate, type TokenizedRow } from '../../src/main/engine/train/collate';
import { initLora } from '../../src/main/engine/train/init';
import { paramTensor } from '../../src/main/engine/train/params';
import { batchFeeds, buildTrainingGraphs, gradName } from '../../src/main/engine/train/training-graph';
import { decodeRate, prefillRate, promptIds } from '../lib/engine-runs';
import { BenchSession, BenchSessions } from '../lib/sessions';
import { loadLine, median } from '../lib/stats';

type Provider = 'cpu' | 'webgpu';
const log = (line = ''): void => console.log(line);
const flag = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const threads = Number(flag('threads') ?? 0);
const providers = (flag('providers') ?? 'cpu,webgpu').split(',') as Provider[];
const folder =
  flag('model') ?? ensureBenchCheckpoint(join(process.cwd(), 'bench/.cache/smollm2-135m-f32'), process.cwd(), log);
const NO_TEXT = { createStreamDecoder: () => ({ push: () => '', flush: () => '' }) };
const TARGETS: LoraModule[] = ['q_proj', 'v_proj'];

/** The largest absolute difference, beside the reference's largest magnitude (the scale it is read against). */
function drift(a: ArrayLike<number>, reference: ArrayLike<number>): { abs: number; scale: number } {
  let scale = 0;
  for (let i = 0; i < reference.length; i++) scale = Math.max(scale, Math.abs(reference[i] as number));
  return { abs: maxAbsDiff(a, reference), scale };
}

interface InferenceFigures {
  logits: Float32Array;
  tokens: number[];
  prefill512: number;
  decodeB1: number;
  decodeB8: number;
}

async function inference(provider: Provider): Promise<InferenceFigures> {
  const checkpoint = await loadCheckpoint(folder);
  const sessions = new BenchSessions({ threads, provider });
  try {
    const runner = await ModelRunner.open(checkpoint, sessions.asCache(), undefined, { baseSession: true });
    const ids = promptIds(32, 3);
    const logits = await runner.forward({
      inputIds: { data: BigInt64Array.from(ids, BigInt), dims: [1, ids.length] },
    });
    const tokens: number[] = [];
    const step = runner.createStep();
    await generate({
      promptIds: [ids],
      step: step.step,
      settings: { max_new_tokens: 16, ignore_eos: true },
      tokenizer: NO_TEXT,
      onToken: (e) => {
        if (e.tokenId !== null) tokens.push(e.tokenId);
      },
    });
    step.reset();
    const prefills: number[] = [];
    for (let i = 0; i < 3; i++) prefills.push(await prefillRate(runner, 512));
    const b1: number[] = [];
    const b8: number[] = [];
    for (let i = 0; i < 3; i++) {
      b1.push((await decodeRate(runner, 1, 1, 32)).tokPerS);
      b8.push((await decodeRate(runner, 8, 1, 32)).tokPerS);
    }
    return {
      logits: logits.data,
      tokens,
      prefill512: median(prefills),
      decodeB1: median(b1),
      decodeB8: median(b8),
    };
  } finally {
    await sessions.dispose();
  }
}

interface TrainingFigures {
  loss: number;
  grads: Float32Array[];
  stepMs: number;
}

async function training(provider: Provider): Promise<TrainingFigures> {
  const checkpoint = await loadCheckpoint(folder);
  const graphs = buildTrainingGraphs(checkpoint, { loraTargets: TARGETS, softPrompt: false });
  const session = await BenchSession.create(
    { model: encodeModel(graphs.training), externalDataFolder: checkpoint.folder },
    { threads, lean: provider === 'cpu', provider },
  );
  try {
    const params = initLora(checkpoint, { r: 8, targets: TARGETS }, 1);
    const rows: TokenizedRow[] = Array.from({ length: 8 }, (_, row) => {
      const ids = promptIds(128, 100 + row).map((id) => id % checkpoint.config.vocab_size);
      return { row, ids, labels: [...ids] };
    });
    const batch = collate(rows, 0, 0);
    const feeds: Record<string, Tensor> = { ...batchFeeds(batch, 1 / batch.tokens) };
    feeds[LORA_SCALING] = tensor('float32', [], Float32Array.of(loraScaling(8, 16)));
    for (const p of params) feeds[p.name] = paramTensor(p);
    const times: number[] = [];
    let out: Record<string, Tensor> = {};
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      out = await session.run(feeds);
      if (i > 0) times.push(performance.now() - t);
    }
    const loss = (out.loss?.data as Float32Array)[0] as number;
    const grads = graphs.params.map((name) => out[gradName(name)]?.data as Float32Array);
    return { loss, grads, stepMs: median(times) };
  } finally {
    await session.dispose();
  }
}

async function main(): Promise<void> {
  log(`bench/gpu/webgpu-probe on ${folder}; ${loadLine()}`);
  log(
    `providers listed: ${listProviders()
      .map((p) => `${p.name}${p.bundled ? '' : ' (download)'}`)
      .join(', ')}`,
  );
  for (const p of await probeProviders()) log(`  ${p.name}: ${p.available ? 'available' : p.reason}`);
  const inf = new Map<Provider, InferenceFigures>();
  const train = new Map<Provider, TrainingFigures>();
  for (const provider of providers) {
    try {
      const t0 = performance.now();
      inf.set(provider, await inference(provider));
      log(`inference on ${provider}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      log(`inference on ${provider} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      train.set(provider, await training(provider));
      log(`training on ${provider}: done`);
    } catch (error) {
      log(`training on ${provider} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const [first, ...others] = providers;
  const base = first ? inf.get(first) : undefined;
  const baseTrain = first ? train.get(first) : undefined;
  for (const p of providers) {
    const f = inf.get(p);
    if (f)
      log(
        `${p}: prefill 512 ${f.prefill512.toFixed(0)} tok/s, decode b1 ${f.decodeB1.toFixed(1)} tok/s, b8 ${f.decodeB8.toFixed(1)} tok/s` +
          (base && p !== first
            ? ` (x${(f.prefill512 / base.prefill512).toFixed(2)}, x${(f.decodeB1 / base.decodeB1).toFixed(2)}, x${(f.decodeB8 / base.decodeB8).toFixed(2)} of ${first})`
            : ''),
      );
    const t = train.get(p);
    if (t)
      log(
        `${p}: training step (LoRA q/v r 8, 8 x 128 tokens) ${t.stepMs.toFixed(0)} ms = ${((8 * 128) / (t.stepMs / 1000)).toFixed(0)} tok/s, loss ${t.loss.toFixed(6)}` +
          (baseTrain && p !== first ? ` (x${(baseTrain.stepMs / t.stepMs).toFixed(2)} the speed of ${first})` : ''),
      );
  }
  for (const p of others) {
    const f = inf.get(p);
    if (base && f) {
      const d = drift(f.logits, base.logits);
      const same = f.tokens.every((t, i) => t === base.tokens[i]) && f.tokens.length === base.tokens.length;
      log(
        `parity ${p} vs ${first}: prefill logits max |diff| ${d.abs.toExponential(2)} (max |logit| ${d.scale.toFixed(2)}); greedy 16 tokens ${same ? 'identical' : `differ: ${f.tokens.join(' ')} vs ${base.tokens.join(' ')}`}`,
      );
    }
    const t = train.get(p);
    if (baseTrain && t) {
      const rel = Math.abs(t.loss - baseTrain.loss) / Math.abs(baseTrain.loss);
      const grads = t.grads.map((g, i) => {
        const d = drift(g, baseTrain.grads[i] as Float32Array);
        return d.abs / (d.scale || 1);
      });
      log(
        `parity ${p} vs ${first}: loss relative ${rel.toExponential(2)}; gradients max |diff| / max |grad| ${Math.max(...grads).toExponential(2)} over ${grads.length} tensors`,
      );
    }
  }
}

await main();
