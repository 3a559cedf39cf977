// The training estimate's trainable-parameter count against the shapes the engine trains, for a model whose
// attention width (heads x head_dim) differs from hidden_size, and for Phi-3's fused projections and Gemma 2.
import { describe, expect, it } from 'vitest';
import { TrainingSpec } from '../../../shared/contract/adapters';
import { FUSED_PROJECTIONS, SEPARATE_PROJECTIONS, type LoraModule } from '../../../shared/lora';
import { loraParametersPerRank, parseDecoderConfig, type DecoderConfig, type DecoderModel } from '../../engine/models';
import { initLora } from '../../engine/train/init';
import { calibratedSeconds, calibrationOf, trainableParameters, type PreparedFacts } from './estimate';

/** A Llama config with an explicit head_dim (as Gemma-style and some Qwen checkpoints have): 4 x 32 = 128 != 64. */
const config = parseDecoderConfig({
  architectures: ['LlamaForCausalLM'],
  vocab_size: 100,
  hidden_size: 64,
  intermediate_size: 96,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 32,
});

function facts(c: DecoderConfig = config): PreparedFacts['model'] {
  return {
    parameters: 1,
    hiddenSize: c.hidden_size,
    layers: c.num_hidden_layers,
    vocabSize: c.vocab_size,
    intermediateSize: c.intermediate_size,
    bytesOnDisk: 0,
    loraParametersPerRank: loraParametersPerRank(c),
  };
}

function spec(method: 'lora' | 'both', r: number, targets: LoraModule[]): TrainingSpec {
  return TrainingSpec.parse({
    modelId: 'm',
    data: { kind: 'bundled', dataset: 'support-triage' },
    template: { inputField: 'i', outputField: 'o', prompt: '{{ input }}' },
    method,
    lora: { r, targets },
    softPrompt: { n: 5 },
  });
}

describe('trainableParameters', () => {
  it('counts q_proj and o_proj at heads x head_dim, k/v at kv heads x head_dim (HF LlamaAttention shapes)', () => {
    // q: 64 -> 128, k/v: 64 -> 64, o: 128 -> 64, gate/up: 64 -> 96, down: 96 -> 64; per layer, A [r, in] + B [out, r].
    const perLayer = 64 + 128 + (64 + 64) + (64 + 64) + (128 + 64) + (64 + 96) + (64 + 96) + (96 + 64);
    expect(trainableParameters(spec('lora', 4, [...SEPARATE_PROJECTIONS]), facts())).toBe(2 * 4 * perLayer);
  });

  it('equals the element count of the parameters the engine initialises, soft prompt included', () => {
    const s = spec('both', 8, ['q_proj', 'o_proj', 'down_proj']);
    const params = initLora({ config } as DecoderModel, { r: 8, targets: s.lora.targets }, 0);
    const engineCount = params.reduce((n, p) => n + p.data.length, 0);
    expect(engineCount).toBeGreaterThan(0);
    expect(trainableParameters(s, facts())).toBe(engineCount + 5 * config.hidden_size);
  });
});

const hyperSpec = (hyper: object) =>
  TrainingSpec.parse({
    modelId: 'm',
    data: { kind: 'bundled', dataset: 'support-triage' },
    template: { inputField: 'message', outputField: 'output', prompt: 'x' },
    hyper,
  });

describe('estimate calibration', () => {
  it("takes the step time from the steps after the first, and the first one's extra as start-up", () => {
    // Started at 0; steps end at 5.5 s (start-up 5 s + 0.5 s), 6.0, 6.5, 7.0 s.
    const c = calibrationOf(0, [5500, 6000, 6500, 7000]);
    expect(c.steps).toBe(4);
    expect(c.stepSeconds).toBeCloseTo(0.5);
    expect(c.setupSeconds).toBeCloseTo(5);
    expect(calibrationOf(0, [])).toEqual({ steps: 0, stepSeconds: 0, setupSeconds: 0 });
    expect(calibrationOf(0, [2000])).toEqual({ steps: 1, stepSeconds: 2, setupSeconds: 0 });
  });

  it('adds start-up, every step and the validation passes at their interval', () => {
    const c = { stepSeconds: 0.5, setupSeconds: 5 };
    // 250 steps, validation every 50 (5 passes) of 64 rows in batches of 8 (8 forward batches at 0.35 of a step).
    expect(calibratedSeconds(hyperSpec({ batchSize: 8, evalEvery: 50 }), 250, 64, c)).toBeCloseTo(
      5 + 125 + 5 * 8 * 0.5 * 0.35,
    );
    // A last partial interval still validates at the end; no validation rows, no passes.
    expect(calibratedSeconds(hyperSpec({ batchSize: 8, evalEvery: 50 }), 260, 64, c)).toBeCloseTo(
      5 + 130 + 6 * 8 * 0.5 * 0.35,
    );
    expect(calibratedSeconds(hyperSpec({ batchSize: 8, evalEvery: 50 }), 250, 0, c)).toBeCloseTo(130);
  });

  it('counts Phi-3 fused qkv_proj [(H + 2 kvH) D] and gate_up_proj [2 I] as the engine initialises them', () => {
    const phi = parseDecoderConfig({
      architectures: ['Phi3ForCausalLM'],
      vocab_size: 100,
      hidden_size: 64,
      intermediate_size: 96,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
    });
    // qkv: 64 -> (4 + 2 * 2) * 16 = 128, o: 64 -> 64, gate_up: 64 -> 192, down: 96 -> 64
    const perLayer = 64 + 128 + (64 + 64) + (64 + 192) + (96 + 64);
    expect(trainableParameters(spec('lora', 4, [...FUSED_PROJECTIONS]), facts(phi))).toBe(2 * 4 * perLayer);
    const s = spec('both', 8, ['qkv_proj', 'gate_up_proj']);
    const params = initLora({ config: phi } as DecoderModel, { r: 8, targets: s.lora.targets }, 0);
    expect(trainableParameters(s, facts(phi))).toBe(params.reduce((n, p) => n + p.data.length, 0) + 5 * 64);
    // a separate projection is not a module of this model: nothing of it to count (training refuses it)
    expect(loraParametersPerRank(phi).q_proj).toBeUndefined();
  });

  it('counts Gemma 2 (head_dim 256 > hidden / heads) at the shapes the engine trains', () => {
    const gemma = parseDecoderConfig({
      architectures: ['Gemma2ForCausalLM'],
      vocab_size: 100,
      hidden_size: 64,
      intermediate_size: 96,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      head_dim: 256,
    });
    const s = spec('lora', 2, [...SEPARATE_PROJECTIONS]);
    const params = initLora({ config: gemma } as DecoderModel, { r: 2, targets: s.lora.targets }, 0);
    expect(trainableParameters(s, facts(gemma))).toBe(params.reduce((n, p) => n + p.data.length, 0));
  });
});
