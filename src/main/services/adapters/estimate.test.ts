// The training estimate's trainable-parameter count against the shapes the engine trains, for a model whose
// attention width (heads x head_dim) differs from hidden_size.
import { describe, expect, it } from 'vitest';
import { TrainingSpec } from '../../../shared/contract/adapters';
import { LORA_MODULES } from '../../../shared/lora';
import { loraParametersPerRank, parseDecoderConfig, type DecoderModel } from '../../engine/models';
import { initLora } from '../../engine/train/init';
import { trainableParameters, type PreparedFacts } from './estimate';

/** A Llama config with an explicit head_dim (as Gemma-style and some Qwen checkpoints have): 4 x 32 = 128 != 64. */
const config = parseDecoderConfig({
  architectures: ['LlamaForCausalLM'], vocab_size: 100, hidden_size: 64, intermediate_size: 96,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 32,
});

function facts(): PreparedFacts['model'] {
  return {
    parameters: 1, hiddenSize: config.hidden_size, layers: config.num_hidden_layers, vocabSize: config.vocab_size,
    intermediateSize: config.intermediate_size, bytesOnDisk: 0, loraParametersPerRank: loraParametersPerRank(config),
  };
}

function spec(method: 'lora' | 'both', r: number, targets: (typeof LORA_MODULES)[number][]): TrainingSpec {
  return TrainingSpec.parse({
    modelId: 'm', data: { kind: 'bundled', dataset: 'support-triage' }, template: { inputField: 'i', outputField: 'o', prompt: '{{ input }}' },
    method, lora: { r, targets }, softPrompt: { n: 5 },
  });
}

describe('trainableParameters', () => {
  it('counts q_proj and o_proj at heads x head_dim, k/v at kv heads x head_dim (HF LlamaAttention shapes)', () => {
    // q: 64 -> 128, k/v: 64 -> 64, o: 128 -> 64, gate/up: 64 -> 96, down: 96 -> 64; per layer, A [r, in] + B [out, r].
    const perLayer = (64 + 128) + (64 + 64) + (64 + 64) + (128 + 64) + (64 + 96) + (64 + 96) + (96 + 64);
    expect(trainableParameters(spec('lora', 4, [...LORA_MODULES]), facts())).toBe(2 * 4 * perLayer);
  });

  it('equals the element count of the parameters the engine initialises, soft prompt included', () => {
    const s = spec('both', 8, ['q_proj', 'o_proj', 'down_proj']);
    const params = initLora({ config } as DecoderModel, { r: 8, targets: s.lora.targets }, 0);
    const engineCount = params.reduce((n, p) => n + p.data.length, 0);
    expect(engineCount).toBeGreaterThan(0);
    expect(trainableParameters(s, facts())).toBe(engineCount + 5 * config.hidden_size);
  });
});
