// Ops of the cross-entropy loss and of index-driven gradients (SoftmaxCrossEntropyLoss; GatherElements/ScatterElements
// and GatherND/ScatterND, each pair the other's VJP), after the ONNX spec: no one-hot in the loss or Gather's VJP.
import { attr, type Attrs, type Value } from './ir';
import { T, axesOf, defineOp, fail, input, intAttr, requireDType, sameDType } from './op-def';
import { formatShape, sameShape, type Dim } from './shape';

export type ScatterReduction = 'none' | 'add' | 'mul' | 'max' | 'min';
export type LossReduction = 'none' | 'sum' | 'mean';

/** A string attribute restricted to the spec's values (the spec's default when absent). */
export function stringAttr<S extends string>(attrs: Attrs, name: string, allowed: readonly S[], fallback: S): S {
  const a = attrs[name];
  if (a === undefined) return fallback;
  if (a.kind !== 'string') fail(`attribute ${name} must be a string, got ${a.kind}`);
  if (!(allowed as readonly string[]).includes(a.value))
    fail(`attribute ${name} is '${a.value}'; allowed: ${allowed.join(', ')}`);
  return a.value as S;
}

const SCATTER_REDUCTIONS: readonly ScatterReduction[] = ['none', 'add', 'mul', 'max', 'min'];
const LOSS_REDUCTIONS: readonly LossReduction[] = ['none', 'sum', 'mean'];

/** k, the data dims each index tuple of GatherND/ScatterND addresses: indices' last dim, static, <= rank(data). */
function indexDepth(data: readonly Dim[], indices: readonly Dim[]): number {
  const k = indices[indices.length - 1];
  if (indices.length === 0) fail('indices must have rank >= 1');
  if (typeof k !== 'number')
    fail(`the last dim of indices ${formatShape(indices)} must be static (it is the index depth)`);
  if (k < 1 || k > data.length)
    fail(`indices ${formatShape(indices)} address ${k} dims, data ${formatShape(data)} has ${data.length}`);
  return k;
}

export const lossOps = {
  /** out[i][j] = data[indices[i][j]][j] for axis 0 (and likewise per axis): indices and out have the same shape. */
  GatherElements: defineOp({
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
      if (data.shape.length === 0) fail('data must have rank >= 1');
      if (indices.shape.length !== data.shape.length) {
        fail(
          `indices ${formatShape(indices.shape)} must have the rank of data ${formatShape(data.shape)} (${data.shape.length})`,
        );
      }
      axesOf([intAttr(attrs, 'axis', 0)], data.shape.length, data.shape);
      return [{ dtype: data.dtype, shape: indices.shape }];
    },
  }),

  /**
   * A copy of data with updates written (reduction 'none') or combined ('add', 'mul', 'max', 'min') at the positions
   * indices give along `axis`: output[indices[i][j]][j] op= updates[i][j] for axis 0 (indices, updates: one shape).
   */
  ScatterElements: defineOp({
    since: 18,
    inputNames: ['data', 'indices', 'updates'],
    apply: (
      _ctx,
      data: Value,
      indices: Value,
      updates: Value,
      axis: number = 0,
      reduction: ScatterReduction = 'none',
    ) => ({
      inputs: [data, indices, updates],
      attrs: { axis: attr.int(axis), reduction: attr.string(reduction) },
    }),
    infer: (inputs, attrs) => {
      const data = input(inputs, 0, 'data');
      const indices = input(inputs, 1, 'indices');
      const updates = input(inputs, 2, 'updates');
      requireDType('indices', indices, ['int32', 'int64']);
      sameDType(data, updates);
      stringAttr(attrs, 'reduction', SCATTER_REDUCTIONS, 'none');
      if (data.shape.length === 0) fail('data must have rank >= 1');
      if (indices.shape.length !== data.shape.length) {
        fail(
          `indices ${formatShape(indices.shape)} must have the rank of data ${formatShape(data.shape)} (${data.shape.length})`,
        );
      }
      if (!sameShape(indices.shape, updates.shape))
        fail(`updates ${formatShape(updates.shape)} must have the shape of indices ${formatShape(indices.shape)}`);
      axesOf([intAttr(attrs, 'axis', 0)], data.shape.length, data.shape);
      return [{ dtype: data.dtype, shape: data.shape }];
    },
  }),

  /**
   * Slices of data addressed by the last dim of indices (batch_dims 0): [I..., k] picks -> [I..., data dims from k].
   */
  GatherND: defineOp({
    since: 13,
    inputNames: ['data', 'indices'],
    apply: (_ctx, data: Value, indices: Value) => ({ inputs: [data, indices] }),
    infer: (inputs, attrs) => {
      const data = input(inputs, 0, 'data');
      const indices = input(inputs, 1, 'indices');
      requireDType('indices', indices, ['int64']);
      if (intAttr(attrs, 'batch_dims', 0) !== 0) fail('batch_dims other than 0 is not supported');
      return [
        {
          dtype: data.dtype,
          shape: [...indices.shape.slice(0, -1), ...data.shape.slice(indexDepth(data.shape, indices.shape))],
        },
      ];
    },
  }),

  /**
   * A copy of data with updates written or combined at the slices indices address (GatherND's inverse): indices
   * [I..., k], updates [I..., data dims from k]. With reduction 'add', repeated indices are summed (Gather's VJP).
   */
  ScatterND: defineOp({
    since: 18,
    inputNames: ['data', 'indices', 'updates'],
    apply: (_ctx, data: Value, indices: Value, updates: Value, reduction: ScatterReduction = 'none') => ({
      inputs: [data, indices, updates],
      attrs: { reduction: attr.string(reduction) },
    }),
    infer: (inputs, attrs) => {
      const data = input(inputs, 0, 'data');
      const indices = input(inputs, 1, 'indices');
      const updates = input(inputs, 2, 'updates');
      requireDType('indices', indices, ['int64']);
      sameDType(data, updates);
      stringAttr(attrs, 'reduction', SCATTER_REDUCTIONS, 'none');
      const expected = [...indices.shape.slice(0, -1), ...data.shape.slice(indexDepth(data.shape, indices.shape))];
      if (!sameShape(updates.shape, expected)) {
        fail(
          `updates ${formatShape(updates.shape)} must be ${formatShape(expected)} (indices ${formatShape(indices.shape)} without its last dim, then data ${formatShape(data.shape)} past the indexed dims)`,
        );
      }
      return [{ dtype: data.dtype, shape: data.shape }];
    },
  }),

  /**
   * -log softmax(scores)[label] per row, then reduced: scores [N, C], labels [N] -> [] ('sum', 'mean') or [N] ('none').
   * The spec's optional weights, ignore_index, extra dims and log_prob output are not used here (the VJP omits them).
   */
  SoftmaxCrossEntropyLoss: defineOp({
    since: 13,
    inputNames: ['scores', 'labels'],
    apply: (_ctx, scores: Value, labels: Value, reduction: LossReduction = 'mean') => ({
      inputs: [scores, labels],
      attrs: { reduction: attr.string(reduction) },
    }),
    infer: (inputs, attrs) => {
      const scores = input(inputs, 0, 'scores');
      const labels = input(inputs, 1, 'labels');
      if (inputs[2]) fail('the weights input is not supported');
      if (attrs['ignore_index'] !== undefined) fail('ignore_index is not supported (pass only the rows that count)');
      requireDType('scores', scores, T.float);
      requireDType('labels', labels, ['int32', 'int64']);
      const reduction = stringAttr(attrs, 'reduction', LOSS_REDUCTIONS, 'mean');
      if (scores.shape.length !== 2) fail(`scores must be [N, C], got ${formatShape(scores.shape)}`);
      if (labels.shape.length !== 1 || labels.shape[0] !== scores.shape[0]) {
        fail(
          `labels must be [N] with N = ${scores.shape[0]} (the rows of scores ${formatShape(scores.shape)}), got ${formatShape(labels.shape)}`,
        );
      }
      // Second output log_prob [N, C]: log softmax(scores), which the kernel computes anyway; the VJP reads it.
      return [
        { dtype: scores.dtype, shape: reduction === 'none' ? [scores.shape[0]!] : [] },
        { dtype: scores.dtype, shape: scores.shape },
      ];
    },
  }),
};
