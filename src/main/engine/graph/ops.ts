// The op table: every operator the builder knows, defined once, named and typed after the ONNX spec
// (https://onnx.ai/onnx/operators/). Adding an op = one entry here; the builder and verifier pick it up.
import { dtypeFromOnnx, type DType } from './dtype';
import { attr, type Attrs, type Value } from './ir';
import {
  T,
  axesOf,
  broadcastOrFail,
  defineOp,
  fail,
  input,
  intAttr,
  intsAttr,
  knownInts,
  onnxCode,
  requireDType,
  sameDType,
  type OpDef,
} from './op-def';
import { inferenceOps } from './ops-inference';
import { lossOps } from './ops-loss';
import { combineKnown, shapeOps } from './ops-shape';
import { formatShape, normalizeAxis, type Dim } from './shape';
import { i64, type Tensor } from './tensor';

/** Add, Sub, Mul, Div: elementwise with multidirectional broadcasting (int64 shape values propagate through). */
function binary(since: number, op?: 'Add' | 'Sub' | 'Mul'): OpDef<[a: Value, b: Value]> {
  return defineOp({
    since,
    inputNames: ['A', 'B'],
    apply: (_ctx, a: Value, b: Value) => ({ inputs: [a, b] }),
    infer: (inputs) => {
      const a = input(inputs, 0, 'A');
      const b = input(inputs, 1, 'B');
      requireDType('A', a, T.numeric);
      sameDType(a, b);
      const value = op && combineKnown(knownInts(a), knownInts(b), op);
      return [{ dtype: a.dtype, shape: broadcastOrFail(a.shape, b.shape), ...(value ? { value } : {}) }];
    },
  });
}

/** Equal, Less, Greater, ...: elementwise comparison with broadcasting -> bool. */
function compare(since: number, allowed: readonly DType[]): OpDef<[a: Value, b: Value]> {
  return defineOp({
    since,
    inputNames: ['A', 'B'],
    apply: (_ctx, a: Value, b: Value) => ({ inputs: [a, b] }),
    infer: (inputs) => {
      const a = input(inputs, 0, 'A');
      const b = input(inputs, 1, 'B');
      requireDType('A', a, allowed);
      sameDType(a, b);
      return [{ dtype: 'bool', shape: broadcastOrFail(a.shape, b.shape) }];
    },
  });
}

/** ReduceSum-13 / ReduceMean-18: over `axes` (all when omitted), axes taken as an int64 input (made a Constant). */
function reduce(since: number): OpDef<[data: Value, axes?: readonly number[], options?: { keepdims?: boolean }]> {
  return defineOp({
    since,
    inputNames: ['data', 'axes'],
    apply: (ctx, data: Value, axes?: readonly number[], options: { keepdims?: boolean } = {}) => ({
      inputs: [data, axes === undefined ? null : ctx.constant(i64([axes.length], axes))],
      attrs: { keepdims: attr.int(options.keepdims === false ? 0 : 1) },
    }),
    infer: (inputs, attrs) => {
      const data = input(inputs, 0, 'data');
      requireDType('data', data, T.numeric);
      const keepdims = intAttr(attrs, 'keepdims', 1) === 1;
      if (intAttr(attrs, 'noop_with_empty_axes', 0) !== 0) fail('noop_with_empty_axes is not supported');
      const rank = data.shape.length;
      const reduced = new Set<number>();
      const axesInput = inputs[1];
      if (axesInput) {
        if (axesInput.dtype !== 'int64' || axesInput.shape.length !== 1) fail('axes must be a 1-D int64 tensor');
        if (!axesInput.constant) fail('axes must be a constant so the output shape is known');
        for (const raw of axesInput.constant.data as BigInt64Array) {
          const axis = normalizeAxis(Number(raw), rank);
          if (axis === undefined)
            fail(`axis ${raw} is out of range for data ${formatShape(data.shape)} (rank ${rank})`);
          if (reduced.has(axis)) fail(`axis ${raw} is listed twice`);
          reduced.add(axis);
        }
      }
      if (reduced.size === 0) for (let i = 0; i < rank; i++) reduced.add(i);
      const shape = data.shape.flatMap((d, i) => (!reduced.has(i) ? [d] : keepdims ? [1] : []));
      return [{ dtype: data.dtype, shape }];
    },
  });
}

function unary(since: number, allowed: readonly DType[]): OpDef<[x: Value]> {
  return defineOp({
    since,
    inputNames: ['X'],
    apply: (_ctx, x: Value) => ({ inputs: [x] }),
    infer: (inputs) => {
      const x = input(inputs, 0, 'X');
      requireDType('X', x, allowed);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  });
}

const MATMUL_TYPES: readonly DType[] = ['float32', 'float16', 'float64', 'bfloat16', 'int32', 'int64'];

/** Softmax and LogSoftmax (opset 13): one float input normalized along `axis` (default the last), same shape out. */
function normalizeAlongAxis() {
  return defineOp({
    since: 13,
    inputNames: ['input'],
    apply: (_ctx, x: Value, axis: number = -1) => ({ inputs: [x], attrs: { axis: attr.int(axis) } }),
    infer: (inputs, attrs) => {
      const x = input(inputs, 0, 'input');
      requireDType('input', x, T.float);
      axesOf([intAttr(attrs, 'axis', -1)], x.shape.length, x.shape, 'input');
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  });
}

export const ops = {
  ...shapeOps,
  ...lossOps,
  ...inferenceOps,
  Add: binary(14, 'Add'),
  Sub: binary(14, 'Sub'),
  Mul: binary(14, 'Mul'),
  Div: binary(14),
  /** X ** Y elementwise (Y may be a float scalar exponent). */
  Pow: defineOp({
    since: 15,
    inputNames: ['X', 'Y'],
    apply: (_ctx, x: Value, y: Value) => ({ inputs: [x, y] }),
    infer: (inputs) => {
      const x = input(inputs, 0, 'X');
      const y = input(inputs, 1, 'Y');
      requireDType('X', x, T.float);
      requireDType('Y', y, T.numeric);
      return [{ dtype: x.dtype, shape: broadcastOrFail(x.shape, y.shape) }];
    },
  }),
  Sqrt: unary(13, T.float),
  Reciprocal: unary(13, T.float),
  Sin: unary(7, T.float),
  Cos: unary(7, T.float),
  Equal: compare(19, T.all),
  Less: compare(13, T.numeric),
  LessOrEqual: compare(16, T.numeric),
  Greater: compare(13, T.numeric),
  And: compare(7, ['bool']),
  Not: unary(1, ['bool']),
  /** condition ? X : Y elementwise, all three broadcast together. */
  Where: defineOp({
    since: 16,
    inputNames: ['condition', 'X', 'Y'],
    apply: (_ctx, condition: Value, x: Value, y: Value) => ({ inputs: [condition, x, y] }),
    infer: (inputs) => {
      const c = input(inputs, 0, 'condition');
      const x = input(inputs, 1, 'X');
      const y = input(inputs, 2, 'Y');
      requireDType('condition', c, ['bool']);
      sameDType(x, y);
      return [{ dtype: x.dtype, shape: broadcastOrFail(broadcastOrFail(c.shape, x.shape), y.shape) }];
    },
  }),
  /** Normalized exponential along `axis` (default the last). */
  Softmax: normalizeAlongAxis(),
  /**
   * RotaryEmbedding-23, non-interleaved (rotate_half) form: X [B, S, H*D] with num_heads = H, cos_cache and
   * sin_cache [B, S, D/2] (no position_ids input). Y = X*cos + rotate_half(X)*sin per head; Y has X's shape.
   */
  RotaryEmbedding: defineOp({
    since: 23,
    inputNames: ['X', 'cos_cache', 'sin_cache'],
    apply: (_ctx, x: Value, cos: Value, sin: Value, numHeads: number) => ({
      inputs: [x, cos, sin],
      attrs: { num_heads: attr.int(numHeads) },
    }),
    infer: (inputs, attrs) => {
      const x = input(inputs, 0, 'X');
      const cos = input(inputs, 1, 'cos_cache');
      const sin = input(inputs, 2, 'sin_cache');
      requireDType('X', x, ['float32', 'float16', 'bfloat16']);
      sameDType(x, cos);
      sameDType(x, sin);
      const heads = intAttr(attrs, 'num_heads', 0);
      if (x.shape.length !== 3) fail(`X must be [B, S, H*D], got ${formatShape(x.shape)}`);
      const hidden = x.shape[2];
      if (heads <= 0 || (typeof hidden === 'number' && hidden % heads !== 0))
        fail(`num_heads ${heads} does not divide X's last dim in ${formatShape(x.shape)}`);
      const half = typeof hidden === 'number' ? hidden / heads / 2 : undefined;
      for (const [name, c] of [
        ['cos_cache', cos],
        ['sin_cache', sin],
      ] as const) {
        const last = c.shape[2];
        if (c.shape.length !== 3 || (half !== undefined && typeof last === 'number' && last !== half)) {
          fail(
            `${name} must be [B, S, D/2]${half !== undefined ? ` with D/2 = ${half}` : ''}, got ${formatShape(c.shape)}`,
          );
        }
      }
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  }),
  /** log(softmax(x)) along `axis` (default the last), computed stably (opset 13 semantics). */
  LogSoftmax: normalizeAlongAxis(),
  Log: unary(13, T.float),
  Relu: unary(14, T.signed),
  Tanh: unary(13, T.float),
  Sigmoid: unary(13, T.float),
  Exp: unary(13, T.float),
  Neg: unary(13, T.signed),
  Identity: unary(21, T.all),

  /** Numpy matmul: [..., M, K] x [..., K, N] -> [..., M, N]; rank-1 operands are promoted then squeezed. */
  MatMul: defineOp({
    since: 13,
    inputNames: ['A', 'B'],
    apply: (_ctx, a: Value, b: Value) => ({ inputs: [a, b] }),
    infer: (inputs) => {
      const a = input(inputs, 0, 'A');
      const b = input(inputs, 1, 'B');
      requireDType('A', a, MATMUL_TYPES);
      sameDType(a, b);
      if (a.shape.length === 0 || b.shape.length === 0) fail('A and B must have rank >= 1 (scalars: use Mul)');
      const am: readonly Dim[] = a.shape.length === 1 ? [1, ...a.shape] : a.shape;
      const bm: readonly Dim[] = b.shape.length === 1 ? [...b.shape, 1] : b.shape;
      const k1 = am[am.length - 1] as Dim;
      const k2 = bm[bm.length - 2] as Dim;
      if (k1 !== k2) {
        fail(
          `inner dimensions differ: A ${formatShape(a.shape)} has ${k1} columns (last dim), ` +
            `B ${formatShape(b.shape)} has ${k2} rows (${b.shape.length === 1 ? 'its only' : 'second-to-last'} dim)`,
        );
      }
      const batch = broadcastOrFail(am.slice(0, -2), bm.slice(0, -2));
      const shape: Dim[] = [...batch];
      if (a.shape.length > 1) shape.push(am[am.length - 2] as Dim);
      if (b.shape.length > 1) shape.push(bm[bm.length - 1] as Dim);
      return [{ dtype: a.dtype, shape }];
    },
  }),

  /**
   * nn.Linear's x·Wᵀ without a transposed copy of W: com.microsoft FusedMatMul (ORT's contrib op, CPU float) with
   * transB = 1, A [..., K] and a 2-D B [N, K] (the weight as stored) -> [..., N]. A Transpose(W) would be
   * constant-folded by ORT into a second, anonymous copy of every weight per session.
   */
  FusedMatMul: defineOp({
    since: 1,
    domain: 'com.microsoft',
    inputNames: ['A', 'B'],
    apply: (_ctx, a: Value, b: Value) => ({ inputs: [a, b], attrs: { transB: attr.int(1) } }),
    infer: (inputs, attrs) => {
      const a = input(inputs, 0, 'A');
      const b = input(inputs, 1, 'B');
      requireDType('A', a, ['float32']);
      sameDType(a, b);
      if (intAttr(attrs, 'transB', 0) !== 1 || intAttr(attrs, 'transA', 0) !== 0)
        fail('only transA = 0, transB = 1 is supported');
      if (a.shape.length < 2 || b.shape.length !== 2) fail('A must have rank >= 2 and B rank 2 ([N, K])');
      const k1 = a.shape[a.shape.length - 1] as Dim;
      const k2 = b.shape[1] as Dim;
      if (k1 !== k2)
        fail(
          `inner dimensions differ: A ${formatShape(a.shape)} has ${k1} columns, B ${formatShape(b.shape)} has ${k2} (transB)`,
        );
      return [{ dtype: a.dtype, shape: [...a.shape.slice(0, -1), b.shape[0] as Dim] }];
    },
  }),

  /**
   * RMSNormalization-23 over the last axis: Y = X / sqrt(mean(X^2) + epsilon) * scale [C] (transformers' LlamaRMSNorm
   * in fp32; stash_type float). One kernel where the decomposed Pow/ReduceMean/Add/Sqrt/Div/Mul form keeps five
   * [..., C] intermediates alive for its backward.
   */
  RMSNormalization: defineOp({
    since: 23,
    inputNames: ['X', 'scale'],
    apply: (_ctx, x: Value, scale: Value, epsilon: number) => ({
      inputs: [x, scale],
      attrs: { axis: attr.int(-1), epsilon: attr.float(epsilon) },
    }),
    infer: (inputs, attrs) => {
      const x = input(inputs, 0, 'X');
      const scale = input(inputs, 1, 'scale');
      requireDType('X', x, ['float32', 'float64']);
      sameDType(x, scale);
      if (intAttr(attrs, 'axis', -1) !== -1) fail('only axis = -1 is supported');
      if (x.shape.length < 1 || scale.shape.length !== 1 || scale.shape[0] !== x.shape.at(-1))
        fail(`scale must be [${String(x.shape.at(-1))}] (X's last dim), got ${formatShape(scale.shape)}`);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
  }),
  /** Sums over `axes` (all axes when omitted). */
  ReduceSum: reduce(13),
  /** Mean over `axes` (RMSNorm's mean of squares). */
  ReduceMean: reduce(18),
  /** Largest value over `axes` (the int8 prefill's per-position activation scale; inference only). */
  ReduceMax: reduce(18),
  /** |x| elementwise (the int8 prefill's per-position activation scale; inference only). */
  Abs: unary(13, T.signed),
  Cast: defineOp({
    since: 21,
    inputNames: ['input'],
    apply: (_ctx, x: Value, to: DType) => ({ inputs: [x], attrs: { to: attr.int(onnxCode(to)) } }),
    infer: (inputs, attrs) => {
      const x = input(inputs, 0, 'input');
      const code = intAttr(attrs, 'to', -1);
      const dtype = dtypeFromOnnx(code);
      if (!dtype) fail(`attribute to=${code} is not a supported ONNX data type`);
      return [{ dtype, shape: x.shape }];
    },
  }),

  /** Permutes dims: output dim i is input dim perm[i]; perm defaults to reversing the dims. */
  Transpose: defineOp({
    since: 21,
    inputNames: ['data'],
    apply: (_ctx, x: Value, perm?: readonly number[]) => {
      const attrs: Attrs = perm === undefined ? {} : { perm: attr.ints(perm) };
      return { inputs: [x], attrs };
    },
    infer: (inputs, attrs) => {
      const x = input(inputs, 0, 'data');
      const rank = x.shape.length;
      const perm = intsAttr(attrs, 'perm') ?? x.shape.map((_, i) => rank - 1 - i);
      const sorted = [...perm].sort((p, q) => p - q);
      if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
        fail(`perm [${perm.join(', ')}] is not a permutation of the ${rank} dims of ${formatShape(x.shape)}`);
      }
      return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p] as Dim) }];
    },
  }),

  Constant: defineOp({
    since: 21,
    inputNames: [],
    apply: (_ctx, value: Tensor) => ({ inputs: [], attrs: { value: attr.tensor(value) } }),
    infer: (_inputs, attrs) => {
      const value = attrs['value'];
      if (!value || value.kind !== 'tensor') fail('attribute value must be a tensor');
      return [{ dtype: value.value.dtype, shape: value.value.dims }];
    },
  }),
} satisfies Record<string, OpDef>;

export type Ops = typeof ops;
export type OpName = keyof Ops;

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}

/** Looks up an op without its call signature (for the verifier, writer and later autodiff). */
export function opDef(name: OpName): OpDef {
  return ops[name];
}
