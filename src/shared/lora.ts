// The LoRA and prompt-tuning vocabulary both sides of the service/engine border use: the projections an adapter may
// target (PEFT's target_modules names), the limits on rank and virtual tokens, and the one mapping from the
// contract's settings to PEFT's LoraConfig field names. Pure data, no Node.

/**
 * Every projection an adapter may target, under PEFT's target_modules names: a decoder layer's attention, then its
 * MLP. Phi-3 fuses q, k and v into qkv_proj and gate and up into gate_up_proj; the other architectures keep them apart.
 */
export const LORA_MODULES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'qkv_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'gate_up_proj',
  'down_proj',
] as const;
export type LoraModule = (typeof LORA_MODULES)[number];

/** The projections under a layer's `mlp` (the others are under `self_attn`). */
export const LORA_MLP_MODULES: readonly LoraModule[] = ['gate_proj', 'up_proj', 'gate_up_proj', 'down_proj'];

/** A layer's projections in Llama, Qwen2/3, Mistral and Gemma 2/3. */
export const SEPARATE_PROJECTIONS: readonly LoraModule[] = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
];
/** A layer's projections in Phi-3 / 3.5 (Phi3ForCausalLM). */
export const FUSED_PROJECTIONS: readonly LoraModule[] = ['qkv_proj', 'o_proj', 'gate_up_proj', 'down_proj'];

/** The projections a model of this architecture (config.json's class name) has, in layer order. */
export function loraModulesOf(architecture: string): readonly LoraModule[] {
  return architecture === 'Phi3ForCausalLM' ? FUSED_PROJECTIONS : SEPARATE_PROJECTIONS;
}

/** PEFT's default target_modules for llama, mistral, qwen2, qwen3, gemma2 and gemma3_text (constants.py). */
export const DEFAULT_TARGET_MODULES: readonly LoraModule[] = ['q_proj', 'v_proj'];

/**
 * The targets a new adapter starts with: PEFT's default, or for Phi-3 (which PEFT has no default for) the fused
 * attention projection, which holds q and v.
 */
export function defaultTargetModules(architecture: string): readonly LoraModule[] {
  return architecture === 'Phi3ForCausalLM' ? ['qkv_proj'] : DEFAULT_TARGET_MODULES;
}

const FUSED_FROM: Partial<Record<LoraModule, LoraModule>> = {
  q_proj: 'qkv_proj',
  k_proj: 'qkv_proj',
  v_proj: 'qkv_proj',
  gate_proj: 'gate_up_proj',
  up_proj: 'gate_up_proj',
};
const SEPARATE_FROM: Partial<Record<LoraModule, readonly LoraModule[]>> = {
  qkv_proj: ['q_proj', 'k_proj', 'v_proj'],
  gate_up_proj: ['gate_proj', 'up_proj'],
};

/**
 * Targets named in the other layout's names, in this architecture's (recipes and presets name Llama's projections):
 * on Phi-3, q, k or v is adapted through qkv_proj and gate or up through gate_up_proj; elsewhere the reverse.
 */
export function targetsFor(architecture: string, targets: readonly string[]): LoraModule[] {
  const own = loraModulesOf(architecture);
  const fused = own === FUSED_PROJECTIONS;
  const wanted = new Set<string>();
  for (const t of targets) {
    const m = t as LoraModule;
    for (const x of fused ? [FUSED_FROM[m] ?? m] : (SEPARATE_FROM[m] ?? [m])) wanted.add(x);
  }
  return own.filter((m) => wanted.has(m));
}

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
