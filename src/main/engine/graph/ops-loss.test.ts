// Shape inference of the loss and index ops (ops-loss.ts): output shapes with symbolic dims, and errors that name
// the shapes involved.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder';

describe('loss and index ops: shape inference', () => {
  it('GatherElements takes the indices shape; ScatterElements keeps the data shape', () => {
    const g = new GraphBuilder('index');
    const data = g.input('data', 'float32', ['N', 'V']);
    const idx = g.input('idx', 'int64', ['N', 1]);
    const picked = g.op.GatherElements(data, idx, 1);
    expect(picked.shape).toEqual(['N', 1]);
    expect(g.op.ScatterElements(data, idx, picked, 1, 'add').shape).toEqual(['N', 'V']);
  });

  it('GatherElements and ScatterElements reject mismatched ranks, shapes, axes and reductions', () => {
    const g = new GraphBuilder('index-errors');
    const data = g.input('data', 'float32', ['N', 'V']);
    const flat = g.input('flat', 'int64', ['N']);
    const idx = g.input('idx', 'int64', ['N', 1]);
    const updates = g.input('updates', 'float32', ['N', 2]);
    expect(() => g.op.GatherElements(data, flat, 1)).toThrow(/indices \[N\] must have the rank of data \[N, V\] \(2\)/);
    expect(() => g.op.GatherElements(data, idx, 2)).toThrow(/axis 2 is out of range for data \[N, V\]/);
    expect(() => g.op.ScatterElements(data, idx, updates, 1)).toThrow(
      /updates \[N, 2\] must have the shape of indices \[N, 1\]/,
    );
    expect(() => g.op.ScatterElements(data, idx, g.input('u64', 'float64', ['N', 1]), 1)).toThrow(
      /input dtypes differ: float32 and float64/,
    );
    expect(() => g.op.ScatterElements(data, idx, g.op.GatherElements(data, idx, 1), 1, 'avg' as 'add')).toThrow(
      /reduction is 'avg'/,
    );
  });

  it('GatherND and ScatterND address dims by the last dim of indices, and name the expected updates shape', () => {
    const g = new GraphBuilder('nd');
    const table = g.input('table', 'float32', ['V', 'B', 8]);
    const idx = g.input('idx', 'int64', ['N', 1]);
    const rows = g.op.GatherND(table, idx);
    expect(rows.shape).toEqual(['N', 'B', 8]);
    expect(g.op.ScatterND(table, idx, rows, 'add').shape).toEqual(['V', 'B', 8]);
    expect(g.op.GatherND(table, g.input('pairs', 'int64', [5, 2])).shape).toEqual([5, 8]);
    expect(() => g.op.ScatterND(table, idx, g.input('u', 'float32', ['N', 8]))).toThrow(
      /updates \[N, 8\] must be \[N, B, 8\] \(indices \[N, 1\] without its last dim, then data \[V, B, 8\] past the indexed dims\)/,
    );
    expect(() => g.op.GatherND(table, g.input('deep', 'int64', [2, 4]))).toThrow(
      /indices \[2, 4\] address 4 dims, data \[V, B, 8\] has 3/,
    );
    expect(() => g.op.GatherND(table, g.input('sym', 'int64', [2, 'k']))).toThrow(
      /last dim of indices \[2, k\] must be static/,
    );
  });

  it('SoftmaxCrossEntropyLoss gives [] or [N], and names the scores and labels shapes on a mismatch', () => {
    const g = new GraphBuilder('sce');
    const scores = g.input('scores', 'float32', ['N', 'V']);
    const labels = g.input('labels', 'int64', ['N']);
    expect(g.op.SoftmaxCrossEntropyLoss(scores, labels, 'sum').shape).toEqual([]);
    expect(g.op.SoftmaxCrossEntropyLoss(scores, labels, 'none').shape).toEqual(['N']);
    expect(() => g.op.SoftmaxCrossEntropyLoss(scores, g.input('other', 'int64', ['M']), 'sum')).toThrow(
      /labels must be \[N\] with N = N \(the rows of scores \[N, V\]\), got \[M\]/,
    );
    expect(() => g.op.SoftmaxCrossEntropyLoss(g.input('s3', 'float32', ['B', 'T', 'V']), labels)).toThrow(
      /scores must be \[N, C\], got \[B, T, V\]/,
    );
    expect(() => g.op.SoftmaxCrossEntropyLoss(scores, g.input('f', 'float32', ['N']))).toThrow(
      /labels has dtype float32/,
    );
  });
});
