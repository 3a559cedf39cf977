// A graph of only the decoder's matrix products (q, k, v, o, gate, up, down per layer, then the lm_head), chained so
// none is dead: the ceiling for ORT's MatMul kernels on this model at one token, without attention or norms.
import { GraphBuilder, encodeModel } from '../../src/main/engine/graph';
import { GraphWeights, type Checkpoint } from '../../src/main/engine/models';

export function matmulOnlyModel(checkpoint: Checkpoint): Uint8Array {
  const { config, weights } = checkpoint;
  const g = new GraphBuilder('matmul-only');
  const w = new GraphWeights(g);
  let x = g.input('x', 'float32', ['batch_size', 1, config.hidden_size]); // [B, 1, C]
  for (const layer of weights.layers) {
    const mm = (v: typeof x, info: typeof layer.mlp.up_proj) => {
      if (!info) throw new Error('the matmul-only graph needs separate projections (a Llama-family model)');
      return g.op.MatMul(v, w.transposedFloat(info.weight));
    };
    const q = mm(x, layer.self_attn.q_proj);
    const k = mm(x, layer.self_attn.k_proj);
    const v = mm(x, layer.self_attn.v_proj);
    x = g.op.Add(x, mm(q, layer.self_attn.o_proj));
    // k and v feed back too (so they are not pruned), padded to C when H*D = C and Hkv*D divides C.
    const reps = config.hidden_size / (k.shape.at(-1) as number);
    if (Number.isInteger(reps) && reps >= 2)
      x = g.op.Add(x, g.op.Concat([k, v, ...Array.from({ length: reps - 2 }, () => k)], 2));
    x = g.op.Add(x, mm(g.op.Mul(mm(x, layer.mlp.gate_proj), mm(x, layer.mlp.up_proj)), layer.mlp.down_proj));
  }
  g.output('logits', g.op.MatMul(x, w.transposedFloat(weights.lm_head)));
  return encodeModel(g.build());
}
