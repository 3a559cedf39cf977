// PEFT's on-disk names: the adapter folder's files, the tensor keys of adapter_model.safetensors and the module names
// of a supported *ForCausalLM that target_modules are resolved against (PEFT's utils/save_and_load.py and its
// developer guide checkpoint.md).
import type { DecoderConfig } from '../models';
import { LORA_MLP_MODULES as MLP_MODULES, LORA_MODULES, loraModulesOf, type LoraModule } from '../../../shared/lora';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';
/** PyTorch pickles; PEFT writes them with safe_serialization=False. Dovetail does not unpickle. */
export const ADAPTER_BIN_FILE = 'adapter_model.bin';
/** Dovetail's lineage sidecar, beside PEFT's files (PEFT and vLLM ignore it). */
export const LINEAGE_FILE = 'dovetail_adapter.json';
/**
 * When LoRA and a soft prompt are saved together: the LoRA at the root, the soft prompt here (PEFT's layout for a
 * second adapter).
 */
export const SOFT_PROMPT_SUBFOLDER = 'prompt_tuning';

/** The PeftModel -> LoraModel wrapper prefix; the HF module path follows ("model.layers.0..."). */
export const PEFT_PREFIX = 'base_model.model.';
/** Prompt tuning's one tensor: [num_virtual_tokens * num_transformer_submodules, token_dim]. */
export const PROMPT_EMBEDDINGS = 'prompt_embeddings';

/** HF module path of a projection: "model.layers.{i}.self_attn.q_proj" or "model.layers.{i}.mlp.up_proj". */
export function modulePath(layer: number, module: LoraModule): string {
  return `model.layers.${layer}.${MLP_MODULES.includes(module) ? 'mlp' : 'self_attn'}.${module}`;
}

/** "base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight" (A [r, in]) / ".lora_B.weight" (B [out, r]). */
export function loraKey(layer: number, module: LoraModule, part: 'A' | 'B'): string {
  return `${PEFT_PREFIX}${modulePath(layer, module)}.lora_${part}.weight`;
}

export type ParsedKey =
  | { kind: 'lora'; layer: number; module: LoraModule; part: 'A' | 'B' }
  /** A key PEFT writes for a feature Dovetail does not run (DoRA, biases, embedding LoRA, modules_to_save). */
  | { kind: 'unsupported'; reason: string }
  | { kind: 'unknown' };

const LORA_KEY = /^base_model\.model\.model\.layers\.(\d+)\.(self_attn|mlp)\.(\w+)\.lora_(A|B)\.weight$/;

/** Classifies one tensor key of a LoRA adapter_model.safetensors. */
export function parseLoraKey(key: string): ParsedKey {
  const m = LORA_KEY.exec(key);
  if (m) {
    const [, layer, block, module, part] = m as unknown as [string, string, string, string, 'A' | 'B'];
    if (
      (LORA_MODULES as readonly string[]).includes(module) &&
      (block === 'mlp') === MLP_MODULES.includes(module as LoraModule)
    ) {
      return { kind: 'lora', layer: Number(layer), module: module as LoraModule, part };
    }
    return { kind: 'unknown' };
  }
  if (key.endsWith('.lora_magnitude_vector') || key.includes('.lora_magnitude_vector.'))
    return { kind: 'unsupported', reason: 'DoRA (use_dora) magnitude vectors' };
  if (/\.lora_embedding_[AB]$/.test(key)) return { kind: 'unsupported', reason: 'LoRA on the embedding layer' };
  if (key.includes('.modules_to_save.') || !key.includes('lora_'))
    return {
      kind: 'unsupported',
      reason: 'fully trained copies of base weights (modules_to_save, bias or embeddings)',
    };
  if (key.endsWith('.bias')) return { kind: 'unsupported', reason: 'LoRA biases (lora_bias)' };
  return { kind: 'unknown' };
}

/**
 * The module names PEFT matches target_modules against (named_modules() of the architecture's *ForCausalLM), containers
 * and norms included so a regex that hits one is reported rather than ignored.
 */
export function modelModuleNames(config: DecoderConfig): string[] {
  const names = ['model', 'model.embed_tokens', 'model.layers'];
  const projections = loraModulesOf(config.architecture);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const layer = `model.layers.${i}`;
    names.push(layer, `${layer}.self_attn`);
    for (const m of projections.filter((p) => !MLP_MODULES.includes(p))) names.push(modulePath(i, m));
    if (config.qk_norm) names.push(`${layer}.self_attn.q_norm`, `${layer}.self_attn.k_norm`);
    names.push(`${layer}.mlp`);
    for (const m of projections.filter((p) => MLP_MODULES.includes(p))) names.push(modulePath(i, m));
    names.push(`${layer}.mlp.act_fn`, `${layer}.input_layernorm`, `${layer}.post_attention_layernorm`);
    if (config.sandwich_norms) names.push(`${layer}.pre_feedforward_layernorm`, `${layer}.post_feedforward_layernorm`);
  }
  names.push('model.norm', 'model.rotary_emb', 'lm_head');
  return names;
}

/** The layer index and projection of a module path, or null for anything else (embeddings, norms, containers). */
export function parseModulePath(name: string): { layer: number; module: LoraModule } | null {
  const m = /^model\.layers\.(\d+)\.(self_attn|mlp)\.(\w+)$/.exec(name);
  if (!m) return null;
  const module = m[3] as LoraModule;
  if (!LORA_MODULES.includes(module) || modulePath(Number(m[1]), module) !== name) return null;
  return { layer: Number(m[1]), module };
}
