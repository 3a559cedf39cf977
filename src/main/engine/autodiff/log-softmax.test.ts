// Gradient checks of the log ops the masked cross-entropy needs (LogSoftmax, Log), in float64 through onnxruntime,
// and LogSoftmax's forward against the plain formula x - log(sum(exp(x))).
import { describe, expect, it } from 'vitest';
import { encodeModel, GraphBuilder, tensor } from '../graph';
import { EngineSession } from '../runtime';
import { gradcheck, randomTensor, SeededRandom } from './gradcheck';

const F = 'float64';

describe('LogSoftmax and Log VJPs', () => {
  it('LogSoftmax along the last and a middle axis matches finite differences', async () => {
    for (const axis of [-1, 1]) {
      const result = await gradcheck({
        name: `LogSoftmax ${axis}`,
        build: (g) => {
          const x = g.input('x', F, [2, 3, 4]);
          return { output: g.op.LogSoftmax(x, axis), params: [x] };
        },
      });
      expect(result.failures).toEqual([]);
    }
  });

  it('LogSoftmax picked by a one-hot mask (a cross-entropy) matches finite differences', async () => {
    const result = await gradcheck({
      name: 'LogSoftmax cross-entropy',
      build: (g) => {
        const x = g.input('x', F, [3, 5]);
        const onehot = g.input('onehot', F, [3, 5]);
        const picked = g.op.ReduceSum(g.op.Mul(g.op.LogSoftmax(x, -1), onehot), undefined, { keepdims: false });
        return { output: g.op.Neg(picked), params: [x] };
      },
      feeds: { onehot: tensor(F, [3, 5], Float64Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])) },
    });
    expect(result.failures).toEqual([]);
  });

  it('Log on positive inputs matches finite differences', async () => {
    const result = await gradcheck({
      name: 'Log',
      build: (g) => {
        const x = g.input('x', F, [2, 3]);
        return { output: g.op.Log(x), params: [x] };
      },
      feeds: { x: randomTensor(F, [2, 3], new SeededRandom(3), 0.5, 2) },
    });
    expect(result.failures).toEqual([]);
  });

  it('LogSoftmax forward equals x - log(sum(exp(x))) and stays finite for large logits', async () => {
    const g = new GraphBuilder('log-softmax');
    const x = g.input('x', 'float32', [2, 3]);
    g.output('y', g.op.LogSoftmax(x));
    const session = await EngineSession.create(encodeModel(g.build()), { threads: 1 });
    try {
      const values = [1, 2, 3, 1000, 1001, 999];
      const out = await session.run({ x: tensor('float32', [2, 3], Float32Array.from(values)) });
      const y = out['y']?.data as Float32Array;
      for (let r = 0; r < 2; r++) {
        const row = values.slice(3 * r, 3 * r + 3);
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        row.forEach((v, i) => expect(y[3 * r + i]).toBeCloseTo(v - lse, 5));
      }
    } finally {
      await session.dispose();
    }
  });
});
