// Gradient checks of the shape-moving ops' VJPs (vjp-shape.ts), float64 through onnxruntime, including symbolic
// dims (the soft-prompt Concat and the Slice that drops its positions) fed with concrete sizes.
import { describe, expect, it } from 'vitest';
import { i64, SLICE_END, tensor } from '../graph';
import { randomTensor, SeededRandom } from './gradcheck';
import { expectGradientsMatch as check } from './testing/expect-gradients';

const F = 'float64';

describe('gradient checks: shape ops', () => {
  it('Gather along axis 0 (embedding rows, repeated and negative ids) and along axis 1', async () => {
    await check({
      name: 'Gather axis 0',
      build: (g) => {
        const data = g.input('data', F, [5, 3]); // [V, C]
        const ids = g.input('ids', 'int64', [2, 3]); // [B, T]
        return { output: g.op.Gather(data, ids), params: [data] }; // [B, T, C]
      },
      feeds: { ids: i64([2, 3], [1, 4, 1, 0, -1, 1]) },
    });
    await check({
      name: 'Gather axis 1',
      build: (g) => {
        const data = g.input('data', F, [3, 5, 2]);
        const ids = g.input('ids', 'int32', [4]);
        return { output: g.op.Gather(data, ids, 1), params: [data] }; // [3, 4, 2]
      },
      feeds: { ids: tensor('int32', [4], Int32Array.of(2, 0, 2, 4)) },
    });
    await check({
      name: 'Gather symbolic rows',
      build: (g) => {
        const data = g.input('data', F, ['V', 3]);
        const ids = g.input('ids', 'int64', [4]);
        return { output: g.op.Gather(data, ids), params: [data] };
      },
      feeds: { data: randomTensor(F, [6, 3], new SeededRandom(2)), ids: i64([4], [5, 0, 5, -2]) },
    });
    await check({
      name: 'Gather scalar index of a vector',
      build: (g) => {
        const data = g.input('data', F, [5]);
        return { output: g.op.Gather(data, g.constant(i64([], [3]))), params: [data] };
      },
    });
  });

  it('Reshape, with -1 and 0', async () => {
    await check({
      name: 'Reshape',
      build: (g) => {
        const x = g.input('x', F, [2, 3, 4]);
        return { output: g.op.Tanh(g.op.Reshape(x, [0, -1])), params: [x] }; // [2, 12]
      },
    });
  });

  it('Concat of three inputs along a middle axis', async () => {
    await check({
      name: 'Concat',
      build: (g) => {
        const xs = [1, 2, 3].map((n, i) => g.input(`x${i}`, F, [2, n, 3]));
        return { output: g.op.Concat(xs, 1), params: xs }; // [2, 6, 3]
      },
    });
  });

  it('Slice on two axes, with negative starts and to the end', async () => {
    await check({
      name: 'Slice',
      build: (g) => {
        const x = g.input('x', F, [4, 6, 2]);
        return { output: g.op.Slice(x, [1, -4], [3, SLICE_END], [0, 1]), params: [x] }; // [2, 4, 2]
      },
    });
    await check({
      name: 'Slice clamped',
      build: (g) => {
        const x = g.input('x', F, [4, 3]);
        return { output: g.op.Slice(x, [-10], [2], [-1]), params: [x] }; // [4, 2]
      },
    });
  });

  it('Unsqueeze, Squeeze and Expand', async () => {
    await check({
      name: 'Unsqueeze',
      build: (g) => {
        const x = g.input('x', F, [2, 3]);
        return { output: g.op.Unsqueeze(x, [0, -1]), params: [x] }; // [1, 2, 3, 1]
      },
    });
    await check({
      name: 'Squeeze',
      build: (g) => {
        const x = g.input('x', F, [2, 1, 3, 1]);
        return { output: g.op.Squeeze(x, [1, -1]), params: [x] }; // [2, 3]
      },
    });
    await check({
      name: 'Expand',
      build: (g) => {
        const x = g.input('x', F, [3, 1]);
        return { output: g.op.Expand(x, [2, 3, 4]), params: [x] }; // [2, 3, 4]
      },
    });
  });

  it('symbolic dims: soft prompt [P, C] concatenated before token embeddings [B, T, C], then sliced off', async () => {
    const rng = new SeededRandom(3);
    const B = 2;
    const T = 3;
    await check({
      name: 'soft prompt',
      build: (g) => {
        const prompt = g.input('prompt', F, [2, 4]); // [P, C]
        const tokens = g.input('tokens', F, ['B', 'T', 4]); // [B, T, C]
        const w = g.input('w', F, [4, 4]);
        const batch = g.op.Shape(tokens, 0, 1); // [1] = [B]
        const expanded = g.op.Expand(
          g.op.Unsqueeze(prompt, [0]),
          g.op.Concat([batch, g.constant(i64([2], [2, 4]))], 0),
        ); // [B, P, C]
        const h = g.op.Tanh(g.op.MatMul(g.op.Concat([expanded, tokens], 1), w)); // [B, T+2, C]
        const out = g.op.Slice(h, [2], [SLICE_END], [1]); // [B, T, C]
        expect(out.shape).toEqual(['B', 'T', 4]);
        return {
          output: g.op.ReduceSum(g.op.Mul(out, out), undefined, { keepdims: false }),
          params: [prompt, tokens, w],
        };
      },
      feeds: {
        tokens: randomTensor(F, [B, T, 4], rng),
        prompt: randomTensor(F, [2, 4], rng),
        w: randomTensor(F, [4, 4], rng),
      },
    });
  });
});
