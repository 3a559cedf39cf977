// bench/matmul-kernels: one linear layer of the bench model's shapes through each CPU kernel ORT offers for it (f32
// MatMul / FusedMatMul with and without prepacking, MatMulNBits 8/4-bit at accuracy 0 and 4, DynamicQuantizeMatMul
// int8), at decode (M = 1), prefill and training row counts, in alternating rounds: which path is fastest where.
// Not part of `npm test`. Run from the repository root: node bench/run.mjs bench/matmul-kernels.ts [--flags].
import { encodeModel, GraphBuilder, tensor, type Tensor, type Value } from '../src/main/engine/graph';
import { quantizeMatrix, type QuantBits } from '../src/main/engine/models/quantize';
import { BenchSession } from './lib/sessions';
import { loadLine, median } from './lib/stats';

interface Args {
  threads: number;
  rounds: number;
  rows: number[];
  shapes: [number, number][];
  variants: string[];
}

const ALL = ['f32', 'f32-lean', 'q8a4', 'q4a4', 'q8a0', 'q4a0', 'int8'];

function parseArgs(argv: string[]): Args {
  const a: Args = {
    threads: 2,
    rounds: 5,
    rows: [1, 512, 1024],
    shapes: [
      [576, 1536],
      [1536, 576],
    ],
    variants: ALL,
  };
  for (const arg of argv) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    if (key === 'threads' || key === 'rounds') a[key] = Number(value);
    else if (key === 'rows') a.rows = value.split(',').map(Number);
    else if (key === 'shapes') a.shapes = value.split(',').map((s) => s.split('x').map(Number) as [number, number]);
    else if (key === 'variants') a.variants = value.split(',');
    else
      throw new Error(
        `unknown argument ${arg} (known: --threads=N --rounds=N --rows=1,512 --shapes=576x1536 --variants=${ALL.join(',')})`,
      );
  }
  return a;
}

/** y = x W^T for W [N, K] through one variant's kernel. */
function graphOf(variant: string, K: number, N: number, w: Float32Array): Uint8Array {
  const g = new GraphBuilder(`mm-${variant}`);
  const x = g.input('x', 'float32', ['M', K]);
  let y: Value;
  if (variant === 'f32' || variant === 'f32-lean') {
    y = g.op.FusedMatMul(x, g.initializer('w', tensor('float32', [N, K], w)));
  } else if (variant === 'int8') {
    // Per-column symmetric int8 of W^T [K, N].
    const codes = new Int8Array(K * N);
    const scales = new Float32Array(N);
    for (let n = 0; n < N; n++) {
      let max = 0;
      for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(w[n * K + k] as number));
      const s = max / 127 || 1;
      scales[n] = s;
      for (let k = 0; k < K; k++) codes[k * N + n] = Math.round((w[n * K + k] as number) / s);
    }
    y = g.op.DynamicQuantizeMatMul(
      x,
      g.initializer('w', tensor('int8', [K, N], codes)),
      g.initializer('s', tensor('float32', [N], scales)),
    );
  } else {
    const bits = Number(variant.slice(1, 2)) as QuantBits;
    const q = quantizeMatrix(w, N, K, bits);
    const blocks = Math.ceil(K / q.blockSize);
    y = g.op.MatMulNBits(
      x,
      g.initializer('w', tensor('uint8', [N, blocks, (q.blockSize * bits) / 8], q.data)),
      g.initializer('s', tensor('float32', [N * blocks], q.scales)),
      { N, K, bits, blockSize: q.blockSize, accuracyLevel: variant.endsWith('a4') ? 4 : 0 },
    );
  }
  g.output('y', y);
  return encodeModel(g.build());
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  console.log(`bench/matmul-kernels: ${a.threads} threads, ${a.rounds} rounds; ${loadLine()}`);
  console.log('  GFLOP/s (median of rounds) and the ratio to f32 (median of per-round ratios)');
  for (const [K, N] of a.shapes) {
    const w = Float32Array.from({ length: N * K }, (_, i) => Math.sin(i * 0.7) * 0.05);
    const sessions = new Map<string, BenchSession>();
    for (const v of a.variants)
      sessions.set(
        v,
        await BenchSession.create({ model: graphOf(v, K, N, w) }, { threads: a.threads, lean: v === 'f32-lean' }),
      );
    for (const M of a.rows) {
      const x: Tensor = tensor(
        'float32',
        [M, K],
        Float32Array.from({ length: M * K }, (_, i) => Math.cos(i * 0.3)),
      );
      const reps = Math.max(3, Math.round(2e9 / (2 * M * K * N)));
      const rate = new Map<string, number[]>(a.variants.map((v) => [v, []]));
      for (let r = 0; r < a.rounds; r++) {
        for (let i = 0; i < a.variants.length; i++) {
          const v = a.variants[(i + r) % a.variants.length] as string;
          const s = sessions.get(v) as BenchSession;
          await s.run({ x });
          const t = performance.now();
          for (let k = 0; k < reps; k++) await s.run({ x });
          rate.get(v)?.push((2 * M * K * N * reps) / ((performance.now() - t) / 1000) / 1e9);
        }
      }
      const base = rate.get('f32') ?? [];
      const cells = a.variants.map((v) => {
        const rs = rate.get(v) ?? [];
        const ratio = base.length ? median(rs.map((x, i) => x / (base[i] as number))) : NaN;
        return `${v} ${median(rs).toFixed(1)} (${ratio.toFixed(2)}x)`;
      });
      console.log(`  K ${K} N ${N} M ${M}: ${cells.join('  ')}; ${loadLine()}`);
    }
    for (const s of sessions.values()) await s.dispose();
  }
}

await main();
