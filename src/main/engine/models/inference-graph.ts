// The inference graph of a Llama-family checkpoint with a KV cache, with the input/output names HF Optimum and
// transformers.js use, plus Dovetail's hooks (LoRA A/B per module, a soft prompt) so one session serves every
// adapter configuration. Decoding asks for the last position's logits only (num_logits_to_keep = 1).
import { GraphBuilder, SLICE_END, type Graph, type Value } from '../graph';
import { BugError } from '../../../shared/errors';
import { decomposedAttention, type AttentionBuilder } from './attention';
import { emitDecoder, emitLmHead, type DecoderModel } from './decoder-graph';
import { GraphWeights } from './graph-weights';
import { declareLoraInputs, declareRowLoraInputs, loraModules, type LoraModule } from './lora';

/** Symbolic dims, named as Optimum names them (transformers.js fills "batch_size" and sets other past dims to 0). */
export const DIMS = {
  batch: 'batch_size',
  sequence: 'sequence_length',
  past: 'past_sequence_length',
  virtual: 'num_virtual_tokens',
  total: 'num_virtual_tokens+past_sequence_length+sequence_length',
  /** Keys of a graph without a cache: the virtual tokens and the new tokens. */
  uncached: 'num_virtual_tokens+sequence_length',
  logits: 'logits_length',
  /** Positions a runner-held cache buffer has room for (the 'appended' cache kind); the first P are used. */
  capacity: 'past_capacity',
} as const;

export const INPUT_IDS = 'input_ids';
export const ATTENTION_MASK = 'attention_mask';
export const POSITION_IDS = 'position_ids';
export const SOFT_PROMPT = 'soft_prompt';
/** Per-row graphs: int64 [B, n], the positions of each row's virtual tokens. */
export const SOFT_PROMPT_POSITION_IDS = 'soft_prompt_position_ids';
/** int64 scalar: logits for the last k positions; 0 = every position (transformers.js passes 0 by default). */
export const NUM_LOGITS_TO_KEEP = 'num_logits_to_keep';
export const LOGITS = 'logits';
export const pastName = (layer: number, part: 'key' | 'value'): string => `past_key_values.${layer}.${part}`;
export const presentName = (layer: number, part: 'key' | 'value'): string => `present.${layer}.${part}`;
/** The 'appended' cache kind's outputs: this call's keys and values only, [B, n+T, Hkv*D] (projection layout). */
export const addedName = (layer: number, part: 'key' | 'value'): string => `new_key_values.${layer}.${part}`;

export interface InferenceGraphOptions {
  /** Modules that get LoRA inputs (default: all seven); a session serves adapters on a subset of these. */
  loraTargets?: readonly LoraModule[];
  /** Whether the graph has the soft_prompt input (default true). */
  softPrompt?: boolean;
  /**
   * false: the full-sequence kind (no past_key_values inputs, no present outputs; attention_mask [B, n+T]), the
   * forward the training graph also starts from. Default true.
   */
  kvCache?: boolean;
  /**
   * 'present' (default, as Optimum): past_key_values [B, Hkv, P, D] in, present [B, Hkv, P+n+T, D] out.
   * 'appended': the caller keeps the cache in growing buffers. past_key_values.{i} are [B, Hkv, capacity, D] buffers
   * of which the first P = attention_mask width - n - T positions are read; outputs new_key_values.{i} hold only this
   * call's [B, n+T, Hkv*D] (as projected; the caller lays them out in its buffers). ORT reads inputs in place but
   * copies every output, so this avoids copying the whole cache out (and back in) on every decode step.
   */
  cacheOutputs?: 'present' | 'appended';
  /**
   * The layers' attention (default decomposedAttention, the training graph's); one that reads the cache buffers itself
   * needs the 'appended' cache kind.
   */
  attention?: AttentionBuilder;
  /**
   * The per-row kind: every row of a batch carries its own adapter and soft prompt. LoRA inputs are the batch's K
   * distinct adapters stacked (A [K, r, in], B [K, out, r], lora_scaling [K]) with lora_index [B]; soft_prompt is
   * [B, n, C] (each row's, left-padded to the longest, its padding masked by attention_mask) with
   * soft_prompt_position_ids [B, n]. Default false: one adapter and one soft prompt [n, C] for the whole batch.
   */
  perRow?: boolean;
  /**
   * The prefill kind: linears whose weight cache has an int8 copy run DynamicQuantizeMatMul (fast at many rows; its
   * activations are quantized per call, so logits are close to, not equal to, the decode kind's). Default false.
   */
  prefill?: boolean;
}

/**
 * Inputs: input_ids [B, T], attention_mask [B, P+n+T], position_ids [B, T], past_key_values.{i}.key/.value
 * [B, Hkv, P, D], soft_prompt [n, C], lora.{i}.{module}.A/.B, lora_scaling [], num_logits_to_keep [] (per row:
 * see InferenceGraphOptions.perRow).
 * Outputs: logits [B, k, V] (k = num_logits_to_keep, or n+T when 0), present.{i}.key/.value [B, Hkv, P+n+T, D].
 */
export function buildInferenceGraph(model: DecoderModel, options: InferenceGraphOptions = {}): Graph {
  const { config } = model;
  const targets = options.loraTargets ?? loraModules(config);
  const cached = options.kvCache !== false;
  const g = new GraphBuilder(`${config.architecture}-${cached ? 'inference' : 'full-sequence'}`);
  const B = DIMS.batch;
  const inputIds = g.input(INPUT_IDS, 'int64', [B, DIMS.sequence]);
  const attentionMask = g.input(ATTENTION_MASK, 'int64', [B, cached ? DIMS.total : DIMS.uncached]);
  const positionIds = g.input(POSITION_IDS, 'int64', [B, DIMS.sequence]);
  const attention = options.attention ?? decomposedAttention;
  const appended = cached && options.cacheOutputs === 'appended';
  // Such an attention reads the used prefix of each buffer itself; its present outputs are not graph outputs.
  if (attention.readsCacheBuffers && !appended)
    throw new BugError(
      `${attention.name} attention graphs have the 'appended' cache kind, not '${options.cacheOutputs ?? 'present'}'`,
    );
  const kvShape = [B, config.num_key_value_heads, appended ? DIMS.capacity : DIMS.past, config.head_dim];
  const pastInputs = cached
    ? Array.from({ length: config.num_hidden_layers }, (_, i) => ({
        key: g.input(pastName(i, 'key'), 'float32', kvShape),
        value: g.input(pastName(i, 'value'), 'float32', kvShape),
      }))
    : null;
  const perRow = options.perRow === true;
  const softPrompt =
    options.softPrompt === false
      ? null
      : g.input(
          SOFT_PROMPT,
          'float32',
          perRow ? [B, DIMS.virtual, config.hidden_size] : [DIMS.virtual, config.hidden_size],
        );
  const softPromptPositions =
    softPrompt && perRow ? g.input(SOFT_PROMPT_POSITION_IDS, 'int64', [B, DIMS.virtual]) : undefined;
  let past = pastInputs;
  if (pastInputs && appended && !attention.readsCacheBuffers) {
    past = g.scope('past_key_values', () => {
      // P = K - T - n: the used prefix of each buffer, from the mask's width.
      let used = g.op.Sub(g.op.Shape(attentionMask, 1, 2), g.op.Shape(inputIds, 1, 2)); // [1]
      if (softPrompt) used = g.op.Sub(used, perRow ? g.op.Shape(softPrompt, 1, 2) : g.op.Shape(softPrompt, 0, 1));
      const prefix = (buffer: Value): Value => g.op.Slice(buffer, [0], used, [2], DIMS.past); // [B, Hkv, P, D]
      return pastInputs.map((p) => ({ key: prefix(p.key), value: prefix(p.value) }));
    });
  }
  const declare = perRow ? declareRowLoraInputs : declareLoraInputs;
  const lora = targets.length > 0 ? declare(g, config, targets, B) : null;
  const keep = g.input(NUM_LOGITS_TO_KEEP, 'int64', []);

  const weights = new GraphWeights(g, model.quantized ?? null, options.prefill === true);
  const out = emitDecoder(
    g,
    model,
    {
      inputIds,
      attentionMask,
      positionIds,
      softPrompt,
      ...(softPromptPositions ? { softPromptPositions } : {}),
      past,
      lora,
      attention,
      fusedNorms: true,
    },
    weights,
  );
  const last: Value = g.scope('logits_to_keep', () =>
    g.op.Slice(out.hidden, g.op.Unsqueeze(g.op.Neg(keep), [0]), [SLICE_END], [1], DIMS.logits),
  ); // [B, k, C]
  g.output(LOGITS, emitLmHead(g, model, last, weights));
  if (cached) {
    (appended ? out.added : out.present).forEach((p, i) => {
      g.output((appended ? addedName : presentName)(i, 'key'), p.key);
      g.output((appended ? addedName : presentName)(i, 'value'), p.value);
    });
  }
  return g.build();
}
