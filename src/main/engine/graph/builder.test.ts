import { describe, expect, it } from 'vitest';
import { BugError } from '../../../shared/errors';
import { GraphBuilder } from './builder';
import { f32 } from './tensor';
import { findProblems } from './verify';

function expectShapeError(fn: () => unknown, ...fragments: string[]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(BugError);
  const message = (thrown as BugError).message;
  expect((thrown as BugError).code).toBe('graph-shape');
  for (const fragment of fragments) expect(message).toContain(fragment);
}

describe('GraphBuilder shape inference', () => {
  it('tracks static and symbolic dims through MatMul, Add, ReduceSum, Transpose and Cast', () => {
    const g = new GraphBuilder('shapes');
    const x = g.input('x', 'float32', ['B', 'T', 64]); // x: [B, T, C]
    const w = g.initializer('w', f32([64, 32], new Float32Array(64 * 32))); // w: [C, 32]
    const b = g.initializer('b', f32([32], new Float32Array(32)));
    const h = g.op.Add(g.op.MatMul(x, w), b);
    expect(h.shape).toEqual(['B', 'T', 32]);
    expect(g.op.ReduceSum(h, [-1], { keepdims: false }).shape).toEqual(['B', 'T']);
    expect(g.op.ReduceSum(h, [1]).shape).toEqual(['B', 1, 32]);
    expect(g.op.ReduceSum(h).shape).toEqual([1, 1, 1]);
    expect(g.op.Transpose(h, [0, 2, 1]).shape).toEqual(['B', 32, 'T']);
    expect(g.op.Transpose(w).shape).toEqual([32, 64]);
    const c = g.op.Cast(h, 'float16');
    expect(c.dtype).toBe('float16');
    expect(g.op.MatMul(g.input('v', 'float32', [64]), w).shape).toEqual([32]);
  });

  it('names the node, the clashing dims and every input when MatMul inner dims differ', () => {
    const g = new GraphBuilder('bad-matmul');
    const x = g.input('x', 'float32', ['B', 64]);
    const w = g.initializer('w', f32([32, 16], new Float32Array(32 * 16)));
    expectShapeError(
      () => g.scope('layer0', () => g.op.MatMul(x, w)),
      'Shape error at /layer0/MatMul (MatMul)',
      'A [B, 64] has 64 columns',
      'B [32, 16] has 32 rows',
      'A = x float32 [B, 64]; B = w float32 [32, 16]',
    );
  });

  it('explains broadcast, symbolic, dtype, axis and permutation errors', () => {
    const g = new GraphBuilder('errors');
    const a = g.input('a', 'float32', ['B', 3, 4]);
    expectShapeError(
      () => g.op.Add(a, g.input('b', 'float32', [5, 4])),
      'do not broadcast',
      'dim -2 is 3 in one and 5 in the other',
    );
    expectShapeError(() => g.op.Mul(a, g.input('c', 'float32', ['T', 3, 4])), 'dim -3 is B in one and T in the other');
    expectShapeError(
      () => g.op.Add(a, g.input('d', 'float16', [4])),
      'input dtypes differ: float32 and float16 (insert a Cast)',
    );
    expectShapeError(() => g.op.Tanh(g.input('i', 'int64', [2])), 'X has dtype int64; allowed: float32');
    expectShapeError(() => g.op.ReduceSum(a, [3]), 'axis 3 is out of range for data [B, 3, 4] (rank 3)');
    expectShapeError(
      () => g.op.Transpose(a, [0, 0, 1]),
      'perm [0, 0, 1] is not a permutation of the 3 dims of [B, 3, 4]',
    );
  });

  it('rejects values from another graph, duplicate names and a second build', () => {
    const g = new GraphBuilder('one');
    const other = new GraphBuilder('two').input('x', 'float32', [2]);
    expect(() => g.op.Relu(other)).toThrow(/a value of another graph/);
    g.input('x', 'float32', [2]);
    expect(() => g.input('x', 'float32', [2])).toThrow(/already used/);
    g.output('y', g.op.Relu(g.input('z', 'float32', [2])));
    g.build();
    expect(() => g.op.Relu(other)).toThrow(/already built/);
  });

  it('renames a fresh node output to the requested output name, and routes inputs through Identity', () => {
    const g = new GraphBuilder('names');
    const x = g.input('x', 'float32', [2]);
    const y = g.output('y', g.op.Tanh(x));
    expect(y.name).toBe('y');
    const same = g.output('x_out', x);
    expect(same.name).toBe('x_out');
    const graph = g.build();
    expect(graph.nodes.map((n) => n.op)).toEqual(['Tanh', 'Identity']);
  });
});

describe('verifier', () => {
  it('finds nodes whose recorded shapes no longer match what the op infers', () => {
    const g = new GraphBuilder('tampered');
    const x = g.input('x', 'float32', [2, 3]);
    g.output('y', g.op.Relu(x));
    const graph = g.build();
    const node = graph.nodes[0];
    if (!node) throw new Error('no node');
    const forged = { ...graph, nodes: [{ ...node, outputs: [{ ...graph.outputs[0]!, shape: [3, 2] }] }] };
    expect(findProblems(forged)).toEqual([
      'node /Relu (Relu): output y recorded as float32 [3, 2], op infers float32 [2, 3]',
      'output y is never computed',
    ]);
    expect(findProblems({ ...graph, outputs: [] })).toContain('the graph has no outputs');
  });
});
