// VJPs of the loss and index ops (graph/ops-loss.ts): SoftmaxCrossEntropyLoss, GatherElements/ScatterElements and
// GatherND/ScatterND. Part of the table in vjp.ts. None builds a one-hot tensor: scatters write the indexed positions.
import { BugError } from '../../../shared/errors';
import type { OpName, Value } from '../graph';
import { intAttr } from '../graph/op-def';
import { stringAttr, type LossReduction, type ScatterReduction } from '../graph/ops-loss';
import type { Vjp, VjpEntry } from './context';
import { dimsValue, scalar, shapeOf } from './emit';

/** GatherElements(data, indices, axis): dData = ScatterElements(zeros, indices, dY, axis, 'add') (repeats summed). */
const gatherElements: Vjp = (c) => {
  if (!c.needs(0)) return [null, null];
  const { g } = c;
  const data = c.x(0);
  const zeros = g.op.Expand(scalar(g, data.dtype, 0), shapeOf(g, data));
  return [g.op.ScatterElements(zeros, c.x(1), c.dY, intAttr(c.attrs, 'axis', 0), 'add'), null];
};

/**
 * ScatterElements(data, indices, updates, axis, reduction): dUpdates = GatherElements(dY, indices) for 'none' and
 * 'add'; dData = dY for 'add', and dY with the overwritten positions zeroed for 'none'. No VJP for 'mul', 'max', 'min'.
 */
const scatterElements: Vjp = (c) => {
  const { g } = c;
  const axis = intAttr(c.attrs, 'axis', 0);
  const reduction = stringAttr<ScatterReduction>(c.attrs, 'reduction', ['none', 'add', 'mul', 'max', 'min'], 'none');
  if (reduction !== 'none' && reduction !== 'add')
    throw new BugError(`autodiff: ${c.node.name}: no gradient for ScatterElements with reduction '${reduction}'`);
  const indices = c.x(1);
  let dData: Value | null = null;
  if (c.needs(0)) {
    const zeros = g.op.Expand(scalar(g, c.dY.dtype, 0), shapeOf(g, indices));
    dData = reduction === 'add' ? c.dY : g.op.ScatterElements(c.dY, indices, zeros, axis);
  }
  return [dData, null, c.needs(2) ? g.op.GatherElements(c.dY, indices, axis) : null];
};

/** GatherND(data, indices): dData = ScatterND(zeros, indices, dY, 'add') (repeated index tuples summed). */
const gatherND: Vjp = (c) => {
  if (!c.needs(0)) return [null, null];
  const { g } = c;
  const data = c.x(0);
  const zeros = g.op.Expand(scalar(g, data.dtype, 0), shapeOf(g, data));
  return [g.op.ScatterND(zeros, c.x(1), c.dY, 'add'), null];
};

/** ScatterND: as ScatterElements, with GatherND reading the addressed slices of dY. */
const scatterND: Vjp = (c) => {
  const { g } = c;
  const reduction = stringAttr<ScatterReduction>(c.attrs, 'reduction', ['none', 'add', 'mul', 'max', 'min'], 'none');
  if (reduction !== 'none' && reduction !== 'add')
    throw new BugError(`autodiff: ${c.node.name}: no gradient for ScatterND with reduction '${reduction}'`);
  const indices = c.x(1);
  let dData: Value | null = null;
  if (c.needs(0)) {
    const zeros = g.op.Expand(scalar(g, c.dY.dtype, 0), shapeOf(g, c.x(2)));
    dData = reduction === 'add' ? c.dY : g.op.ScatterND(c.dY, indices, zeros);
  }
  return [dData, null, c.needs(2) ? g.op.GatherND(c.dY, indices) : null];
};

/**
 * SoftmaxCrossEntropyLoss(scores [N, C], labels [N]): dScores = (softmax(scores) - onehot(labels)) * w, with w = dY
 * ('sum'), dY / N ('mean') or dY per row ('none'). The one-hot is never built: -w is scatter-added at each row's label
 * onto softmax * w, so the backward holds no [N, C] tensor but log_prob and that one (ORT scatters in place).
 */
const softmaxCrossEntropyLoss: Vjp = (c) => {
  if (!c.needs(0)) return [null, null];
  const { g } = c;
  // Only log_prob (output 1) is read, not the scores: they can be freed once the forward is done.
  const logProb = c.y(1);
  const labels = c.x(1);
  const reduction = stringAttr<LossReduction>(c.attrs, 'reduction', ['none', 'sum', 'mean'], 'mean');
  const rows = dimsValue(g, [logProb.shape[0]!, 1], [logProb]); // [N, 1]
  let w: Value; // [] or [N, 1]
  if (reduction === 'none') w = g.op.Unsqueeze(c.dY, [1]);
  else if (reduction === 'sum') w = c.dY;
  else {
    const n = g.op.Cast(g.op.Shape(logProb, 0, 1), logProb.dtype); // [1]
    w = g.op.Div(c.dY, g.op.Squeeze(n, [0]));
  }
  // softmax = exp(log_prob), the forward's second output: one pass where Softmax recomputed max, sum and division.
  const scaled = g.op.Mul(g.op.Exp(logProb), w); // [N, C]
  const minusW = g.op.Expand(g.op.Neg(w), rows); // [N, 1]
  return [g.op.ScatterElements(scaled, g.op.Unsqueeze(labels, [1]), minusW, 1, 'add'), null];
};

export const lossVjps = {
  GatherElements: gatherElements,
  ScatterElements: scatterElements,
  GatherND: gatherND,
  ScatterND: scatterND,
  SoftmaxCrossEntropyLoss: softmaxCrossEntropyLoss,
} satisfies Partial<Record<OpName, VjpEntry>>;
