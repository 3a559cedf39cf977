// LoRA as graph inputs, after PEFT: y = W x + scaling * B(A(x)), A [r, in], B [out, r], scaling = lora_alpha / r
// (lora_alpha / sqrt(r) with use_rslora). Rank 0 (empty A and B) turns a module's adapter off in the same session.
import type { GraphBuilder, Value } from '../graph';
import { tensor, type Tensor } from '../graph';
import { LORA_MODULES, loraModulesOf, SEPARATE_PROJECTIONS, type LoraModule } from '../../../shared/lora';
import type { DecoderConfig } from './config';

export { LORA_MODULES, SEPARATE_PROJECTIONS, type LoraModule };

/** The projections of this model's layers (Phi-3: qkv_proj, o_proj, gate_up_proj, down_proj; else the seven). */
export function loraModules(config: Pick<DecoderConfig, 'architecture'>): readonly LoraModule[] {
  return loraModulesOf(config.architecture);
}

/** Graph input names: lora.{i}.{module}.A [r, in], lora.{i}.{module}.B [out, r]; one lora_scaling scalar. */
export const loraInputName = (layer: number, module: LoraModule, part: 'A' | 'B'): string =>
  `lora.${layer}.${module}.${part}`;
export const LORA_SCALING = 'lora_scaling';

/** PEFT's scaling: lora_alpha / r, or lora_alpha / sqrt(r) with rsLoRA (0 when r is 0). */
export function loraScaling(r: number, alpha: number, useRslora = false): number {
  if (r === 0) return 0;
  return useRslora ? alpha / Math.sqrt(r) : alpha / r;
}

/** [in, out] features of each module's nn.Linear. */
export function loraFeatures(config: DecoderConfig, module: LoraModule): { in: number; out: number } {
  const C = config.hidden_size;
  const I = config.intermediate_size;
  const q = config.num_attention_heads * config.head_dim;
  const kv = config.num_key_value_heads * config.head_dim;
  const table: Record<LoraModule, [number, number]> = {
    q_proj: [C, q],
    k_proj: [C, kv],
    v_proj: [C, kv],
    qkv_proj: [C, q + 2 * kv],
    o_proj: [q, C],
    gate_proj: [C, I],
    up_proj: [C, I],
    gate_up_proj: [C, 2 * I],
    down_proj: [I, C],
  };
  const [inF, outF] = table[module];
  return { in: inF, out: outF };
}

/**
 * LoRA parameters per unit of rank of each of the model's modules over all layers: L * (in + out), since A [r, in] and
 * B [out, r]. The training estimate multiplies by r, so it counts the very shapes the engine trains (head_dim, fused
 * projections included).
 */
export function loraParametersPerRank(config: DecoderConfig): Partial<Record<LoraModule, number>> {
  const sizes: Partial<Record<LoraModule, number>> = {};
  for (const module of loraModules(config)) {
    const f = loraFeatures(config, module);
    sizes[module] = config.num_hidden_layers * (f.in + f.out);
  }
  return sizes;
}

/** One module's adapter inside a graph: A [r, in] and B [out, r]. */
export interface LoraPair {
  A: Value;
  B: Value;
}

/**
 * The LoRA hooks of a graph: per layer, per targeted module, and the scaling. One adapter for the whole batch: A [r,
 * in], B [out, r], scaling []. Per row (`rowIndex` set): the K adapters of a batch stacked, A [K, r, in], B [K, out,
 * r], scaling [K], and each row's adapter in rowIndex [B].
 */
export interface LoraHooks {
  layers: Partial<Record<LoraModule, LoraPair>>[]; // [L]
  scaling: Value; // [] float32, or [K] per row
  /** Per-row graphs only: int64 [B], the index into the K stacked adapters of each row. */
  rowIndex?: Value;
  /** Training only: PEFT's lora_dropout on each module's LoRA input, as keep masks fed per run (null: no dropout). */
  dropout?: LoraDropoutHooks | null;
}

/** Graph input name of a module's dropout keep mask: lora.{i}.{module}.dropout_mask, bool [B, S, in]. */
export const loraDropoutMaskName = (layer: number, module: LoraModule): string =>
  `lora.${layer}.${module}.dropout_mask`;
/**
 * Scalar input: 1 / (1 - lora_dropout) while training, 1 with all-true masks at validation (nn.Dropout's eval mode).
 */
export const LORA_DROPOUT_SCALE = 'lora_dropout_scale';

/** Keep masks per layer and module (true = kept) and the inverted-dropout scale input. */
export interface LoraDropoutHooks {
  masks: Partial<Record<LoraModule, Value>>[]; // [L]
  scale: Value; // [] float32
}

/** Declares the dropout keep masks, bool [B, S, in] with S the graph's sequence dim (virtual tokens included). */
export function declareLoraDropoutInputs(
  g: GraphBuilder,
  config: DecoderConfig,
  targets: readonly LoraModule[],
  sequence: string,
): LoraDropoutHooks {
  const masks = Array.from({ length: config.num_hidden_layers }, (_, i) => {
    const layer: Partial<Record<LoraModule, Value>> = {};
    for (const module of targets)
      layer[module] = g.input(loraDropoutMaskName(i, module), 'bool', ['B', sequence, loraFeatures(config, module).in]);
    return layer;
  });
  return { masks, scale: g.input(LORA_DROPOUT_SCALE, 'float32', []) };
}

/** Declares the LoRA inputs (rank a symbolic dim per module, so PEFT rank_pattern adapters fit too). */
export function declareLoraInputs(g: GraphBuilder, config: DecoderConfig, targets: readonly LoraModule[]): LoraHooks {
  const layers = Array.from({ length: config.num_hidden_layers }, (_, i) => {
    const pairs: Partial<Record<LoraModule, LoraPair>> = {};
    for (const module of targets) {
      const f = loraFeatures(config, module);
      const r = `r.${i}.${module}`;
      pairs[module] = {
        A: g.input(loraInputName(i, module, 'A'), 'float32', [r, f.in]),
        B: g.input(loraInputName(i, module, 'B'), 'float32', [f.out, r]),
      };
    }
    return pairs;
  });
  return { layers, scaling: g.input(LORA_SCALING, 'float32', []) };
}

/** Graph input of the per-row kind: each row's adapter, int64 [B] into the K stacked adapters. */
export const LORA_INDEX = 'lora_index';

/**
 * Declares the per-row LoRA inputs: lora.{i}.{module}.A [K, r, in] and .B [K, out, r] (K adapters, each padded with
 * zeros to the batch's largest rank r of that module, which leaves its product unchanged), lora_scaling [K] and
 * lora_index [B].
 */
export function declareRowLoraInputs(
  g: GraphBuilder,
  config: DecoderConfig,
  targets: readonly LoraModule[],
  batch: string,
): LoraHooks {
  const K = 'num_adapters';
  const layers = Array.from({ length: config.num_hidden_layers }, (_, i) => {
    const pairs: Partial<Record<LoraModule, LoraPair>> = {};
    for (const module of targets) {
      const f = loraFeatures(config, module);
      const r = `r.${i}.${module}`;
      pairs[module] = {
        A: g.input(loraInputName(i, module, 'A'), 'float32', [K, r, f.in]),
        B: g.input(loraInputName(i, module, 'B'), 'float32', [K, f.out, r]),
      };
    }
    return pairs;
  });
  return {
    layers,
    scaling: g.input(LORA_SCALING, 'float32', [K]),
    rowIndex: g.input(LORA_INDEX, 'int64', [batch]),
  };
}

/**
 * The per-row delta for x [B, S, in] -> [B, S, out]: row b uses adapter rowIndex[b], gathered from the stacked A [K,
 * r, in] and B [K, out, r]; scaling[rowIndex[b]] applies on the small [B, S, r] product, as in emitLoraDelta.
 */
export function emitRowLoraDelta(g: GraphBuilder, x: Value, pair: LoraPair, scaling: Value, rowIndex: Value): Value {
  const A = g.op.Gather(pair.A, rowIndex, 0); // [B, r, in]
  const B = g.op.Gather(pair.B, rowIndex, 0); // [B, out, r]
  const scale = g.op.Unsqueeze(g.op.Gather(scaling, rowIndex, 0), [1, 2]); // [B, 1, 1]
  const down = g.op.MatMul(x, g.op.Transpose(A, [0, 2, 1])); // [B, S, r]
  return g.op.MatMul(g.op.Mul(down, scale), g.op.Transpose(B, [0, 2, 1])); // [B, S, out]
}

/**
 * scaling * (dropout(x) A^T) B^T for x [..., in] -> [..., out]; the scale is applied on the small [..., r] product.
 * dropout(x) = x * keep / (1 - p) (PEFT's nn.Dropout on the LoRA path only) when a keep mask is given.
 */
export function emitLoraDelta(
  g: GraphBuilder,
  x: Value,
  pair: LoraPair,
  scaling: Value,
  dropout: { keep: Value; scale: Value } | null = null,
): Value {
  const input = dropout ? g.op.Mul(x, g.op.Mul(g.op.Cast(dropout.keep, 'float32'), dropout.scale)) : x;
  const down = g.op.MatMul(input, g.op.Transpose(pair.A)); // [..., r]
  return g.op.MatMul(g.op.Mul(down, scaling), g.op.Transpose(pair.B)); // [..., out]
}

/** One module's adapter weights as tensors: A [r, in], B [out, r] (PEFT's lora_A.weight / lora_B.weight). */
export interface LoraWeights {
  A: Tensor<'float32'>;
  B: Tensor<'float32'>;
}

/** An adapter for a whole model: module weights per layer (missing = off) and PEFT's scaling. */
export interface LoraAdapter {
  layers: Partial<Record<LoraModule, LoraWeights>>[];
  scaling: number;
}

/** Session feeds for the LoRA inputs: the adapter's tensors, and empty (rank-0) ones for modules it leaves out. */
export function loraFeeds(
  config: DecoderConfig,
  targets: readonly LoraModule[],
  adapter: LoraAdapter | null,
): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const module of targets) {
      const f = loraFeatures(config, module);
      const w = adapter?.layers[i]?.[module];
      feeds[loraInputName(i, module, 'A')] = w?.A ?? tensor('float32', [0, f.in], new Float32Array(0));
      feeds[loraInputName(i, module, 'B')] = w?.B ?? tensor('float32', [f.out, 0], new Float32Array(0));
    }
  }
  feeds[LORA_SCALING] = tensor('float32', [], Float32Array.of(adapter?.scaling ?? 0));
  return feeds;
}
