// Gradient checks (docs/style.md, "every op has an oracle test"): the analytic gradients of the emitted backward graph
// against central finite differences of the forward graph, both run by onnxruntime, on inputs from a seeded PRNG.
import { BugError } from '../../../shared/errors';
import {
  GraphBuilder,
  encodeModel,
  formatShape,
  tensor,
  type DType,
  type Graph,
  type Tensor,
  type Value,
} from '../graph';
import { isStatic, numel } from '../graph/shape';
import { f16BitsToNumber } from '../models/tensor-data';
import { EngineSession } from '../runtime';
import { buildBackward, gradName } from './backward';

/**
 * Step and tolerances per dtype; a check uses the loosest of its loss's and parameter's dtypes. float64 losses use
 * plain central differences, float32/float16 losses one Richardson step (see finiteDifferences).
 */
export interface Tolerance {
  /** Finite-difference step (the actual step is read back after rounding to the parameter's dtype). */
  readonly eps: number;
  readonly atol: number;
  readonly rtol: number;
}
export const TOLERANCES = {
  float64: { eps: 1e-6, atol: 1e-7, rtol: 1e-6 },
  float32: { eps: 1e-2, atol: 2e-3, rtol: 2e-3 },
  float16: { eps: 1 / 64, atol: 1e-2, rtol: 1e-2 },
} as const satisfies Record<string, Tolerance>;
type CheckedDType = keyof typeof TOLERANCES;

export interface GradcheckCase {
  readonly name: string;
  /** Declares inputs (static shapes) and computes the output to check; returns it with the parameters. */
  build(g: GraphBuilder): { output: Value; params: readonly Value[] };
  /** Feeds for inputs that are not uniform random floats in [-1, 1): ids, masks, positive values. */
  readonly feeds?: Readonly<Record<string, Tensor>>;
  readonly seed?: number;
  readonly tolerance?: Partial<Tolerance>;
  /** Folder of external-data initializers (a checkpoint's safetensors). */
  readonly externalDataFolder?: string;
}

export interface ParamCheck {
  readonly name: string;
  readonly analytic: Float64Array;
  readonly numerical: Float64Array;
  /** Largest |analytic - numerical| / (atol + rtol * max(|analytic|, |numerical|)); at most 1 passes. */
  readonly worst: number;
}

export interface GradcheckResult {
  readonly ok: boolean;
  readonly params: readonly ParamCheck[];
  /** One line per failing element (the first few per parameter). */
  readonly failures: readonly string[];
  /** The forward graph (output "loss") and the graph with gradients, for checks on their nodes. */
  readonly forward: Graph;
  readonly backward: Graph;
}

/**
 * Checks d(loss)/d(param) for every parameter element. A non-scalar output y is reduced to the scalar
 * loss = sum(y * w) with a random cotangent w (input "gradcheck.w"): the check covers a whole vector-Jacobian product.
 */
export async function gradcheck(c: GradcheckCase): Promise<GradcheckResult> {
  const rng = new SeededRandom(c.seed ?? 1);
  const g = new GraphBuilder(`gradcheck.${c.name}`);
  const { output, params } = c.build(g);
  const loss =
    output.shape.length === 0
      ? output
      : g.op.ReduceSum(g.op.Mul(output, g.input('gradcheck.w', output.dtype, output.shape)), undefined, {
          keepdims: false,
        });
  g.output('loss', loss);
  const forward = g.build();
  const backward = buildBackward(forward, { loss, params });

  const fed = new Set(forward.inputs);
  const initializer = params.find((p) => !fed.has(p));
  if (initializer)
    throw new BugError(
      `gradcheck ${c.name}: parameter ${initializer.name} must be a graph input (initializers cannot be perturbed)`,
    );
  const feeds: Record<string, Tensor> = {};
  for (const v of forward.inputs) {
    const given = c.feeds?.[v.name];
    if (given) feeds[v.name] = given;
    else if (isStatic(v.shape)) feeds[v.name] = randomTensor(v.dtype, v.shape, rng);
    else
      throw new BugError(`gradcheck ${c.name}: input ${v.name} ${formatShape(v.shape)} needs a feed (symbolic dims)`);
  }
  const options = { threads: 1, ...(c.externalDataFolder ? { externalDataFolder: c.externalDataFolder } : {}) };
  const fwd = await EngineSession.create(encodeModel(forward), options);
  try {
    const bwd = await EngineSession.create(encodeModel(backward), options);
    try {
      const results = await bwd.run(feeds);
      const lossOf = async (): Promise<number> => valuesOf((await fwd.run(feeds))['loss'] as Tensor)[0] as number;
      const { checks, failures } = await compare(params, results, feeds, loss.dtype, lossOf, c.tolerance);
      return { ok: failures.length === 0, params: checks, failures, forward, backward };
    } finally {
      await bwd.dispose();
    }
  } finally {
    await fwd.dispose();
  }
}

async function compare(
  params: readonly Value[],
  results: Readonly<Record<string, Tensor>>,
  feeds: Readonly<Record<string, Tensor>>,
  lossType: DType,
  lossOf: () => Promise<number>,
  override: Partial<Tolerance> | undefined,
): Promise<{ checks: ParamCheck[]; failures: string[] }> {
  const checks: ParamCheck[] = [];
  const failures: string[] = [];
  for (const p of params) {
    const t = toleranceFor(lossType, p.dtype, override);
    const grad = results[gradName(p.name)] as Tensor;
    const fed = feeds[p.name] as Tensor;
    if (grad.dtype !== fed.dtype || grad.dims.join() !== fed.dims.join()) {
      failures.push(
        `${p.name}: gradient is ${grad.dtype} ${formatShape(grad.dims)}, parameter ${fed.dtype} ${formatShape(fed.dims)}`,
      );
      continue;
    }
    const analytic = valuesOf(grad);
    const numerical = await finiteDifferences(fed, t.eps, lossType !== 'float64', lossOf);
    let worst = 0;
    analytic.forEach((a, i) => {
      const n = numerical[i] as number;
      const ratio = Math.abs(a - n) / (t.atol + t.rtol * Math.max(Math.abs(a), Math.abs(n)));
      worst = Math.max(worst, Number.isNaN(ratio) ? Infinity : ratio);
      if (!(ratio <= 1) && failures.length < 20) failures.push(`${p.name}[${i}]: analytic ${a}, numerical ${n}`);
    });
    checks.push({ name: p.name, analytic, numerical, worst });
  }
  return { checks, failures };
}

function toleranceFor(lossType: DType, paramType: DType, override: Partial<Tolerance> | undefined): Tolerance {
  const table = (d: DType): Tolerance => {
    if (!Object.hasOwn(TOLERANCES, d)) throw new BugError(`gradcheck: no tolerances for ${d}`);
    return TOLERANCES[d as CheckedDType];
  };
  const [a, b] = [table(lossType), table(paramType)];
  return { eps: Math.max(a.eps, b.eps), atol: Math.max(a.atol, b.atol), rtol: Math.max(a.rtol, b.rtol), ...override };
}

/**
 * Central differences D(h) = (L(x + h e_i) - L(x - h e_i)) / 2h, with h read back after rounding to x's dtype.
 * richardson: (4 D(h/2) - D(h)) / 3, which cancels the O(h²) error, so float32 losses can take a step large enough
 * to stay above their rounding noise.
 */
async function finiteDifferences(
  x: Tensor,
  eps: number,
  richardson: boolean,
  lossOf: () => Promise<number>,
): Promise<Float64Array> {
  const data = x.data as Float64Array | Float32Array | Uint16Array;
  const out = new Float64Array(data.length);
  const read = (i: number): number =>
    x.dtype === 'float16' ? f16BitsToNumber(data[i] as number) : (data[i] as number);
  const write = (i: number, v: number): void => void (data[i] = x.dtype === 'float16' ? f16Bits(v) : v);
  const central = async (i: number, center: number, h: number): Promise<number> => {
    write(i, center + h);
    const plus = read(i);
    const lossPlus = await lossOf();
    write(i, center - h);
    const minus = read(i);
    const lossMinus = await lossOf();
    return (lossPlus - lossMinus) / (plus - minus);
  };
  for (let i = 0; i < data.length; i++) {
    const raw = data[i] as number;
    const center = read(i);
    const d = await central(i, center, eps);
    out[i] = richardson ? (4 * (await central(i, center, eps / 2)) - d) / 3 : d;
    data[i] = raw;
  }
  return out;
}

/** Elements as float64 numbers (float16 decoded). */
export function valuesOf(t: Tensor): Float64Array {
  if (t.dtype === 'float16') return Float64Array.from(t.data as Uint16Array, f16BitsToNumber);
  if (t.dtype === 'float32' || t.dtype === 'float64') return Float64Array.from(t.data as Float32Array);
  throw new BugError(`gradcheck: cannot read ${t.dtype} values`);
}

/** Uniform values in [min, max) of a float dtype (float16 rounded to nearest). */
export function randomTensor(dtype: DType, dims: readonly number[], rng: SeededRandom, min = -1, max = 1): Tensor {
  const values = Array.from({ length: numel(dims) }, () => min + (max - min) * rng.next());
  if (dtype === 'float64') return tensor('float64', dims, Float64Array.from(values));
  if (dtype === 'float32') return tensor('float32', dims, Float32Array.from(values));
  if (dtype === 'float16') return tensor('float16', dims, Uint16Array.from(values, f16Bits));
  throw new BugError(`gradcheck: cannot draw random ${dtype} values; pass a feed`);
}

/** mulberry32: a tiny seeded PRNG, so every run checks the same numbers. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** IEEE binary16 bits of a number, rounded to nearest even (magnitudes below 2^-14 flush to zero). */
function f16Bits(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  let half = (exponent << 10) | ((bits >>> 13) & 0x3ff);
  const rest = bits & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}
