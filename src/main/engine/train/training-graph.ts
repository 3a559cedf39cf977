// The training graph of a Llama-family checkpoint: the inference forward (models/decoder-graph.ts, full sequence, no
// KV cache), the masked cross-entropy (loss.ts) and its backward (autodiff) for the LoRA A/B and soft prompt only.
import { BugError } from '../../../shared/errors';
import { buildBackward, gradName } from '../autodiff';
import { GraphBuilder, tensor, type Graph, type Tensor, type Value } from '../graph';
import {
  declareLoraDropoutInputs,
  declareLoraInputs,
  emitDecoder,
  GraphWeights,
  loraModules,
  type DecoderModel,
  type LoraModule,
} from '../models';
import type { Batch } from './collate';
import { emitMaskedCrossEntropy } from './loss';

/** Graph input and output names of the training graph. */
export const TRAIN_NAMES = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  positionIds: 'position_ids',
  targetRows: 'target_rows',
  targetIds: 'target_ids',
  lossWeight: 'loss_weight',
  softPrompt: 'soft_prompt',
  loss: 'loss',
} as const;

/** A collated batch as the training graph's data inputs; lossWeight = 1 / (target tokens of the optimizer step). */
export function batchFeeds(batch: Batch, lossWeight: number): Record<string, Tensor> {
  return {
    [TRAIN_NAMES.inputIds]: batch.inputIds,
    [TRAIN_NAMES.attentionMask]: batch.attentionMask,
    [TRAIN_NAMES.positionIds]: batch.positionIds,
    [TRAIN_NAMES.targetRows]: batch.targetRows,
    [TRAIN_NAMES.targetIds]: batch.targetIds,
    [TRAIN_NAMES.lossWeight]: tensor('float32', [], Float32Array.of(lossWeight)),
  };
}

/** Which parameters the graph trains: LoRA on some modules (every layer), a soft prompt, or both. */
export interface TrainingGraphSpec {
  loraTargets: readonly LoraModule[];
  softPrompt: boolean;
  /** PEFT's lora_dropout in [0, 1); above 0 the graph takes a keep mask per module (lora-dropout.ts). Default 0. */
  loraDropout?: number;
}

export interface TrainingGraphs {
  /** Outputs loss only (validation). */
  forward: Graph;
  /** Outputs loss and grad.<param> for every trainable input. */
  training: Graph;
  /** Trainable input names in order: soft_prompt, then lora.{i}.{module}.A/.B. */
  params: readonly string[];
}

/**
 * Inputs: input_ids [B, T], attention_mask [B, n+T] (1 = token; right padding), position_ids [B, T] (n + t),
 * target_rows [N], target_ids [N], loss_weight [], soft_prompt [n, C], lora.{i}.{module}.A [r, in] / .B [out, r],
 * lora_scaling []; with lora_dropout > 0 also lora.{i}.{module}.dropout_mask [B, n+T, in] bool and lora_dropout_scale
 * []. Outputs: loss [] (and grad.<param> in `training`).
 */
export function buildTrainingGraphs(model: DecoderModel, spec: TrainingGraphSpec): TrainingGraphs {
  const g = new GraphBuilder(`${model.config.architecture}-training`);
  const { loss, params } = emitTrainingLoss(g, model, spec);
  g.output(TRAIN_NAMES.loss, loss);
  const forward = g.build();
  return { forward, training: buildBackward(forward, { loss, params }), params: params.map((p) => p.name) };
}

/** Declares the training inputs in g and emits the loss; returns it with the trainable inputs (no outputs added). */
export function emitTrainingLoss(
  g: GraphBuilder,
  model: DecoderModel,
  spec: TrainingGraphSpec,
): { loss: Value; params: Value[] } {
  if (spec.loraTargets.length === 0 && !spec.softPrompt)
    throw new BugError('training graph: nothing to train (no LoRA targets, no soft prompt)');
  const { config } = model;
  const unknown = spec.loraTargets.find((m) => !loraModules(config).includes(m));
  if (unknown) throw new BugError(`training graph: ${unknown} is not a projection of this ${config.architecture}`);
  const inputIds = g.input(TRAIN_NAMES.inputIds, 'int64', ['B', 'T']);
  const attentionMask = g.input(TRAIN_NAMES.attentionMask, 'int64', ['B', spec.softPrompt ? 'n+T' : 'T']);
  const positionIds = g.input(TRAIN_NAMES.positionIds, 'int64', ['B', 'T']);
  const targetRows = g.input(TRAIN_NAMES.targetRows, 'int64', ['N']);
  const targetIds = g.input(TRAIN_NAMES.targetIds, 'int64', ['N']);
  const lossWeight = g.input(TRAIN_NAMES.lossWeight, 'float32', []);
  const softPrompt = spec.softPrompt ? g.input(TRAIN_NAMES.softPrompt, 'float32', ['n', config.hidden_size]) : null;
  const lora = spec.loraTargets.length > 0 ? declareLoraInputs(g, config, spec.loraTargets) : null;
  const p = spec.loraDropout ?? 0;
  if (!(p >= 0 && p < 1)) throw new BugError(`training graph: lora_dropout ${p} is outside [0, 1)`);
  if (lora && p > 0)
    lora.dropout = declareLoraDropoutInputs(g, config, spec.loraTargets, spec.softPrompt ? 'n+T' : 'T');
  const weights = new GraphWeights(g);
  const out = emitDecoder(
    g,
    model,
    { inputIds, attentionMask, positionIds, softPrompt, past: null, lora, normOp: true },
    weights,
  );
  const loss = emitMaskedCrossEntropy(g, model, weights, { hidden: out.hidden, targetRows, targetIds, lossWeight });
  const loraParams = lora?.layers.flatMap((l) => spec.loraTargets.flatMap((m) => [l[m]!.A, l[m]!.B])) ?? [];
  return { loss, params: [...(softPrompt ? [softPrompt] : []), ...loraParams] };
}

export { gradName };
