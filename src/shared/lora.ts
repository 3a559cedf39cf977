// The LoRA and prompt-tuning vocabulary both sides of the service/engine border use: the projections an adapter may
// target (PEFT's target_modules names), the limits on rank and virtual tokens, and the one mapping from the
// contract's settings to PEFT's LoraConfig field names. Pure data, no Node.

/** PEFT target_modules of a Llama-family decoder layer (attention, then MLP projections). */
export const LORA_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export type LoraModule = (typeof LORA_MODULES)[number];

/** The projections under a layer's `mlp` (the others are under `self_attn`). */
export const LORA_MLP_MODULES: readonly LoraModule[] = ['gate_proj', 'up_proj', 'down_proj'];

/** PEFT's default target_modules for llama, mistral and qwen2 (constants.py). */
export const DEFAULT_TARGET_MODULES: readonly LoraModule[] = ['q_proj', 'v_proj'];

/** Largest LoRA rank Dovetail trains (vLLM's largest --max-lora-rank choice below it is 256 as well). */
export const MAX_LORA_RANK = 256;
/** Largest soft prompt Dovetail trains, in virtual tokens. */
export const MAX_VIRTUAL_TOKENS = 256;

/** The contract's LoRA settings (shared/contract/adapters.ts LoraSettings), as far as PEFT needs them. */
export interface LoraChoice {
  r: number;
  alpha: number;
  targets: readonly LoraModule[];
  rslora: boolean;
  dropout: number;
}

/** The same settings under PEFT's LoraConfig names, as the engine trains and the lineage records them. */
export interface PeftLoraFields {
  r: number;
  lora_alpha: number;
  target_modules: LoraModule[];
  use_rslora: boolean;
  lora_dropout: number;
}

export function toPeftLora(s: LoraChoice): PeftLoraFields {
  return { r: s.r, lora_alpha: s.alpha, target_modules: [...s.targets], use_rslora: s.rslora, lora_dropout: s.dropout };
}
