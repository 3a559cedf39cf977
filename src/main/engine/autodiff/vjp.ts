// The VJP table: op type -> vector-Jacobian product, written as builder calls that emit plain ONNX ops (ORT's
// onnxruntime-node has no gradient kernels). Formulas after ORT's orttraining/core/graph/gradient_builder.cc; dY is the
// upstream gradient, dX the result. Shape-moving ops are in vjp-shape.ts.
import { BugError } from '../../../shared/errors';
import { i64, isOpName, type GraphBuilder, type OpName, type Value } from '../graph';
import { axesOf, intAttr } from '../graph/op-def';
import { INFERENCE_ONLY, NONE, type Vjp, type VjpContext, type VjpEntry } from './context';
import { scalar, shapeOf, transposeLast2, unbroadcast } from './emit';
import { lossVjps } from './vjp-loss';
import { shapeVjps } from './vjp-shape';

/** Gradients of A and B for an elementwise binary op, reduced over the axes each was broadcast along. */
function binary(dA: (c: VjpContext) => Value, dB: (c: VjpContext) => Value): Vjp {
  return (c) => [
    c.needs(0) ? unbroadcast(c.g, dA(c), c.x(0)) : null,
    c.needs(1) ? unbroadcast(c.g, dB(c), c.x(1)) : null,
  ];
}

/** dX = dY * f(c) for an elementwise unary op. */
function unary(factor: (c: VjpContext) => Value): Vjp {
  return (c) => [c.g.op.Mul(c.dY, factor(c))];
}

function one(c: VjpContext, like: Value): Value {
  return scalar(c.g, like.dtype, 1);
}

/** ReduceSum/ReduceMean: dY put back at the reduced axes (Unsqueeze when keepdims=0), then Expand to X's shape. */
function reduceVjp(mean: boolean): Vjp {
  return (c) => {
    const { g } = c;
    const x = c.x(0);
    const rank = x.shape.length;
    const listed = c.node.inputs[1] ? c.ints(1) : [];
    if (!listed || listed.some((a) => typeof a !== 'number'))
      throw new BugError(`autodiff: ${c.node.name} has axes unknown while building`);
    const axes = listed.length > 0 ? axesOf(listed as number[], rank, x.shape) : x.shape.map((_, i) => i);
    let dY = c.dY;
    if (intAttr(c.attrs, 'keepdims', 1) === 0 && axes.length > 0)
      dY = g.op.Unsqueeze(
        dY,
        [...axes].sort((p, q) => p - q),
      );
    const dX = g.op.Expand(dY, shapeOf(g, x));
    if (!mean) return [dX];
    return [g.op.Div(dX, reducedCount(g, x, axes))];
  };
}

/** Number of elements averaged by ReduceMean, as a scalar of X's dtype (from Shape when dims are symbolic). */
function reducedCount(g: GraphBuilder, x: Value, axes: readonly number[]): Value {
  const dims = axes.map((a) => x.shape[a]);
  if (dims.every((d) => typeof d === 'number'))
    return scalar(
      g,
      x.dtype,
      (dims as number[]).reduce((n, d) => n * d, 1),
    );
  const shape = g.op.Shape(x);
  const factors = axes.map((a) => g.op.Gather(shape, g.constant(i64([], [a]))));
  const count = factors.reduce((n, f) => g.op.Mul(n, f));
  return g.op.Cast(count, x.dtype);
}

/**
 * The transpose of MatMul input i (rank >= 2). When that input is Transpose(W) of a 2-D W (nn.Linear's x·Wᵀ), W
 * itself: a frozen weight is then never transposed twice (ORT would fold that into another copy of the weight).
 */
function transposedInput(c: VjpContext, i: number, v: Value): Value {
  const p = c.producer(i);
  const source = p?.op === 'Transpose' ? p.inputs[0] : undefined;
  if (source && source.shape.length === 2 && c.x(i).shape.length === 2) return c.value(source);
  return transposeLast2(c.g, v);
}

/**
 * MatMul with NumPy batch broadcasting; rank-1 operands are promoted as the spec says. dA = dY·Bᵀ, dB = Aᵀ·dY, each
 * reduced over broadcast batch axes. For a 2-D B (a weight, LoRA's Aᵀ or Bᵀ) with batched A, rows are flattened first
 * so dB is one [K, N] MatMul instead of a [batch, K, N] tensor summed afterwards.
 */
const matMul: Vjp = (c) => {
  const { g } = c;
  let [a, b, dY] = [c.x(0), c.x(1), c.dY];
  const aVec = a.shape.length === 1;
  const bVec = b.shape.length === 1;
  if (bVec) [b, dY] = [g.op.Unsqueeze(b, [1]), g.op.Unsqueeze(dY, [-1])]; // B [K, 1], dY [..., M, 1]
  if (aVec) [a, dY] = [g.op.Unsqueeze(a, [0]), g.op.Unsqueeze(dY, [-2])]; // A [1, K], dY [..., 1, N]
  let dA: Value | null = null;
  let dB: Value | null = null;
  if (c.needs(0)) {
    dA = unbroadcast(g, g.op.MatMul(dY, transposedInput(c, 1, b)), a); // [..., M, K]
    if (aVec) dA = g.op.Squeeze(dA, [0]);
  }
  if (c.needs(1)) {
    if (b.shape.length === 2 && a.shape.length > 2) {
      const rows = (v: Value): Value =>
        g.op.Reshape(v, g.op.Concat([g.constant(i64([1], [-1])), g.op.Shape(v, -1)], 0));
      dB = g.op.MatMul(g.op.Transpose(rows(a)), rows(dY)); // [K, rows] x [rows, N]
    } else {
      dB = unbroadcast(g, g.op.MatMul(transposedInput(c, 0, a), dY), b); // [..., K, N]
    }
    if (bVec) dB = g.op.Squeeze(dB, [1]);
  }
  return [dA, dB];
};

/**
 * FusedMatMul(A, B, transB = 1) = A·Bᵀ for B [N, K] (nn.Linear): dA = dY·B (B as stored, so a frozen weight is read
 * in place), dB = dYᵀ·A over the flattened rows of A, [N, K].
 */
const fusedMatMul: Vjp = (c) => {
  const { g } = c;
  const [a, b, dY] = [c.x(0), c.x(1), c.dY];
  const dA = c.needs(0) ? g.op.MatMul(dY, b) : null; // [..., K]
  let dB: Value | null = null;
  if (c.needs(1)) {
    const rows = (v: Value): Value => g.op.Reshape(v, g.op.Concat([g.constant(i64([1], [-1])), g.op.Shape(v, -1)], 0));
    dB = g.op.MatMul(g.op.Transpose(rows(dY)), rows(a)); // [N, rows] x [rows, K]
  }
  return [dA, dB];
};

const softmax: Vjp = (c) => {
  const { g } = c;
  const y = c.y();
  const axis = intAttr(c.attrs, 'axis', -1);
  const dot = g.op.ReduceSum(g.op.Mul(c.dY, y), [axis]); // [..., 1, ...]
  return [g.op.Mul(y, g.op.Sub(c.dY, dot))];
};

/** LogSoftmax(axis): dX = dY - Exp(Y) * ReduceSum(dY, axis, keepdims) (ORT's LogSoftmaxGrad). */
const logSoftmax: Vjp = (c) => {
  const { g } = c;
  const axis = intAttr(c.attrs, 'axis', -1);
  const total = g.op.ReduceSum(c.dY, [axis]); // [..., 1, ...]
  return [g.op.Sub(c.dY, g.op.Mul(g.op.Exp(c.y()), total))];
};

const pow: Vjp = (c) => {
  const { g } = c;
  if (c.needs(1))
    throw new BugError(`autodiff: ${c.node.name}: the gradient of Pow's exponent needs Log, which the builder lacks`);
  const x = c.x(0);
  const p = c.x(1).dtype === x.dtype ? c.x(1) : g.op.Cast(c.x(1), x.dtype);
  const dX = g.op.Mul(c.dY, g.op.Mul(p, g.op.Pow(x, g.op.Sub(p, one(c, p))))); // dY·p·x^(p-1)
  return [unbroadcast(g, dX, x), null];
};

/**
 * RMSNormalization (last axis), Y = X r s with r = (mean(X²) + eps)^-1/2 recomputed on [..., 1]: with G = dY s,
 * dX = r G - X r³ mean(G X); dScale = sum over rows of dY X r. Six [..., C] passes where the decomposed form's chain
 * rule took about ten and a Pow.
 */
const rmsNormalization: Vjp = (c) => {
  const { g } = c;
  const x = c.x(0);
  const scale = c.x(1);
  const eps = c.attrs['epsilon'];
  const epsilon = eps?.kind === 'float' ? eps.value : 1e-5;
  const r = g.op.Reciprocal(g.op.Sqrt(g.op.Add(g.op.ReduceMean(g.op.Mul(x, x), [-1]), scalar(g, x.dtype, epsilon)))); // [..., 1]
  let dX: Value | null = null;
  if (c.needs(0)) {
    const gs = g.op.Mul(c.dY, scale);
    const k = g.op.Mul(g.op.ReduceMean(g.op.Mul(gs, x), [-1]), g.op.Mul(r, g.op.Mul(r, r))); // [..., 1]
    dX = g.op.Sub(g.op.Mul(gs, r), g.op.Mul(x, k));
  }
  const dScale = c.needs(1) ? unbroadcast(g, g.op.Mul(c.dY, g.op.Mul(x, r)), scale) : null;
  return [dX, dScale];
};

/**
 * RotaryEmbedding rotates each (x1, x2) pair by the angle whose cos/sin it is given; its Jacobian is that rotation,
 * so dX is dY rotated back: RotaryEmbedding(dY, cos, -sin). cos/sin come from positions and get no gradient.
 */
const rotaryEmbedding: Vjp = (c) => {
  if (c.needs(1) || c.needs(2))
    throw new BugError(`autodiff: ${c.node.name}: no gradient for RotaryEmbedding's cos/sin caches`);
  const { g } = c;
  return [g.op.RotaryEmbedding(c.dY, c.x(1), g.op.Neg(c.x(2)), intAttr(c.attrs, 'num_heads', 0)), null, null];
};

export const vjps = {
  ...shapeVjps,
  ...lossVjps,
  Add: binary(
    (c) => c.dY,
    (c) => c.dY,
  ),
  Sub: binary(
    (c) => c.dY,
    (c) => c.g.op.Neg(c.dY),
  ),
  Mul: binary(
    (c) => c.g.op.Mul(c.dY, c.x(1)),
    (c) => c.g.op.Mul(c.dY, c.x(0)),
  ),
  Div: binary(
    (c) => c.g.op.Div(c.dY, c.x(1)),
    (c) => c.g.op.Neg(c.g.op.Div(c.g.op.Mul(c.dY, c.y()), c.x(1))), // -dY·A/B² = -dY·Y/B
  ),
  Pow: pow,
  Sqrt: (c) => [c.g.op.Div(c.g.op.Mul(c.dY, scalar(c.g, c.dY.dtype, 0.5)), c.y())], // dY·0.5/Y
  Reciprocal: unary((c) => c.g.op.Neg(c.g.op.Mul(c.y(), c.y()))), // -Y²
  Sin: unary((c) => c.g.op.Cos(c.x(0))),
  Cos: unary((c) => c.g.op.Neg(c.g.op.Sin(c.x(0)))),
  Exp: unary((c) => c.y()),
  Tanh: unary((c) => c.g.op.Sub(one(c, c.y()), c.g.op.Mul(c.y(), c.y()))), // 1 - Y²
  Sigmoid: unary((c) => c.g.op.Mul(c.y(), c.g.op.Sub(one(c, c.y()), c.y()))), // Y·(1 - Y)
  Relu: (c) => [c.g.op.Where(c.g.op.Greater(c.x(0), scalar(c.g, c.dY.dtype, 0)), c.dY, scalar(c.g, c.dY.dtype, 0))],
  Neg: (c) => [c.g.op.Neg(c.dY)],
  Identity: (c) => [c.dY],
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  RotaryEmbedding: rotaryEmbedding,
  RMSNormalization: rmsNormalization,
  /** Inference graphs only (graph/ops-inference.ts): training graphs keep the decomposed forms, which have VJPs. */
  Attention: INFERENCE_ONLY,
  GroupQueryAttention: INFERENCE_ONLY,
  SkipSimplifiedLayerNormalization: INFERENCE_ONLY,
  MatMulNBits: INFERENCE_ONLY,
  // The int8 prefill's per-position activation scale (models/graph-weights.ts); training reads weights as stored.
  ReduceMax: INFERENCE_ONLY,
  Abs: INFERENCE_ONLY,
  DynamicQuantizeMatMul: INFERENCE_ONLY,
  Log: (c) => [c.g.op.Div(c.dY, c.x(0))], // dY / X
  /** Where(condition, X, Y): dX = Where(condition, dY, 0), dY' = Where(condition, 0, dY). */
  Where: (c) => {
    const zero = scalar(c.g, c.dY.dtype, 0);
    return [
      null,
      c.needs(1) ? unbroadcast(c.g, c.g.op.Where(c.x(0), c.dY, zero), c.x(1)) : null,
      c.needs(2) ? unbroadcast(c.g, c.g.op.Where(c.x(0), zero, c.dY), c.x(2)) : null,
    ];
  },
  MatMul: matMul,
  FusedMatMul: fusedMatMul,
  ReduceSum: reduceVjp(false),
  ReduceMean: reduceVjp(true),
  Cast: (c) => [c.g.op.Cast(c.dY, c.x(0).dtype)],
  Transpose: (c) => {
    const rank = c.dY.shape.length;
    const perm =
      c.attrs['perm']?.kind === 'ints' ? c.attrs['perm'].value : Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [c.g.op.Transpose(c.dY, inverse)];
  },
  Equal: NONE,
  Less: NONE,
  LessOrEqual: NONE,
  Greater: NONE,
  And: NONE,
  Not: NONE,
  Constant: NONE,
} satisfies Record<OpName, VjpEntry>;

/** The table's row for an op; undefined only for a name that is not an op of the builder. */
export function vjpOf(op: string): VjpEntry | undefined {
  return isOpName(op) ? vjps[op] : undefined;
}
