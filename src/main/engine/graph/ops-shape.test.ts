// The shape ops and the ops the decoder graph added: symbolic shape inference (with Shape contents propagated) and
// onnxruntime computing the same shapes and values, including empty tensors (LoRA rank 0, no soft prompt).
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from './builder';
import { SLICE_END } from './ops-shape';
import { f32, i64, tensor, type Tensor } from './tensor';
import { disposeGraphSessions, runGraph as run } from './testing/run-graph';

afterAll(disposeGraphSessions);

const values = (t: Tensor | undefined): number[] => (t ? Array.from(t.data as ArrayLike<number | bigint>, Number) : []);

describe('shape inference with symbolic dims', () => {
  it('propagates Shape contents through Gather, Concat, Squeeze, Sub and Range', () => {
    const g = new GraphBuilder('propagate');
    const mask = g.input('mask', 'int64', ['B', 'P+n+T']);
    const x = g.input('x', 'float32', ['B', 'n+T', 8]);
    const keys = g.op.Squeeze(g.op.Shape(mask, 1, 2), [0]);
    const queries = g.op.Gather(g.op.Shape(x), g.constant(i64([], [1])));
    expect(queries.shape).toEqual([]);
    const range = g.op.Range(g.op.Sub(keys, queries), keys, g.constant(i64([], [1])));
    expect(range.shape).toEqual(['T+n']);
    const target = g.op.Concat([g.op.Shape(x, 0, 1), g.constant(i64([2], [1, 1]))], 0);
    expect(g.op.Expand(g.input('row', 'float32', [1, 'n', 8]), target).shape).toEqual(['B', 'n', 8]);
  });

  it('infers Reshape with 0 and -1 over sums, and Concat of repeats to the same dim', () => {
    const g = new GraphBuilder('reshape');
    const q = g.input('q', 'float32', ['B', 2, 3, 'n+T', 8]); // [B, Hkv, G, S, D]
    const rows = g.op.Reshape(q, [0, 0, -1, 8]);
    expect(rows.shape).toEqual(['B', 2, 'T*3+n*3', 8]);
    const m = g.input('m', 'float32', ['B', 1, 'T+n', 'K']);
    expect(g.op.Concat([m, m, m], 2).shape).toEqual(['B', 1, 'T*3+n*3', 'K']);
    expect(g.op.Reshape(rows, [0, 0, 3, -1, 8]).shape).toEqual(['B', 2, 3, 'T+n', 8]);
    expect(() => g.op.Reshape(rows, [0, 0, 5, -1, 8])).toThrow(/cannot infer the -1/);
  });

  it('slices with constant bounds symbolically and names data-dependent dims', () => {
    const g = new GraphBuilder('slice');
    const h = g.input('h', 'float32', ['B', 'S', 16]);
    expect(g.op.Slice(h, [0], [8], [2]).shape).toEqual(['B', 'S', 8]);
    expect(g.op.Slice(h, [-1], [SLICE_END], [1]).shape).toEqual(['B', 1, 16]);
    const k = g.input('k', 'int64', [1]);
    expect(g.op.Slice(h, k, [SLICE_END], [1], 'kept').shape).toEqual(['B', 'kept', 16]);
    expect(g.op.Slice(h, k, [SLICE_END], [1]).shape).toEqual(['B', 'unk__0', 16]);
  });
});

describe('onnxruntime agrees', () => {
  it('computes Gather, Unsqueeze, Expand, Concat with an empty part, Range and a causal mask', async () => {
    const g = new GraphBuilder('mask');
    const ids = g.input('ids', 'int64', ['B', 'T']);
    const soft = g.input('soft', 'float32', ['n', 2]);
    const table = g.initializer('table', f32([3, 2], [0, 1, 10, 11, 20, 21]));
    const rows = g.op.Gather(table, ids); // [B, T, 2]
    const batch = g.op.Shape(ids, 0, 1);
    const expanded = g.op.Expand(g.op.Unsqueeze(soft, [0]), g.op.Concat([batch, g.constant(i64([2], [1, 1]))], 0));
    g.output('embeds', g.op.Concat([expanded, rows], 1)); // [B, n+T, 2]
    const T = g.op.Squeeze(g.op.Shape(ids, 1, 2), [0]);
    const index = g.op.Range(g.constant(i64([], [0])), T, g.constant(i64([], [1])));
    const causal = g.op.LessOrEqual(index, g.op.Unsqueeze(index, [1])); // [T, T]
    g.output('bias', g.op.Where(causal, g.constant(f32([], [0])), g.constant(f32([], [-1]))));
    const out = await run(g, { ids: i64([1, 3], [2, 0, 1]), soft: tensor('float32', [0, 2], new Float32Array(0)) });
    expect(out['embeds']?.dims).toEqual([1, 3, 2]);
    expect(values(out['embeds'])).toEqual([20, 21, 0, 1, 10, 11]);
    expect(values(out['bias'])).toEqual([0, -1, -1, 0, 0, -1, 0, 0, 0]);
  });

  it('computes Softmax, ReduceMean, Sqrt, Reciprocal, Pow, Sin, Cos, and MatMul over a zero-sized inner dim', async () => {
    const g = new GraphBuilder('math');
    const x = g.input('x', 'float32', [2, 2]);
    g.output('softmax', g.op.Softmax(x));
    g.output('rms', g.op.Reciprocal(g.op.Sqrt(g.op.ReduceMean(g.op.Pow(x, g.constant(f32([], [2]))), [-1]))));
    g.output('trig', g.op.Add(g.op.Mul(g.op.Sin(x), g.op.Sin(x)), g.op.Mul(g.op.Cos(x), g.op.Cos(x))));
    const a = g.input('a', 'float32', ['r', 2]); // LoRA A [r, in] with r = 0
    const b = g.input('b', 'float32', [3, 'r']);
    g.output('lora', g.op.MatMul(g.op.MatMul(x, g.op.Transpose(a)), g.op.Transpose(b))); // [2, 3] zeros
    const out = await run(g, {
      x: f32([2, 2], [0, Math.log(3), 3, 4]),
      a: tensor('float32', [0, 2], new Float32Array(0)),
      b: tensor('float32', [3, 0], new Float32Array(0)),
    });
    values(out['softmax']).forEach((v, i) =>
      expect(v).toBeCloseTo([0.25, 0.75, 1 / (1 + Math.E), Math.E / (1 + Math.E)][i]!, 6),
    );
    values(out['rms']).forEach((v, i) =>
      expect(v).toBeCloseTo([1 / Math.sqrt(Math.log(3) ** 2 / 2), 1 / Math.sqrt(12.5)][i]!, 6),
    );
    values(out['trig']).forEach((v) => expect(v).toBeCloseTo(1, 6));
    expect(out['lora']?.dims).toEqual([2, 3]);
    expect(values(out['lora'])).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
