// Masked cross-entropy on target tokens only, as transformers' causal-LM loss (labels -100 ignored, logits at t predict
// token t+1): the caller lists the predicting rows and their targets, so the lm_head runs on those rows alone.
import type { GraphBuilder, Value } from '../graph';
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

/**
 * loss [] = lossWeight * sum over the N rows of -log softmax(lm_head(hidden[row]))[target], as one
 * SoftmaxCrossEntropyLoss: no one-hot [N, V] is built, and its VJP (autodiff/vjp-loss.ts) keeps only the logits and
 * one gradient-sized [N, V] tensor alive (LogSoftmax times a one-hot mask peaked ~380 MiB higher at 8 x 128 tokens).
 */
export function emitMaskedCrossEntropy(
  g: GraphBuilder,
  model: DecoderModel,
  weights: GraphWeights,
  inputs: CrossEntropyInputs,
): Value {
  const { hidden_size: C } = model.config;
  return g.scope('loss', () => {
    const flat = g.op.Reshape(inputs.hidden, [-1, C]); // [B*S, C]
    const picked = g.op.Gather(flat, inputs.targetRows, 0); // [N, C]
    const logits = emitLmHead(g, model, picked, weights); // [N, V]
    const total = g.op.SoftmaxCrossEntropyLoss(logits, inputs.targetIds, 'sum'); // []
    return g.op.Mul(total, inputs.lossWeight); // []
  });
}
