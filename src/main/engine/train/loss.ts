// Masked cross-entropy on target tokens only, as transformers' causal-LM loss (labels -100 ignored, logits at t predict
// token t+1): the caller lists the predicting rows and their targets, so the lm_head runs on those rows alone.
import { i64, type GraphBuilder, type Value } from '../graph';
import { emitLmHead, type DecoderModel, type GraphWeights } from '../models';

export interface CrossEntropyInputs {
  /** [B, S, C] final hidden states (after model.norm), S = n + T with virtual tokens first. */
  hidden: Value;
  /** [N] int64 flat row indices b * S + s of the positions whose logits predict a target token. */
  targetRows: Value;
  /** [N] int64 the target token of each row. */
  targetIds: Value;
  /** [] float32 multiplier of the summed token losses: 1 / (target tokens of the whole optimizer step). */
  lossWeight: Value;
}

/** loss [] = lossWeight * sum over the N rows of -log softmax(lm_head(hidden[row]))[target]. */
export function emitMaskedCrossEntropy(g: GraphBuilder, model: DecoderModel, weights: GraphWeights, inputs: CrossEntropyInputs): Value {
  const { vocab_size: V, hidden_size: C } = model.config;
  return g.scope('loss', () => {
    const flat = g.op.Reshape(inputs.hidden, [-1, C]); // [B*S, C]
    const picked = g.op.Gather(flat, inputs.targetRows, 0); // [N, C]
    const logits = emitLmHead(g, model, picked, weights); // [N, V]
    const logProbs = g.op.LogSoftmax(logits, -1); // [N, V]
    const classes = g.op.Range(g.constant(i64([], [0])), g.constant(i64([], [V])), g.constant(i64([], [1]))); // [V]
    const oneHot = g.op.Cast(g.op.Equal(g.op.Unsqueeze(inputs.targetIds, [1]), classes), 'float32'); // [N, V]
    const picks = g.op.ReduceSum(g.op.Mul(logProbs, oneHot), undefined, { keepdims: false }); // []
    return g.op.Mul(g.op.Neg(picks), inputs.lossWeight); // []
  });
}
