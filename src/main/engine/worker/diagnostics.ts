// The worker's diagnostic methods: ping, selfTest (ORT against plain JS on a small MLP) and burn (a long,
// cancellable run with progress, used by tests and to see the engine under load).
import { encodeModel } from '../graph';
import type { EngineMethods } from '../protocol';
import { EngineSession } from '../runtime';
import type { HandlerTable } from './handler';
import { buildMlpGraph, mlpInput, mlpReferenceRow, mlpWeights } from './mlp';

const TOLERANCE = 1e-4; // relative to max(1, |reference|); float32 ORT against float64 JS

export const diagnostics: Pick<HandlerTable<EngineMethods>, 'ping' | 'selfTest' | 'burn'> = {
  ping: async () => ({ pong: true, uptimeMs: performance.now(), rssBytes: process.memoryUsage().rss }),

  selfTest: async ({ size, layers }, ctx) => {
    const spec = { size, layers };
    const started = performance.now();
    const weights = mlpWeights(spec);
    const x = mlpInput(spec, size); // x: [n, n]
    const session = await EngineSession.create(encodeModel(buildMlpGraph(spec, weights)), {
      threads: ctx.config.threads,
      spinThreads: ctx.config.spinThreads,
    });
    const provider = session.provider;
    let out;
    const runStarted = performance.now();
    try {
      out = await session.run({ x });
    } finally {
      await session.dispose();
    }
    const runMs = performance.now() - runStarted;
    const y = out['y']?.data as Float32Array; // y: [n, n]
    const s = out['s']?.data as Float32Array; // s: [n]
    let maxAbsError = 0;
    let ok = true;
    const compare = (got: number | undefined, want: number): void => {
      const err = Math.abs((got ?? Number.NaN) - want);
      maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Infinity : err);
      if (!(err <= TOLERANCE * Math.max(1, Math.abs(want)))) ok = false;
    };
    const rows = sampleRows(size, 8);
    for (const row of rows) {
      const ref = mlpReferenceRow(spec, weights, x.data.subarray(row * size, (row + 1) * size));
      ref.y.forEach((want, j) => compare(y[row * size + j], want));
      compare(s[row], ref.s);
    }
    const milliseconds = performance.now() - started;
    return {
      ok,
      milliseconds,
      provider,
      maxAbsError,
      detail:
        `${layers} x (MatMul ${size}x${size} + Add + Tanh) + ReduceSum on ${provider}, ${rows.length} rows checked ` +
        `against JS: max abs error ${maxAbsError.toExponential(2)} (tolerance ${TOLERANCE}); run ${runMs.toFixed(1)} ms`,
    };
  },

  burn: async ({ size, layers, runs }, ctx) => {
    const spec = { size, layers };
    const x = mlpInput(spec, size); // x: [n, n]
    const session = await EngineSession.create(encodeModel(buildMlpGraph(spec, mlpWeights(spec))), {
      threads: ctx.config.threads,
      spinThreads: ctx.config.spinThreads,
    });
    const started = performance.now();
    try {
      for (let run = 1; run <= runs; run++) {
        await ctx.checkpoint();
        await session.run({ x });
        ctx.progress({ run, runs });
      }
    } finally {
      await session.dispose();
    }
    return { runs, milliseconds: performance.now() - started };
  },
};

/** Up to `count` row indices spread over [0, n), always including the first and last. */
function sampleRows(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1))))];
}
