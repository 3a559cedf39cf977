// The reverse walk: accumulation over several uses, pruning to loss-to-parameter paths (frozen weights get no
// gradient and no backward nodes), gradient shapes with symbolic dims, and clear errors for bad requests.
import { describe, expect, it } from 'vitest';
import { BugError } from '../../../shared/errors';
import { encodeModel, f32, GraphBuilder, type Graph, type Node } from '../graph';
import { EngineSession } from '../runtime';
import { buildBackward, gradName } from './backward';
import { gradcheck } from './gradcheck';

const F = 'float64';

/** Forward node names that got backward nodes ("/grad/<forward node>/<op>"). */
function differentiated(graph: Graph, forward: Graph): string[] {
  const names = forward.nodes.map((n) => n.name).sort((a, b) => b.length - a.length);
  const hits = new Set<string>();
  for (const node of graph.nodes.slice(forward.nodes.length)) {
    const owner = names.find((name) => node.name.startsWith(`/grad${name}/`));
    if (owner) hits.add(owner);
  }
  return [...hits].sort();
}

const backwardNodes = (graph: Graph, forward: Graph, scope: string): Node[] =>
  graph.nodes.slice(forward.nodes.length).filter((n) => n.name.startsWith(`/grad${scope}/`));

describe('accumulation', () => {
  it('sums the gradients of a value used by several nodes and twice by one node', async () => {
    const result = await gradcheck({
      name: 'reuse',
      build: (g) => {
        const x = g.input('x', F, [2, 3]);
        const w = g.input('w', F, [3, 3]);
        const h = g.scope('h', () => g.op.Tanh(g.op.MatMul(x, w))); // used by Mul (twice), Sigmoid and Add
        const y = g.op.Add(g.op.Mul(h, h), g.op.Sigmoid(h));
        return { output: g.op.Add(y, h), params: [x, w] };
      },
    });
    expect(result.failures).toEqual([]);
    // dh = dY (Add) + dY·σ'(h) (Sigmoid) + 2·dY·h (Mul, both inputs): summed by Adds in Tanh's backward scope.
    const adds = backwardNodes(result.backward, result.forward, '/h/Tanh').filter((n) => n.op === 'Add');
    expect(adds.length).toBe(3);
  });
});

describe('pruning', () => {
  it('a 2-layer MLP with a LoRA path: gradients for A and B only, no backward for frozen-only paths', async () => {
    const result = await gradcheck({
      name: 'mlp-lora',
      build: (g) => {
        const x = g.input('x', F, [2, 3, 4]); // [B, T, C]
        const w0 = g.initializer('layers.0.weight', {
          dtype: F,
          dims: [5, 4],
          data: new Float64Array(20).map((_, i) => Math.sin(i)),
        }); // [H, C]
        const b0 = g.initializer('layers.0.bias', { dtype: F, dims: [5], data: new Float64Array(5).fill(0.1) });
        const w1 = g.initializer('layers.1.weight', {
          dtype: F,
          dims: [6, 5],
          data: new Float64Array(30).map((_, i) => Math.cos(i)),
        }); // [V, H]
        const A = g.input('lora.A', F, [2, 4]); // [r, C]
        const B = g.input('lora.B', F, [5, 2]); // [H, r]
        const scaling = g.input('lora_scaling', F, []);
        const h = g.scope('layers.0', () => {
          const base = g.op.Add(g.op.MatMul(x, g.op.Transpose(w0)), b0); // [B, T, H]
          const delta = g.scope('lora', () =>
            g.op.MatMul(g.op.Mul(g.op.MatMul(x, g.op.Transpose(A)), scaling), g.op.Transpose(B)),
          );
          return g.op.Tanh(g.op.Add(base, delta));
        });
        const logits = g.scope('layers.1', () => g.op.MatMul(h, g.op.Transpose(w1))); // [B, T, V]
        const mask = g.input('mask', F, [2, 3]);
        const perToken = g.op.ReduceSum(g.op.Mul(logits, logits), [-1], { keepdims: false }); // [B, T]
        const total = g.op.ReduceSum(g.op.Mul(perToken, mask), undefined, { keepdims: false });
        return { output: g.op.Div(total, g.op.ReduceSum(mask, undefined, { keepdims: false })), params: [A, B] }; // []
      },
      feeds: { mask: { dtype: F, dims: [2, 3], data: Float64Array.of(1, 1, 0, 0, 1, 1) } },
    });
    expect(result.failures).toEqual([]);
    const { forward, backward } = result;
    expect(backward.outputs.map((v) => v.name)).toEqual(['loss', gradName('lora.A'), gradName('lora.B')]);
    // (base + delta passes dY through unchanged, so that Add has no backward nodes of its own.)
    expect(differentiated(backward, forward)).toEqual(
      [
        '/Div',
        '/Mul_1', // perToken * mask
        '/Mul', // logits * logits
        '/ReduceSum',
        '/ReduceSum_1',
        '/layers.0/Tanh',
        '/layers.0/lora/MatMul',
        '/layers.0/lora/MatMul_1',
        '/layers.0/lora/Mul',
        '/layers.0/lora/Transpose',
        '/layers.0/lora/Transpose_1',
        '/layers.1/MatMul',
      ].sort(),
    );
    // The frozen head gives dh = dlogits·W1 and never dW1: one MatMul on W1 itself (not Transpose(W1ᵀ)), no
    // Transpose of h. The Add sums the two gradients of logits, used twice by logits·logits.
    const head = backwardNodes(backward, forward, '/layers.1/MatMul');
    expect(head.map((n) => n.op)).toEqual(['Add', 'MatMul']);
    expect(head[1]!.inputs[1]!.name).toBe('layers.1.weight');
    // The mask sum (ReduceSum_2) and the frozen base path (MatMul, Add, Transpose of w0) are pruned.
    expect(backwardNodes(backward, forward, '/ReduceSum_2')).toEqual([]);
    expect(backwardNodes(backward, forward, '/layers.0/MatMul')).toEqual([]);
  });

  it('keeps symbolic dims exact: gradient shapes equal the parameter shapes', () => {
    const g = new GraphBuilder('symbolic');
    const x = g.input('x', 'float32', ['B', 'T', 4]);
    const A = g.input('lora.A', 'float32', ['r', 4]);
    const B = g.input('lora.B', 'float32', [6, 'r']);
    const prompt = g.input('soft_prompt', 'float32', ['n', 4]);
    const rows = g.op.Expand(
      g.op.Unsqueeze(prompt, [0]),
      g.op.Concat([g.op.Shape(x, 0, 1), g.constant({ dtype: 'int64', dims: [2], data: BigInt64Array.of(1n, 1n) })], 0),
    );
    const h = g.op.Concat([rows, x], 1); // [B, n+T, 4]
    const y = g.op.MatMul(g.op.MatMul(h, g.op.Transpose(A)), g.op.Transpose(B)); // [B, n+T, 6]
    const loss = g.op.ReduceSum(g.op.Mul(y, y), undefined, { keepdims: false });
    g.output('loss', loss);
    const graph = buildBackward(g.build(), { loss, params: [A, B, prompt] });
    const shapes = Object.fromEntries(graph.outputs.map((v) => [v.name, v.shape]));
    expect(shapes).toEqual({
      loss: [],
      'grad.lora.A': ['r', 4],
      'grad.lora.B': [6, 'r'],
      'grad.soft_prompt': ['n', 4],
    });
    expect(
      graph.nodes.flatMap((n) => n.outputs).filter((v) => v.shape.some((d) => String(d).startsWith('unk__'))),
    ).toEqual([]);
  });
});

describe('requests', () => {
  function graph(): {
    forward: Graph;
    x: ReturnType<GraphBuilder['input']>;
    ids: ReturnType<GraphBuilder['input']>;
    y: ReturnType<GraphBuilder['input']>;
  } {
    const g = new GraphBuilder('requests');
    const x = g.input('x', 'float32', [3]);
    const unused = g.input('unused', 'float32', [2, 2]);
    const ids = g.input('ids', 'int64', [3]);
    const y = g.op.ReduceSum(g.op.Mul(x, g.op.Cast(ids, 'float32')), undefined, { keepdims: false });
    g.output('y', y);
    g.output('z', g.op.Relu(unused));
    return { forward: g.build(), x, ids, y };
  }

  it('gives zeros for a parameter the loss does not depend on, and skips integer inputs', () => {
    const { forward, x, y } = graph();
    const unused = forward.inputs[1]!;
    const out = buildBackward(forward, { loss: y, params: [x, unused] });
    expect(out.outputs.map((v) => [v.name, v.shape])).toEqual([
      ['y', []],
      ['z', [2, 2]],
      [gradName('x'), [3]],
      [gradName('unused'), [2, 2]],
    ]);
    // The Relu output z is not on the loss path: no backward nodes for it.
    expect(out.nodes.some((n) => n.name.startsWith('/grad/Relu'))).toBe(false);
  });

  it('refuses a non-scalar loss, a non-leaf or integer parameter, an unknown op and an inference-only op', () => {
    const { forward, x, ids, y } = graph();
    const z = forward.outputs[1]!;
    expect(() => buildBackward(forward, { loss: z, params: [x] })).toThrow(
      /the loss must be a float scalar, z is float32 \[2, 2\]/,
    );
    expect(() => buildBackward(forward, { loss: y, params: [ids] })).toThrow(/parameter ids is int64/);
    expect(() => buildBackward(forward, { loss: y, params: [z] })).toThrow(
      /parameter z is not an input or initializer/,
    );
    const forged: Graph = { ...forward, nodes: forward.nodes.map((n) => (n.op === 'Mul' ? { ...n, op: 'Erf' } : n)) };
    expect(() => buildBackward(forged, { loss: y, params: [x] })).toThrow(BugError);
    expect(() => buildBackward(forged, { loss: y, params: [x] })).toThrow(
      /Erf \(node \/Mul\) is not an op of the graph builder/,
    );
    // Every op of the builder has a row (the compiler checks vjps against OpName); fused kernels say they have none.
    const f = new GraphBuilder('fused');
    const h = f.input('h', 'float32', [1, 2, 4]);
    const normed = f.op.SkipSimplifiedLayerNormalization(h, h, f.initializer('gamma', f32([4], [1, 1, 1, 1])), 1e-6);
    const fusedLoss = f.op.ReduceSum(normed, undefined, { keepdims: false });
    f.output('loss', fusedLoss);
    expect(() => buildBackward(f.build(), { loss: fusedLoss, params: [h] })).toThrow(
      /SkipSimplifiedLayerNormalization has no gradient \(inference only\)/,
    );
  });

  it('differentiates float32 initializers: d sum(x·w) / dw[i, j] = sum_n x[n, i]', async () => {
    const g = new GraphBuilder('initializer');
    const w = g.initializer('w', f32([3, 2], [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])); // [3, 2]
    const x = g.input('x', 'float32', [2, 3]);
    const loss = g.op.ReduceSum(g.op.MatMul(x, w), undefined, { keepdims: false });
    g.output('loss', loss);
    const session = await EngineSession.create(encodeModel(buildBackward(g.build(), { loss, params: [w] })), {
      threads: 1,
    });
    try {
      const out = await session.run({ x: f32([2, 3], [1, 2, 3, 4, 5, 6]) });
      expect(Array.from(out[gradName('w')]!.data as Float32Array)).toEqual([5, 5, 7, 7, 9, 9]);
    } finally {
      await session.dispose();
    }
  });
});
