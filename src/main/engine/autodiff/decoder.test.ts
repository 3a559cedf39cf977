// End-to-end gradient check through the real Llama decoder (models/decoder-graph.ts: RMSNorm, RoPE, GQA attention
// with causal + padding masks, SiLU MLP) on the tiny float32 fixture: LoRA A/B on all seven modules plus a soft prompt.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { i64, tensor } from '../graph';
import { declareLoraInputs, emitDecoder, emitLmHead, GraphWeights, loadCheckpoint, SEPARATE_PROJECTIONS } from '../models';
import { gradcheck, randomTensor, SeededRandom } from './gradcheck';

const FIXTURE = join(import.meta.dirname, '..', 'models', '__fixtures__', 'tiny-llama-f32');

describe('decoder gradients', () => {
  it('LoRA (all modules) and soft prompt gradients of a full-sequence forward match finite differences', async () => {
    const checkpoint = await loadCheckpoint(FIXTURE);
    const { config } = checkpoint;
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
      name: 'decoder',
      externalDataFolder: checkpoint.folder,
      build: (g) => {
        const inputIds = g.input('input_ids', 'int64', ['B', 'T']);
        const attentionMask = g.input('attention_mask', 'int64', ['B', 'n+T']);
        const positionIds = g.input('position_ids', 'int64', ['B', 'T']);
        const softPrompt = g.input('soft_prompt', 'float32', ['n', config.hidden_size]);
        const lora = declareLoraInputs(g, config, SEPARATE_PROJECTIONS);
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
    });
    expect(result.failures).toEqual([]);
    expect(result.params.length).toBe(1 + 2 * 7 * config.num_hidden_layers);
    // Frozen base weights (external data) get no gradient outputs.
    expect(result.backward.outputs.filter((v) => v.name.startsWith('grad.model.'))).toEqual([]);
  });
});
