// Gradient checks of the loss and index ops' VJPs (vjp-loss.ts) in float64 through onnxruntime, and
// SoftmaxCrossEntropyLoss's forward against the plain formula: what ORT computes is what the VJP differentiates.
import { describe, expect, it } from 'vitest';
import { encodeModel, GraphBuilder, i64, tensor } from '../graph';
import { EngineSession } from '../runtime';

import { expectGradientsMatch as check } from './testing/expect-gradients';

const F = 'float64';

describe('gradient checks: loss and index ops', () => {
  it('SoftmaxCrossEntropyLoss with reduction sum, mean and none, labels repeated', async () => {
    for (const reduction of ['sum', 'mean', 'none'] as const) {
      await check({
        name: `SoftmaxCrossEntropyLoss ${reduction}`,
        build: (g) => {
          const scores = g.input('scores', F, [4, 5]); // [N, C]
          const labels = g.input('labels', 'int64', [4]); // [N]
          return { output: g.op.SoftmaxCrossEntropyLoss(scores, labels, reduction), params: [scores] };
        },
        feeds: { labels: i64([4], [1, 4, 1, 0]) },
      });
    }
  });

  it('SoftmaxCrossEntropyLoss over symbolic rows (the training graph N), int32 labels', async () => {
    await check({
      name: 'SoftmaxCrossEntropyLoss symbolic',
      build: (g) => {
        const x = g.input('x', F, [3, 6]);
        const rows = g.op.Reshape(x, [-1, 3]); // [6, 3]
        const labels = g.input('labels', 'int32', [6]);
        return { output: g.op.SoftmaxCrossEntropyLoss(g.op.Tanh(rows), labels, 'sum'), params: [x] };
      },
      feeds: { labels: tensor('int32', [6], Int32Array.of(2, 0, 0, 1, 2, 2)) },
    });
  });

  it('GatherElements along axis 1 (a pick per row) and axis 0, with repeated and negative indices', async () => {
    await check({
      name: 'GatherElements axis 1',
      build: (g) => {
        const data = g.input('data', F, [3, 5]);
        const idx = g.input('idx', 'int64', [3, 2]);
        return { output: g.op.GatherElements(data, idx, 1), params: [data] }; // [3, 2]
      },
      feeds: { idx: i64([3, 2], [4, 4, 0, -1, 2, 1]) },
    });
    await check({
      name: 'GatherElements axis 0',
      build: (g) => {
        const data = g.input('data', F, [4, 2, 3]);
        const idx = g.input('idx', 'int32', [2, 2, 3]);
        return { output: g.op.GatherElements(data, idx, 0), params: [data] };
      },
      feeds: { idx: tensor('int32', [2, 2, 3], Int32Array.of(0, 3, 3, 1, 1, 2, 3, 0, 2, 2, 1, 1)) },
    });
  });

  it('ScatterElements with reduction add (repeated indices) and none (distinct indices), both inputs trained', async () => {
    await check({
      name: 'ScatterElements add',
      build: (g) => {
        const data = g.input('data', F, [3, 4]);
        const idx = g.input('idx', 'int64', [3, 2]);
        const updates = g.input('updates', F, [3, 2]);
        return { output: g.op.ScatterElements(data, idx, updates, 1, 'add'), params: [data, updates] };
      },
      feeds: { idx: i64([3, 2], [1, 1, 0, 3, -1, 2]) },
    });
    await check({
      name: 'ScatterElements none',
      build: (g) => {
        const data = g.input('data', F, [4, 3]);
        const idx = g.input('idx', 'int64', [2, 3]);
        const updates = g.input('updates', F, [2, 3]);
        return { output: g.op.Tanh(g.op.ScatterElements(data, idx, updates, 0)), params: [data, updates] };
      },
      feeds: { idx: i64([2, 3], [0, 3, 1, 2, 1, 3]) },
    });
  });

  it('GatherND of rows and of single elements, with a repeated index tuple', async () => {
    await check({
      name: 'GatherND rows',
      build: (g) => {
        const data = g.input('data', F, [4, 3]);
        const idx = g.input('idx', 'int64', [2, 2, 1]);
        return { output: g.op.GatherND(data, idx), params: [data] }; // [2, 2, 3]
      },
      feeds: { idx: i64([2, 2, 1], [3, 0, 3, 1]) },
    });
    await check({
      name: 'GatherND elements',
      build: (g) => {
        const data = g.input('data', F, [3, 4, 2]);
        const idx = g.input('idx', 'int64', [3, 2]);
        return { output: g.op.GatherND(data, idx), params: [data] }; // [3, 2]
      },
      feeds: { idx: i64([3, 2], [2, 3, 0, 1, 2, 3]) },
    });
  });

  it('ScatterND with reduction add (repeated rows) and none (distinct rows), both inputs trained', async () => {
    await check({
      name: 'ScatterND add',
      build: (g) => {
        const data = g.input('data', F, [5, 2]);
        const idx = g.input('idx', 'int64', [3, 1]);
        const updates = g.input('updates', F, [3, 2]);
        return { output: g.op.ScatterND(data, idx, updates, 'add'), params: [data, updates] };
      },
      feeds: { idx: i64([3, 1], [4, 1, 4]) },
    });
    await check({
      name: 'ScatterND none',
      build: (g) => {
        const data = g.input('data', F, [3, 4]);
        const idx = g.input('idx', 'int64', [2, 2]);
        const updates = g.input('updates', F, [2]);
        return { output: g.op.Tanh(g.op.ScatterND(data, idx, updates)), params: [data, updates] };
      },
      feeds: { idx: i64([2, 2], [0, 3, 2, 1]) },
    });
  });
});

describe('SoftmaxCrossEntropyLoss forward', () => {
  it('equals sum over rows of logsumexp(x) - x[label] and stays finite for large scores', async () => {
    const g = new GraphBuilder('sce');
    const x = g.input('x', 'float32', ['N', 3]);
    const labels = g.input('labels', 'int64', ['N']);
    g.output('loss', g.op.SoftmaxCrossEntropyLoss(x, labels, 'sum'));
    const session = await EngineSession.create(encodeModel(g.build()), { threads: 1 });
    try {
      const values = [1, 2, 3, 1000, 1001, 999];
      const ids = [2, 0];
      const out = await session.run({ x: tensor('float32', [2, 3], Float32Array.from(values)), labels: i64([2], ids) });
      let expected = 0;
      for (let r = 0; r < 2; r++) {
        const row = values.slice(3 * r, 3 * r + 3);
        const max = Math.max(...row);
        expected += max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - (row[ids[r]!] as number);
      }
      expect((out['loss']?.data as Float32Array)[0]).toBeCloseTo(expected, 4);
    } finally {
      await session.dispose();
    }
  });
});
