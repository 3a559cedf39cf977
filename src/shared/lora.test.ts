// The adapter vocabulary per architecture: which projections a model has, its default targets, and targets named in
// the other layout (recipes and presets name Llama's) carried over to the model's own projections.
import { describe, expect, it } from 'vitest';
import { defaultTargetModules, FUSED_PROJECTIONS, LORA_MODULES, loraModulesOf, targetsFor } from './lora';

describe('LoRA vocabulary', () => {
  it('lists Phi-3 fused projections and the separate ones of every other architecture, all in LORA_MODULES', () => {
    expect(loraModulesOf('Phi3ForCausalLM')).toEqual(['qkv_proj', 'o_proj', 'gate_up_proj', 'down_proj']);
    for (const arch of ['LlamaForCausalLM', 'Qwen3ForCausalLM', 'Gemma2ForCausalLM', 'Gemma3ForCausalLM'])
      expect(loraModulesOf(arch)).toEqual([
        'q_proj',
        'k_proj',
        'v_proj',
        'o_proj',
        'gate_proj',
        'up_proj',
        'down_proj',
      ]);
    expect([...FUSED_PROJECTIONS, ...loraModulesOf('LlamaForCausalLM')].every((m) => LORA_MODULES.includes(m))).toBe(
      true,
    );
  });

  it("defaults to PEFT's q_proj, v_proj, and to qkv_proj on Phi-3 (PEFT has no default there)", () => {
    expect(defaultTargetModules('Qwen3ForCausalLM')).toEqual(['q_proj', 'v_proj']);
    expect(defaultTargetModules('Phi3ForCausalLM')).toEqual(['qkv_proj']);
  });

  it('carries targets over to the fused layout and back', () => {
    expect(targetsFor('Phi3ForCausalLM', ['q_proj', 'v_proj'])).toEqual(['qkv_proj']);
    expect(targetsFor('Phi3ForCausalLM', ['gate_proj', 'up_proj', 'down_proj', 'o_proj'])).toEqual([
      'o_proj',
      'gate_up_proj',
      'down_proj',
    ]);
    expect(targetsFor('Gemma2ForCausalLM', ['qkv_proj', 'gate_up_proj'])).toEqual([
      'q_proj',
      'k_proj',
      'v_proj',
      'gate_proj',
      'up_proj',
    ]);
    expect(targetsFor('LlamaForCausalLM', ['v_proj', 'q_proj'])).toEqual(['q_proj', 'v_proj']);
  });
});
