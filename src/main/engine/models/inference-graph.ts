// The inference graph of a Llama-family checkpoint with a KV cache, with the input/output names HF Optimum and
// transformers.js use, plus Dovetail's hooks (LoRA A/B per module, a soft prompt) so one session serves every
// adapter configuration. Decoding asks for the last position's logits only (num_logits_to_keep = 1).
import { GraphBuilder, SLICE_END, type Graph, type Value } from '../graph';
import { emitDecoder, emitLmHead, type DecoderModel } from './decoder-graph';
import { GraphWeights } from './graph-weights';
import { declareLoraInputs, LORA_MODULES, type LoraModule } from './lora';

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
} as const;

export const INPUT_IDS = 'input_ids';
export const ATTENTION_MASK = 'attention_mask';
export const POSITION_IDS = 'position_ids';
export const SOFT_PROMPT = 'soft_prompt';
/** int64 scalar: logits for the last k positions; 0 = every position (transformers.js passes 0 by default). */
export const NUM_LOGITS_TO_KEEP = 'num_logits_to_keep';
export const LOGITS = 'logits';
export const pastName = (layer: number, part: 'key' | 'value'): string => `past_key_values.${layer}.${part}`;
export const presentName = (layer: number, part: 'key' | 'value'): string => `present.${layer}.${part}`;

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
}

/**
 * Inputs: input_ids [B, T], attention_mask [B, P+n+T], position_ids [B, T], past_key_values.{i}.key/.value
 * [B, Hkv, P, D], soft_prompt [n, C], lora.{i}.{module}.A/.B, lora_scaling [], num_logits_to_keep [].
 * Outputs: logits [B, k, V] (k = num_logits_to_keep, or n+T when 0), present.{i}.key/.value [B, Hkv, P+n+T, D].
 */
export function buildInferenceGraph(model: DecoderModel, options: InferenceGraphOptions = {}): Graph {
  const { config } = model;
  const targets = options.loraTargets ?? LORA_MODULES;
  const cached = options.kvCache !== false;
  const g = new GraphBuilder(`${config.architecture}-${cached ? 'inference' : 'full-sequence'}`);
  const B = DIMS.batch;
  const inputIds = g.input(INPUT_IDS, 'int64', [B, DIMS.sequence]);
  const attentionMask = g.input(ATTENTION_MASK, 'int64', [B, cached ? DIMS.total : DIMS.uncached]);
  const positionIds = g.input(POSITION_IDS, 'int64', [B, DIMS.sequence]);
  const kvShape = [B, config.num_key_value_heads, DIMS.past, config.head_dim];
  const past = cached
    ? Array.from({ length: config.num_hidden_layers }, (_, i) => ({
        key: g.input(pastName(i, 'key'), 'float32', kvShape),
        value: g.input(pastName(i, 'value'), 'float32', kvShape),
      }))
    : null;
  const softPrompt = options.softPrompt === false ? null : g.input(SOFT_PROMPT, 'float32', [DIMS.virtual, config.hidden_size]);
  const lora = targets.length > 0 ? declareLoraInputs(g, config, targets) : null;
  const keep = g.input(NUM_LOGITS_TO_KEEP, 'int64', []);

  const weights = new GraphWeights(g);
  const out = emitDecoder(g, model, { inputIds, attentionMask, positionIds, softPrompt, past, lora }, weights);
  const last: Value = g.scope('logits_to_keep', () =>
    g.op.Slice(out.hidden, g.op.Unsqueeze(g.op.Neg(keep), [0]), [SLICE_END], [1], DIMS.logits),
  ); // [B, k, C]
  g.output(LOGITS, emitLmHead(g, model, last, weights));
  if (cached) {
    out.present.forEach((p, i) => {
      g.output(presentName(i, 'key'), p.key);
      g.output(presentName(i, 'value'), p.value);
    });
  }
  return g.build();
}
