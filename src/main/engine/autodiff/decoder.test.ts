// End-to-end gradient check through the real decoder (models/decoder-graph.ts: RMSNorm, RoPE, GQA attention with
// causal + padding masks, SiLU MLP) on the tiny float32 Llama, and on the tiny Qwen3, Phi-3, Gemma 2 and Gemma 3 of the
// parity fixtures (q/k norms, fused projections sliced, longrope, GeGLU, sandwich norms, soft-capping, sliding
// windows): LoRA A/B on every projection of the architecture plus a soft prompt.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { i64, tensor } from '../graph';
import {
  declareLoraInputs,
  emitDecoder,
  emitLmHead,
  GraphWeights,
  loadCheckpoint,
  loraModules,
  type Checkpoint,
} from '../models';
import { ARCH_REFERENCES, REFERENCE_ROOT } from '../models/testing/reference-fixtures';
import { gradcheck, randomTensor, SeededRandom, type Tolerance } from './gradcheck';

const FIXTURE = join(import.meta.dirname, '..', 'models', '__fixtures__', 'tiny-llama-f32');

async function checkDecoderGradients(checkpoint: Checkpoint, tolerance?: Partial<Tolerance>) {
  const { config } = checkpoint;
  const modules = loraModules(config);
  const [B, T, n, r] = [2, 4, 2, 2];
  const rng = new SeededRandom(11);
  const feeds: Record<string, ReturnType<typeof tensor>> = {
    input_ids: i64([B, T], [5, 17, 42, 7, 0, 3, 8, 99]),
    attention_mask: i64([B, n + T], [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1]), // row 1: one padded token
    position_ids: i64([B, T], [2, 3, 4, 5, 2, 2, 3, 4]),
    lora_scaling: tensor('float32', [], Float32Array.of(2)),
    soft_prompt: randomTensor('float32', [n, config.hidden_size], rng, -0.5, 0.5),
  };
  const result = await gradcheck({
    name: `decoder ${config.architecture}`,
    externalDataFolder: checkpoint.folder,
    build: (g) => {
      const inputIds = g.input('input_ids', 'int64', ['B', 'T']);
      const attentionMask = g.input('attention_mask', 'int64', ['B', 'n+T']);
      const positionIds = g.input('position_ids', 'int64', ['B', 'T']);
      const softPrompt = g.input('soft_prompt', 'float32', ['n', config.hidden_size]);
      const lora = declareLoraInputs(g, config, modules);
      const weights = new GraphWeights(g);
      const out = emitDecoder(
        g,
        checkpoint,
        { inputIds, attentionMask, positionIds, softPrompt, past: null, lora },
        weights,
      );
      const logits = emitLmHead(g, checkpoint, out.hidden, weights); // [B, n+T, V]
      const w = g.input('w', 'float32', ['B', 'n+T', config.vocab_size]);
      const loss = g.op.ReduceSum(g.op.Mul(logits, w), undefined, { keepdims: false });
      const params = [softPrompt, ...lora.layers.flatMap((l) => Object.values(l).flatMap((p) => [p.A, p.B]))];
      for (const p of params.slice(1))
        feeds[p.name] = randomTensor(
          'float32',
          p.shape.map((d) => (typeof d === 'number' ? d : r)),
          rng,
          -0.5,
          0.5,
        );
      feeds['w'] = randomTensor('float32', [B, n + T, config.vocab_size], rng, -0.1, 0.1);
      return { output: loss, params };
    },
    feeds,
    ...(tolerance ? { tolerance } : {}),
  });
  expect(result.failures).toEqual([]);
  expect(result.params.length).toBe(1 + 2 * modules.length * config.num_hidden_layers);
  // Frozen base weights (external data) get no gradient outputs.
  expect(result.backward.outputs.filter((v) => v.name.startsWith('grad.model.'))).toEqual([]);
}

describe('decoder gradients', () => {
  it('LoRA (all modules) and soft prompt gradients of a full-sequence forward match finite differences', async () => {
    await checkDecoderGradients(await loadCheckpoint(FIXTURE));
  });

  it.each(ARCH_REFERENCES)(
    '%s: LoRA (every projection) and soft prompt gradients match finite differences',
    async (name) => {
      // Their random weights are not trained to be smooth: through q/k norms and soft-capping the fp32 central
      // differences carry up to ~1% (and 5e-3 absolute) noise; a smaller step gives more. A wrong VJP is off by far more.
      await checkDecoderGradients(await loadCheckpoint(join(REFERENCE_ROOT, name)), { atol: 1e-2, rtol: 1e-2 });
    },
    240_000, // about 10 s alone; thousands of forward runs, so a busy machine stretches it
  );
});
