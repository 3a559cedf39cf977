// The diagnostic MLP: h = tanh(h W_l + b_l) for l < layers, then s = sum_j h[:, j]. Built as an ONNX graph and,
// for checking, computed in plain JS (float64) row by row: each output row depends only on its input row.
import { GraphBuilder, f32, type Graph, type Tensor } from '../graph';

export interface MlpSpec {
  /** n: width of every layer. */
  readonly size: number;
  readonly layers: number;
}

export interface MlpWeights {
  /** W_l: [n, n] row-major, one per layer. */
  readonly w: readonly Float32Array[];
  /** b_l: [n]. */
  readonly b: readonly Float32Array[];
}

/** Deterministic pseudo-random floats in [-1, 1) (mulberry32), so every run checks the same numbers. */
export function randomFloats(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function mlpWeights(spec: MlpSpec, seed = 1): MlpWeights {
  const n = spec.size;
  const scale = 1 / Math.sqrt(n); // keeps pre-activations O(1) so tanh is not saturated
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l < spec.layers; l++) {
    w.push(randomFloats(n * n, seed + 2 * l).map((v) => v * scale));
    b.push(randomFloats(n, seed + 2 * l + 1).map((v) => v * 0.1));
  }
  return { w, b };
}

/** Graph inputs: x [N, n]; outputs: y [N, n], s [N]. */
export function buildMlpGraph(spec: MlpSpec, weights: MlpWeights): Graph {
  const n = spec.size;
  const g = new GraphBuilder(`mlp_${n}x${spec.layers}`);
  let h = g.input('x', 'float32', ['N', n]);
  for (let l = 0; l < spec.layers; l++) {
    h = g.scope(`layers.${l}`, () => {
      const w = g.initializer(`layers.${l}.weight`, f32([n, n], weights.w[l] ?? []));
      const b = g.initializer(`layers.${l}.bias`, f32([n], weights.b[l] ?? []));
      return g.op.Tanh(g.op.Add(g.op.MatMul(h, w), b));
    });
  }
  g.output('y', h);
  g.output('s', g.op.ReduceSum(h, [1], { keepdims: false }));
  return g.build();
}

/** The same arithmetic in float64 JS for one input row: returns y[row] and s[row]. */
export function mlpReferenceRow(
  spec: MlpSpec,
  weights: MlpWeights,
  xRow: Float32Array,
): { y: Float64Array; s: number } {
  const n = spec.size;
  let h = Float64Array.from(xRow);
  for (let l = 0; l < spec.layers; l++) {
    const w = weights.w[l] as Float32Array;
    const b = weights.b[l] as Float32Array;
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let acc = b[j] as number;
      for (let k = 0; k < n; k++) acc += (h[k] as number) * (w[k * n + j] as number);
      next[j] = Math.tanh(acc);
    }
    h = next;
  }
  return { y: h, s: h.reduce((a, v) => a + v, 0) };
}

export function mlpInput(spec: MlpSpec, rows: number, seed = 7): Tensor<'float32'> {
  return f32([rows, spec.size], randomFloats(rows * spec.size, seed));
}
