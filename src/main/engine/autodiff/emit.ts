// Small emitters the VJP rules share, written as builder calls on the backward builder: scalar constants, shapes as
// int64 values (static, or from Shape so symbolic dims stay exact), and the broadcast reduction (ORT's
// HandleBroadcasting).
import { BugError } from '../../../shared/errors';
import { formatShape, i64, tensor, type DType, type Dim, type GraphBuilder, type Value } from '../graph';
import { canonicalDim, divideDims, subDims } from '../graph/dims';
import { isStatic } from '../graph/shape';

/** A scalar constant of a float dtype (float16/bfloat16 through a Cast of a float32 constant, which ORT folds). */
export function scalar(g: GraphBuilder, dtype: DType, value: number): Value {
  if (dtype === 'float64') return g.constant(tensor('float64', [], Float64Array.of(value)));
  const f = g.constant(tensor('float32', [], Float32Array.of(value)));
  return dtype === 'float32' ? f : g.op.Cast(f, dtype);
}

/** An int64 scalar (Range bounds, Gather indices). */
export function int64Scalar(g: GraphBuilder, value: number): Value {
  return g.constant(i64([], [value]));
}

/** The dims of `x` as a 1-D int64 value: a constant when static, else Shape(x) (its contents stay symbolic). */
export function shapeOf(g: GraphBuilder, x: Value): Value | readonly number[] {
  return isStatic(x.shape) ? x.shape : g.op.Shape(x);
}

/**
 * A 1-D int64 value holding `dims`, each a number or a symbolic dim found (alone, or plus a number) among the dims
 * of `sources`. Its contents are known while building, so Reshape/Expand/Slice downstream get exact shapes.
 */
export function dimsValue(g: GraphBuilder, dims: readonly Dim[], sources: readonly Value[]): Value | readonly number[] {
  if (dims.every((d) => typeof d === 'number')) return dims as readonly number[];
  const parts = dims.map((d) => (typeof d === 'number' ? g.constant(i64([1], [d])) : symbolicDim(g, d, sources)));
  return parts.length === 1 ? (parts[0] as Value) : g.op.Concat(parts, 0);
}

function symbolicDim(g: GraphBuilder, dim: Dim, sources: readonly Value[]): Value {
  // subDims gives a number only when the difference is a non-negative constant: try dim = d + k, then dim = d - k.
  for (const v of sources) {
    for (let axis = 0; axis < v.shape.length; axis++) {
      const d = v.shape[axis] as Dim;
      const above = subDims(dim, d);
      const below = subDims(d, dim);
      if (typeof above !== 'number' && typeof below !== 'number') continue;
      const base = g.op.Shape(v, axis, axis + 1); // [1], contents [d]
      if (above === 0) return base;
      if (typeof above === 'number') return g.op.Add(base, g.constant(i64([1], [above])));
      return g.op.Sub(base, g.constant(i64([1], [below as number])));
    }
  }
  throw new BugError(
    `autodiff: cannot express the dim ${dim} from the shapes ${sources.map((v) => formatShape(v.shape)).join(', ')}`,
  );
}

/**
 * Reshape(v) to `dims` (the shape of a forward value, from `sources`). Symbolic dims can only be divided by
 * monomials while building ("T*2+n*2" / [2, "T+n"] is not known to be 1), so where the exact target cannot be
 * inferred, one dim is written -1 at a position where inference recovers it.
 */
export function reshapeTo(g: GraphBuilder, v: Value, dims: readonly Dim[], sources: readonly Value[]): Value {
  if (v.shape.length === dims.length && v.shape.every((d, i) => d === canonicalDim(dims[i] as Dim))) return v;
  if (divideDims(v.shape, dims) === 1) return g.op.Reshape(v, dimsValue(g, dims, [...sources, v]));
  for (let i = 0; i < dims.length; i++) {
    const rest = dims.filter((_, j) => j !== i);
    if (divideDims(v.shape, rest) !== canonicalDim(dims[i] as Dim)) continue;
    return g.op.Reshape(
      v,
      dimsValue(
        g,
        dims.map((d, j) => (j === i ? -1 : d)),
        [...sources, v],
      ),
    );
  }
  throw new BugError(
    `autodiff: cannot reshape ${formatShape(v.shape)} to ${formatShape(dims)} with dims known while building`,
  );
}

/** Swaps the last two dims (MatMul's transposes). */
export function transposeLast2(g: GraphBuilder, x: Value): Value {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => (i === rank - 2 ? rank - 1 : i === rank - 1 ? rank - 2 : i));
  return g.op.Transpose(x, perm);
}

/**
 * Reduces a gradient of the broadcast output shape back to the shape of the input `x`: ReduceSum over the leading
 * axes x lacks and the axes where x has 1 and the output does not, then Squeeze the leading ones.
 */
export function unbroadcast(g: GraphBuilder, dY: Value, x: Value): Value {
  const out = dY.shape;
  const lead = out.length - x.shape.length;
  if (lead < 0)
    throw new BugError(
      `autodiff: gradient ${formatShape(out)} has a lower rank than its input ${formatShape(x.shape)}`,
    );
  const axes: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (i < lead || (x.shape[i - lead] === 1 && out[i] !== 1)) axes.push(i);
  }
  let dX = axes.length > 0 ? g.op.ReduceSum(dY, axes) : dY; // keepdims: [1, ..., x dims]
  if (lead > 0)
    dX = g.op.Squeeze(
      dX,
      Array.from({ length: lead }, (_, i) => i),
    );
  return dX;
}

/** Asserts that a VJP's gradient has its input's dtype and shape (a VJP bug otherwise). */
export function checkGradient(what: string, dX: Value, x: Value): void {
  const same = dX.shape.length === x.shape.length && dX.shape.every((d, i) => d === x.shape[i]);
  if (!same || dX.dtype !== x.dtype) {
    throw new BugError(
      `autodiff: ${what} is ${dX.dtype} ${formatShape(dX.shape)}, its input ${x.name} is ${x.dtype} ${formatShape(x.shape)}`,
    );
  }
}
