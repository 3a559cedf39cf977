// VJPs of the shape-moving ops (graph/ops-shape.ts): Gather (ScatterND into zeros), Reshape, Concat (Slice of dY),
// Slice (dY padded back with zeros by Concat), Unsqueeze/Squeeze, Expand (broadcast reduction). Part of vjp.ts's table.
import { BugError } from '../../../shared/errors';
import { SLICE_END, i64, type Dim, type GraphBuilder, type OpName, type Value } from '../graph';
import { addDims, subDims } from '../graph/dims';
import { axesOf, intAttr } from '../graph/op-def';
import { NONE, type Vjp, type VjpContext, type VjpEntry } from './context';
import { dimsValue, int64Scalar, reshapeTo, scalar, unbroadcast } from './emit';

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);

/** Constant axes of input i (Unsqueeze, Squeeze, Slice), normalized for a tensor of the given rank. */
function constAxes(c: VjpContext, i: number, rank: number): number[] {
  const list = c.ints(i);
  if (!list || list.some((a) => typeof a !== 'number'))
    throw new BugError(`autodiff: ${c.node.name} has axes unknown while building`);
  return axesOf(list as number[], rank, c.x(0).shape);
}

/**
 * Gather(data, indices, axis): dData = scatter-add of dY into zeros (ORT's GatherGrad), as ScatterND(reduction add)
 * with the gathered axis moved first: no one-hot [indices, V] (the loss gathers its N target rows from [B*S, C]).
 */
const gather: Vjp = (c) => {
  if (!c.needs(0)) return [null, null];
  const { g } = c;
  const data = c.x(0); // [pre..., V, post...]
  const indices = c.x(1); // [I...]
  const rank = data.shape.length;
  const [axis] = axesOf([intAttr(c.attrs, 'axis', 0)], rank, data.shape) as [number];
  const q = indices.shape.length;
  const V = data.shape[axis] as Dim;
  const rest = data.shape.filter((_, i) => i !== axis); // [pre..., post...]
  // dY [pre..., I..., post...] -> [I..., pre..., post...], so the gathered rows come first.
  const dY =
    axis === 0
      ? c.dY
      : g.op.Transpose(c.dY, [...range(axis, axis + q), ...range(0, axis), ...range(axis + q, rank - 1 + q)]);
  const vScalar = typeof V === 'number' ? int64Scalar(g, V) : g.op.Gather(g.op.Shape(data), int64Scalar(g, axis)); // []
  let idx = indices.dtype === 'int64' ? indices : g.op.Cast(indices, 'int64');
  // negative indices count from the end
  idx = g.op.Where(g.op.Less(idx, int64Scalar(g, 0)), g.op.Add(idx, vScalar), idx);
  const zeros = g.op.Expand(scalar(g, dY.dtype, 0), dimsValue(g, [V, ...rest], [data])); // [V, pre..., post...]
  const dData = g.op.ScatterND(zeros, g.op.Unsqueeze(idx, [-1]), dY, 'add'); // [V, pre..., post...]
  if (axis === 0) return [dData, null];
  const back = [...range(1, axis + 1), 0, ...range(axis + 1, rank)];
  return [g.op.Transpose(dData, back), null];
};

/** An int64 value [a + b] from two pieces that are constants or known-content values. */
function addInts(
  g: GraphBuilder,
  a: Value | readonly number[],
  b: Value | readonly number[],
): Value | readonly number[] {
  if (Array.isArray(a) && Array.isArray(b)) return a.map((v: number, i) => v + (b[i] as number));
  const value = (v: Value | readonly number[]): Value =>
    Array.isArray(v) ? g.constant(i64([v.length], v)) : (v as Value);
  return g.op.Add(value(a), value(b));
}

/** Concat(inputs, axis): dX_i = Slice(dY, offset_i, offset_i + length_i) along axis. */
const concat: Vjp = (c) => {
  const { g } = c;
  const n = c.node.inputs.length;
  const [axis] = axesOf([intAttr(c.attrs, 'axis', 0)], c.dY.shape.length, c.dY.shape) as [number];
  const out: (Value | null)[] = [];
  let start: Value | readonly number[] = [0];
  for (let i = 0; i < n; i++) {
    const x = c.x(i);
    const end = addInts(g, start, dimsValue(g, [x.shape[axis] as Dim], [x]));
    out.push(c.needs(i) ? g.op.Slice(c.dY, start, end, [axis]) : null);
    start = end;
  }
  return out;
};

/** Zeros before and after the sliced range of one axis: ONNX clamping for static dims, in-range indices otherwise. */
function slicePadding(dim: Dim, start: Dim, end: Dim): { before: Dim; after: Dim } | undefined {
  if (typeof dim === 'number' && typeof start === 'number' && typeof end === 'number') {
    const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + dim : i, 0), dim);
    const s = clamp(start);
    return { before: s, after: dim - Math.max(clamp(end), s) };
  }
  const s = typeof start === 'number' && start < 0 ? addDims(dim, start) : start;
  const e =
    typeof end === 'number' && end >= 2 ** 31 ? dim : typeof end === 'number' && end < 0 ? addDims(dim, end) : end;
  const after = e === undefined ? undefined : subDims(dim, e);
  return s === undefined || after === undefined ? undefined : { before: s, after };
}

/** v with `before` and `after` zeros concatenated along axis. */
function padAxis(g: GraphBuilder, v: Value, axis: number, before: Dim, after: Dim, sources: readonly Value[]): Value {
  const zeros = (length: Dim): Value =>
    g.op.Expand(
      scalar(g, v.dtype, 0),
      dimsValue(
        g,
        v.shape.map((d, i) => (i === axis ? length : d)),
        [v, ...sources],
      ),
    );
  const parts = [...(before === 0 ? [] : [zeros(before)]), v, ...(after === 0 ? [] : [zeros(after)])];
  return parts.length === 1 ? v : g.op.Concat(parts, axis);
}

/** Slice(data, starts, ends, axes): dData is dY placed back at the sliced range, zeros elsewhere (ORT's SliceGrad). */
const slice: Vjp = (c) => {
  const x = c.x(0);
  const axes = constAxes(c, 3, x.shape.length);
  const starts = c.ints(1);
  const ends = c.ints(2);
  if (!starts || !ends) throw new BugError(`autodiff: ${c.node.name}: starts and ends must be known while building`);
  let dX = c.dY;
  axes.forEach((axis, k) => {
    const pad = slicePadding(x.shape[axis] as Dim, starts[k] as Dim, (ends[k] ?? SLICE_END) as Dim);
    if (!pad)
      throw new BugError(
        `autodiff: ${c.node.name}: cannot place the slice ${starts[k]}:${ends[k]} of dim ${x.shape[axis]}`,
      );
    dX = padAxis(c.g, dX, axis, pad.before, pad.after, [x]);
  });
  return [dX, null, null, null];
};

export const shapeVjps = {
  Gather: gather,
  Reshape: (c) => [reshapeTo(c.g, c.dY, c.x(0).shape, [c.x(0)]), null],
  Concat: concat,
  Slice: slice,
  Unsqueeze: (c) => [c.g.op.Squeeze(c.dY, constAxes(c, 1, c.dY.shape.length)), null],
  Squeeze: (c) => [c.g.op.Unsqueeze(c.dY, constAxes(c, 1, c.x(0).shape.length)), null],
  Expand: (c) => [unbroadcast(c.g, c.dY, c.x(0)), null],
  Shape: NONE,
  Range: NONE,
} satisfies Partial<Record<OpName, VjpEntry>>;
