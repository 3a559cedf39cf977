// One finite-difference gradient check per op of the VJP table (vjp.ts), in float64 through onnxruntime, with
// broadcasting cases for the binary ops and batched, broadcast and vector cases for MatMul.
import { describe, expect, it } from 'vitest';
import { f32, ops, tensor, type DType, type GraphBuilder, type Tensor, type Value } from '../graph';
import { NONE } from './context';
import { gradcheck, randomTensor, SeededRandom, type GradcheckCase } from './gradcheck';
import { vjpOf } from './vjp';
import { expectGradientsMatch as check } from './testing/expect-gradients';

const F = 'float64';

/** Values in [min, max) for inputs that need a domain (positive for Sqrt, Div, Pow). */
function between(dims: readonly number[], min: number, max: number, seed = 7, dtype: DType = F): Tensor {
  return randomTensor(dtype, dims, new SeededRandom(seed), min, max);
}

/** Gradient of f(x) for a unary op on x [2, 3]. */
function unaryCase(
  name: string,
  f: (g: GraphBuilder, x: Value) => Value,
  feeds?: Record<string, Tensor>,
): GradcheckCase {
  return {
    name,
    build: (g) => {
      const x = g.input('x', F, [2, 3]);
      return { output: f(g, x), params: [x] };
    },
    ...(feeds ? { feeds } : {}),
  };
}

/** Gradients of both operands of a binary op with broadcasting between shapes a and b. */
function binaryCase(
  op: 'Add' | 'Sub' | 'Mul' | 'Div',
  a: number[],
  b: number[],
  feeds?: Record<string, Tensor>,
): GradcheckCase {
  return {
    name: `${op} ${a} ${b}`,
    build: (g) => {
      const x = g.input('a', F, a);
      const y = g.input('b', F, b);
      return { output: g.op[op](x, y), params: [x, y] };
    },
    ...(feeds ? { feeds } : {}),
  };
}

describe('VJP table', () => {
  it('has a row for every op of the builder', () => {
    const missing = Object.keys(ops).filter((op) => vjpOf(op) === undefined);
    expect(missing).toEqual([]);
  });

  it('marks comparisons, shapes and constants non-differentiable', () => {
    for (const op of ['Equal', 'Less', 'Greater', 'Shape', 'Range', 'Constant']) expect(vjpOf(op)).toBe(NONE);
  });
});

describe('gradient checks: elementwise binary ops with broadcasting', () => {
  it('Add: same shape, trailing broadcast and a scalar', async () => {
    await check(binaryCase('Add', [2, 3], [2, 3]));
    await check(binaryCase('Add', [2, 3, 4], [3, 1]));
    await check(binaryCase('Add', [], [2, 3]));
  });
  it('Sub: both operands broadcast', async () => {
    await check(binaryCase('Sub', [2, 1, 4], [3, 4]));
  });
  it('Mul: [2, 3, 4] x [4] and [1, 3] x [2, 1]', async () => {
    await check(binaryCase('Mul', [2, 3, 4], [4]));
    await check(binaryCase('Mul', [1, 3], [2, 1]));
  });
  it('Div: the divisor broadcast and kept away from 0', async () => {
    await check(binaryCase('Div', [2, 3], [3], { b: between([3], 0.5, 1.5) }));
    await check(binaryCase('Div', [3, 1], [2, 1, 4], { b: between([2, 1, 4], 0.5, 1.5) }));
  });
  it('Pow: constant and broadcast exponents (the base only)', async () => {
    await check({
      name: 'Pow scalar',
      build: (g) => {
        const x = g.input('x', F, [2, 3]);
        return { output: g.op.Pow(x, g.constant(tensor('float64', [], Float64Array.of(2.5)))), params: [x] };
      },
      feeds: { x: between([2, 3], 0.5, 2) },
    });
    await check({
      name: 'Pow float32 exponent',
      build: (g) => {
        const x = g.input('x', F, [2, 3]);
        return { output: g.op.Pow(x, g.constant(f32([3], [2, -1, 0.5]))), params: [x] };
      },
      feeds: { x: between([2, 3], 0.5, 2) },
    });
  });
  it('RMSNormalization: input and scale, rows of one and of two axes', async () => {
    await check({
      name: 'RMSNormalization',
      build: (g) => {
        const x = g.input('x', F, [2, 3, 5]);
        const s = g.input('s', F, [5]);
        return { output: g.op.RMSNormalization(x, s, 1e-5), params: [x, s] };
      },
      feeds: { x: between([2, 3, 5], -2, 2), s: between([5], 0.5, 1.5) },
    });
    await check({
      name: 'RMSNormalization input only',
      build: (g) => {
        const x = g.input('x', F, [4, 6]);
        const s = g.input('s', F, [6]);
        return { output: g.op.RMSNormalization(x, s, 1e-6), params: [x] };
      },
      feeds: { x: between([4, 6], -2, 2), s: between([6], 0.5, 1.5) },
    });
  });
  it('Pow: refuses to differentiate the exponent (needs Log)', async () => {
    const result = gradcheck({
      name: 'Pow exponent',
      build: (g) => {
        const x = g.input('x', F, [3]);
        const p = g.input('p', F, [3]);
        return { output: g.op.Pow(x, p), params: [x, p] };
      },
    });
    await expect(result).rejects.toThrow(/exponent needs Log/);
  });
  it('Where: condition broadcast, both branches', async () => {
    await check({
      name: 'Where',
      build: (g) => {
        const c = g.input('c', 'bool', [2, 1]);
        const x = g.input('x', F, [2, 3]);
        const y = g.input('y', F, [3]);
        return { output: g.op.Where(c, x, y), params: [x, y] };
      },
      feeds: { c: tensor('bool', [2, 1], Uint8Array.of(1, 0)) },
    });
  });
});

describe('gradient checks: elementwise unary ops', () => {
  it('Exp, Tanh, Sigmoid, Neg, Identity, Sin, Cos', async () => {
    for (const op of ['Exp', 'Tanh', 'Sigmoid', 'Neg', 'Identity', 'Sin', 'Cos'] as const)
      await check(unaryCase(op, (g, x) => g.op[op](x)));
  });
  it('Relu (inputs away from the kink)', async () => {
    const x = between([2, 3], 0.1, 1);
    (x.data as Float64Array).forEach((v, i, a) => (a[i] = i % 2 ? -v : v));
    await check(unaryCase('Relu', (g, v) => g.op.Relu(v), { x }));
  });
  it('Sqrt and Reciprocal on positive inputs', async () => {
    await check(unaryCase('Sqrt', (g, x) => g.op.Sqrt(x), { x: between([2, 3], 0.5, 2) }));
    await check(unaryCase('Reciprocal', (g, x) => g.op.Reciprocal(x), { x: between([2, 3], 0.5, 2) }));
  });
  it('Softmax along the last and a middle axis', async () => {
    for (const axis of [-1, 1]) {
      await check({
        name: `Softmax ${axis}`,
        build: (g) => {
          const x = g.input('x', F, [2, 3, 4]);
          return { output: g.op.Softmax(x, axis), params: [x] };
        },
      });
    }
  });
  it('RotaryEmbedding (float32: ORT has no float64 kernel), 2 heads of 4, cos/sin of random angles', async () => {
    const angles = between([2, 3, 2], -3, 3, 11, 'float32').data as Float32Array;
    await check({
      name: 'RotaryEmbedding',
      build: (g) => {
        const x = g.input('x', 'float32', [2, 3, 8]);
        const cos = g.constant(tensor('float32', [2, 3, 2], angles.map(Math.cos)));
        const sin = g.constant(tensor('float32', [2, 3, 2], angles.map(Math.sin)));
        return { output: g.op.RotaryEmbedding(x, cos, sin, 2), params: [x] };
      },
    });
  });
  it('FusedMatMul transB (float32: ORT has no float64 kernel), batched A [2, 3, 4] times B [5, 4]', async () => {
    await check({
      name: 'FusedMatMul',
      build: (g) => {
        const a = g.input('a', 'float32', [2, 3, 4]);
        const b = g.input('b', 'float32', [5, 4]);
        return { output: g.op.FusedMatMul(a, b), params: [a, b] };
      },
    });
  });
  it('Cast: float32 and float16 parameters into float64 math, float64 into float32', async () => {
    for (const dtype of ['float32', 'float16'] as const) {
      await check({
        name: `Cast ${dtype}`,
        build: (g) => {
          const x = g.input('x', dtype, [2, 3]);
          return { output: g.op.Tanh(g.op.Cast(x, F)), params: [x] };
        },
      });
    }
    await check({
      name: 'Cast to float32',
      build: (g) => {
        const x = g.input('x', F, [2, 3]);
        return { output: g.op.Tanh(g.op.Cast(x, 'float32')), params: [x] };
      },
    });
  });
});

describe('gradient checks: MatMul', () => {
  const cases: [string, number[], number[]][] = [
    ['2-D', [3, 4], [4, 2]],
    ['batched', [2, 3, 4], [2, 4, 5]],
    ['broadcast batch dims', [2, 1, 3, 4], [3, 4, 5]],
    ['batched x weight (rows flattened)', [2, 3, 4], [4, 5]],
    ['weight x batched', [3, 4], [2, 4, 5]],
    ['vector x matrix', [4], [2, 4, 5]],
    ['matrix x vector', [2, 3, 4], [4]],
    ['vector x vector', [4], [4]],
  ];
  for (const [name, a, b] of cases) {
    it(`${name}: ${JSON.stringify(a)} x ${JSON.stringify(b)}`, async () => {
      await check({
        name: `MatMul ${name}`,
        build: (g) => {
          const x = g.input('A', F, a);
          const w = g.input('B', F, b);
          return { output: g.op.MatMul(x, w), params: [x, w] };
        },
      });
    });
  }
  it('the LoRA path x [B, T, in] · Aᵀ · Bᵀ, gradients for A and B only', async () => {
    await check({
      name: 'LoRA',
      build: (g) => {
        const x = g.input('x', F, [2, 3, 4]); // [B, T, in]
        const A = g.input('A', F, [2, 4]); // [r, in]
        const B = g.input('B', F, [5, 2]); // [out, r]
        return { output: g.op.MatMul(g.op.MatMul(x, g.op.Transpose(A)), g.op.Transpose(B)), params: [A, B] };
      },
    });
  });
});

describe('gradient checks: reductions and Transpose', () => {
  for (const op of ['ReduceSum', 'ReduceMean'] as const) {
    it(`${op}: one axis with and without keepdims, several axes, all axes`, async () => {
      const variants: [number[] | undefined, boolean][] = [
        [[1], true],
        [[1], false],
        [[0, -1], false],
        [undefined, true],
        [undefined, false],
      ];
      for (const [axes, keepdims] of variants) {
        await check({
          name: `${op} ${axes} ${keepdims}`,
          build: (g) => {
            const x = g.input('x', F, [2, 3, 4]);
            return { output: g.op[op](x, axes, { keepdims }), params: [x] };
          },
        });
      }
    });
  }
  it('ReduceMean over symbolic dims (the count comes from Shape at run time)', async () => {
    await check({
      name: 'ReduceMean symbolic',
      build: (g) => {
        const x = g.input('x', F, ['B', 'T', 4]);
        return { output: g.op.ReduceMean(x, [0, 1], { keepdims: false }), params: [x] }; // [4]
      },
      feeds: { x: between([2, 3, 4], -1, 1) },
    });
  });
  it('Transpose with a permutation and with the default (reversed) one', async () => {
    for (const perm of [[2, 0, 1], undefined]) {
      await check({
        name: `Transpose ${perm}`,
        build: (g) => {
          const x = g.input('x', F, [2, 3, 4]);
          return { output: g.op.Transpose(x, perm), params: [x] };
        },
      });
    }
  });
});
