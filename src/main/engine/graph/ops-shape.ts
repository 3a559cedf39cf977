// Shape-moving ops of the op table (Shape, Gather, Reshape, Concat, Slice, Unsqueeze, Squeeze, Expand, Range), after
// the ONNX spec. Small int64 results carry their (possibly symbolic) contents, so shapes computed in graphs stay known.
import { attr, type Value } from './ir';
import { addDims, divideDims, subDims } from './dims';
import {
  T,
  axesOf,
  broadcastOrFail,
  defineOp,
  fail,
  input,
  intAttr,
  knownInts,
  knownNumbers,
  requireDType,
  type ApplyContext,
  type OpDef,
} from './op-def';
import { formatShape, UNKNOWN_DIM, type Dim } from './shape';
import { i64 } from './tensor';

/** Slice "to the end" (ONNX clamps ends to the dim). */
export const SLICE_END = Number.MAX_SAFE_INTEGER;

/** An int64 input given as numbers (made a Constant) or as a graph value. */
function ints(ctx: ApplyContext, v: Value | readonly number[]): Value {
  return Array.isArray(v) ? ctx.constant(i64([v.length], v)) : (v as Value);
}

function sliceLength(dim: Dim, start: Dim, end: Dim): Dim {
  if (typeof dim === 'number' && typeof start === 'number' && typeof end === 'number') {
    const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + dim : i, 0), dim);
    return Math.max(clamp(end) - clamp(start), 0);
  }
  // Symbolic: assumes the indices fall inside the dim (the usual "last k" or "drop the first n" slices).
  const s = typeof start === 'number' && start < 0 ? addDims(dim, start) : start;
  const e =
    typeof end === 'number' && end >= 2 ** 31 ? dim : typeof end === 'number' && end < 0 ? addDims(dim, end) : end;
  return (s !== undefined && e !== undefined && subDims(e, s)) || UNKNOWN_DIM;
}

export const shapeOps = {
  /** The dims of data as a 1-D int64 tensor (optionally dims start..end). */
  Shape: defineOp({
    since: 21,
    inputNames: ['data'],
    apply: (_ctx, data: Value, start?: number, end?: number) => ({
      inputs: [data],
      attrs: {
        ...(start === undefined ? {} : { start: attr.int(start) }),
        ...(end === undefined ? {} : { end: attr.int(end) }),
      },
    }),
    infer: (inputs, attrs) => {
      const data = input(inputs, 0, 'data');
      const rank = data.shape.length;
      const at = (i: number): number => Math.min(Math.max(i < 0 ? i + rank : i, 0), rank);
      const value = data.shape.slice(at(intAttr(attrs, 'start', 0)), at(intAttr(attrs, 'end', rank)));
      return [{ dtype: 'int64', shape: [value.length], value }];
    },
  }),
  /** Picks slices along `axis` (embedding lookup: data [V, C], indices [B, T] -> [B, T, C]). */
  Gather: defineOp({
    since: 13,
    inputNames: ['data', 'indices'],
    apply: (_ctx, data: Value, indices: Value, axis: number = 0) => ({
      inputs: [data, indices],
      attrs: { axis: attr.int(axis) },
    }),
    infer: (inputs, attrs) => {
      const data = input(inputs, 0, 'data');
      const indices = input(inputs, 1, 'indices');
      requireDType('indices', indices, ['int32', 'int64']);
      const [axis] = axesOf([intAttr(attrs, 'axis', 0)], data.shape.length, data.shape);
      const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice((axis as number) + 1)];
      const values = knownInts(data);
      const picks = knownNumbers(indices);
      const value =
        values && picks && data.shape.length === 1
          ? picks.map((i) => values[i < 0 ? i + values.length : i])
          : undefined;
      const known = value?.every((d) => d !== undefined) ? (value as Dim[]) : undefined;
      return [{ dtype: data.dtype, shape, ...(known ? { value: known } : {}) }];
    },
  }),
  /** New dims from `shape` (0 copies the input dim, -1 is inferred); the shape must be known while building. */
  Reshape: defineOp({
    since: 21,
    inputNames: ['data', 'shape'],
    apply: (ctx, data: Value, shape: Value | readonly number[]) => ({ inputs: [data, ints(ctx, shape)] }),
    infer: (inputs) => {
      const data = input(inputs, 0, 'data');
      const target = knownInts(input(inputs, 1, 'shape'));
      if (!target) fail('shape must be known while building (a constant, or computed from Shape)');
      const out = target.map((d, i) =>
        d === 0
          ? (data.shape[i] ?? fail(`shape[${i}] = 0 copies a dim that data ${formatShape(data.shape)} lacks`))
          : d,
      );
      const inferred = out.indexOf(-1);
      if (out.some((d, i) => d === -1 && i !== inferred)) fail(`shape [${target.join(', ')}] has more than one -1`);
      if (inferred >= 0) {
        const rest = out.filter((_, i) => i !== inferred);
        const dim = divideDims(data.shape, rest);
        if (dim === undefined)
          fail(`cannot infer the -1 in [${target.join(', ')}] from data ${formatShape(data.shape)}`);
        out[inferred] = dim;
      } else if (divideDims(data.shape, out) !== 1) {
        fail(`data ${formatShape(data.shape)} cannot be reshaped to ${formatShape(out)}`);
      }
      return [{ dtype: data.dtype, shape: out }];
    },
  }),
  /** Joins tensors along `axis`; the other dims must agree. */
  Concat: defineOp({
    since: 13,
    inputNames: ['inputs'],
    apply: (_ctx, values: readonly Value[], axis: number) => ({ inputs: [...values], attrs: { axis: attr.int(axis) } }),
    infer: (inputs, attrs) => {
      const all = inputs.map((_, i) => input(inputs, i, `inputs[${i}]`));
      const first = all[0] ?? fail('needs at least one input');
      const rank = first.shape.length;
      const [axis] = axesOf([intAttr(attrs, 'axis', 0)], rank, first.shape) as [number];
      let length: Dim | undefined = 0;
      all.forEach((x, i) => {
        if (x.dtype !== first.dtype) fail(`inputs[${i}] is ${x.dtype}, inputs[0] is ${first.dtype}`);
        if (x.shape.length !== rank || x.shape.some((d, j) => j !== axis && d !== first.shape[j])) {
          fail(
            `inputs[${i}] ${formatShape(x.shape)} does not match inputs[0] ${formatShape(first.shape)} outside axis ${axis}`,
          );
        }
        length = length === undefined ? undefined : addDims(length, x.shape[axis] as Dim);
      });
      const shape = first.shape.map((d, j) => (j === axis ? (length ?? UNKNOWN_DIM) : d));
      const parts = all.map(knownInts);
      const value = rank === 1 && parts.every((p) => p) ? parts.flatMap((p) => [...(p as Dim[])]) : undefined;
      return [{ dtype: first.dtype, shape, ...(value ? { value } : {}) }];
    },
  }),
  /** data[starts:ends] along `axes` (step 1). dimName names the result dim when it depends on run-time data. */
  Slice: defineOp({
    since: 13,
    inputNames: ['data', 'starts', 'ends', 'axes'],
    apply: (
      ctx,
      data: Value,
      starts: Value | readonly number[],
      ends: Value | readonly number[],
      axes: readonly number[],
      dimName?: string,
    ) => ({
      inputs: [data, ints(ctx, starts), ints(ctx, ends), ints(ctx, axes)],
      ...(dimName ? { dimNames: [dimName] } : {}),
    }),
    infer: (inputs) => {
      const data = input(inputs, 0, 'data');
      const axisList = knownNumbers(input(inputs, 3, 'axes'));
      if (!axisList) fail('axes must be constant');
      if (inputs[4]) fail('steps are not supported (step 1 only)');
      const axes = axesOf(axisList, data.shape.length, data.shape);
      const starts = knownInts(input(inputs, 1, 'starts'));
      const ends = knownInts(input(inputs, 2, 'ends'));
      const shape = [...data.shape];
      axes.forEach((a, i) => {
        const s = starts?.[i];
        const e = ends?.[i];
        shape[a] = s === undefined || e === undefined ? UNKNOWN_DIM : sliceLength(data.shape[a] as Dim, s, e);
      });
      const values = knownInts(data);
      const s = starts?.[0];
      const e = ends?.[0];
      const value =
        values && data.shape.length === 1 && typeof s === 'number' && typeof e === 'number'
          ? values.slice(s, e)
          : undefined;
      return [{ dtype: data.dtype, shape, ...(value ? { value } : {}) }];
    },
  }),
  /** Inserts dims of size 1 at `axes` (of the output). */
  Unsqueeze: defineOp({
    since: 21,
    inputNames: ['data', 'axes'],
    apply: (ctx, data: Value, axes: readonly number[]) => ({ inputs: [data, ints(ctx, axes)] }),
    infer: (inputs) => {
      const data = input(inputs, 0, 'data');
      const list = knownNumbers(input(inputs, 1, 'axes')) ?? fail('axes must be constant');
      const rank = data.shape.length + list.length;
      const axes = new Set(axesOf(list, rank, data.shape, 'the output of'));
      const rest = [...data.shape];
      const shape = Array.from({ length: rank }, (_, i) => (axes.has(i) ? 1 : (rest.shift() as Dim)));
      const value = knownInts(data);
      return [{ dtype: data.dtype, shape, ...(value && rank === 1 ? { value } : {}) }];
    },
  }),
  /** Removes dims of size 1 at `axes`. */
  Squeeze: defineOp({
    since: 21,
    inputNames: ['data', 'axes'],
    apply: (ctx, data: Value, axes: readonly number[]) => ({ inputs: [data, ints(ctx, axes)] }),
    infer: (inputs) => {
      const data = input(inputs, 0, 'data');
      const list = knownNumbers(input(inputs, 1, 'axes')) ?? fail('axes must be constant');
      const axes = new Set(axesOf(list, data.shape.length, data.shape));
      for (const a of axes) if (data.shape[a] !== 1) fail(`dim ${a} of ${formatShape(data.shape)} is not 1`);
      const value = knownInts(data);
      return [{ dtype: data.dtype, shape: data.shape.filter((_, i) => !axes.has(i)), ...(value ? { value } : {}) }];
    },
  }),
  /** Broadcasts input to `shape` (numpy rules, both ways). */
  Expand: defineOp({
    since: 13,
    inputNames: ['input', 'shape'],
    apply: (ctx, x: Value, shape: Value | readonly number[]) => ({ inputs: [x, ints(ctx, shape)] }),
    infer: (inputs) => {
      const x = input(inputs, 0, 'input');
      const shapeInput = input(inputs, 1, 'shape');
      const target = knownInts(shapeInput);
      if (!target) {
        const rank = shapeInput.shape[0];
        if (typeof rank !== 'number') fail('shape must have a static length');
        return [{ dtype: x.dtype, shape: Array.from({ length: Math.max(rank, x.shape.length) }, () => UNKNOWN_DIM) }];
      }
      return [{ dtype: x.dtype, shape: broadcastOrFail(x.shape, target) }];
    },
  }),
  /** [start, start + delta, ...) below limit; scalars of one numeric dtype. */
  Range: defineOp({
    since: 11,
    inputNames: ['start', 'limit', 'delta'],
    apply: (_ctx, start: Value, limit: Value, delta: Value) => ({ inputs: [start, limit, delta] }),
    infer: (inputs) => {
      const [start, limit, delta] = [0, 1, 2].map((i) => input(inputs, i, ['start', 'limit', 'delta'][i] as string));
      for (const [name, x] of [
        ['start', start],
        ['limit', limit],
        ['delta', delta],
      ] as const) {
        requireDType(name, x!, T.numeric);
        if (x!.shape.length !== 0) fail(`${name} must be a scalar, got ${formatShape(x!.shape)}`);
        if (x!.dtype !== start!.dtype) fail(`${name} is ${x!.dtype}, start is ${start!.dtype}`);
      }
      const [s] = knownInts(start) ?? [];
      const [l] = knownInts(limit) ?? [];
      const [d] = knownInts(delta) ?? [];
      let n: Dim = UNKNOWN_DIM;
      if (typeof s === 'number' && typeof l === 'number' && typeof d === 'number')
        n = Math.max(Math.ceil((l - s) / d), 0);
      else if (s !== undefined && l !== undefined && d === 1) n = subDims(l, s) ?? UNKNOWN_DIM;
      return [{ dtype: start!.dtype, shape: [n] }];
    },
  }),
} satisfies Record<string, OpDef>;

/** Known contents of an elementwise int64 result (Add, Sub, Mul of shape values), for data propagation. */
export function combineKnown(
  a: readonly Dim[] | undefined,
  b: readonly Dim[] | undefined,
  op: 'Add' | 'Sub' | 'Mul',
): Dim[] | undefined {
  if (!a || !b || (a.length !== b.length && a.length !== 1 && b.length !== 1)) return undefined;
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length === 1 ? 0 : i] as Dim;
    const y = b[b.length === 1 ? 0 : i] as Dim;
    const r = op === 'Add' ? addDims(x, y) : op === 'Sub' ? subDims(x, y) : divideDims([x, y], []);
    if (r === undefined) return undefined;
    out.push(r);
  }
  return out;
}
