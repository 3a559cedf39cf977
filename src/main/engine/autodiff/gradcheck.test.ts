// The gradient check itself: it must fail on a wrong VJP, read float16 parameters, and be reproducible by seed.
import { describe, expect, it } from 'vitest';
import type { GraphBuilder, Value } from '../graph';
import type { VjpEntry } from './context';
import { gradcheck, SeededRandom } from './gradcheck';
import { vjps } from './vjp';

const tanhCase = {
  name: 'tanh',
  build: (g: GraphBuilder): { output: Value; params: Value[] } => {
    const x = g.input('x', 'float64', [2, 3]);
    return { output: g.op.Tanh(x), params: [x] };
  },
};

describe('gradcheck', () => {
  it('fails when a VJP is wrong (Tanh passing dY through unchanged)', async () => {
    const table = vjps as Record<string, VjpEntry>;
    const right = table['Tanh'] as VjpEntry;
    table['Tanh'] = (c) => [c.dY];
    try {
      const result = await gradcheck(tanhCase);
      expect(result.ok).toBe(false);
      expect(result.failures[0]).toMatch(/^x\[\d\]: analytic .*, numerical /);
      expect(result.params[0]!.worst).toBeGreaterThan(100);
    } finally {
      table['Tanh'] = right;
    }
    expect((await gradcheck(tanhCase)).ok).toBe(true);
  });

  it('agrees to about 1e-9 in float64', async () => {
    const result = await gradcheck(tanhCase);
    const errors = result.params[0]!.analytic.map((a, i) => Math.abs(a - result.params[0]!.numerical[i]!));
    expect(Math.max(...errors)).toBeLessThan(1e-8);
  });

  it('draws the same inputs for the same seed', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    const draws = Array.from({ length: 4 }, () => [a.next(), b.next()]);
    expect(draws.every(([p, q]) => p === q)).toBe(true);
    expect(new SeededRandom(6).next()).not.toBe(new SeededRandom(5).next());
  });

  it('refuses initializers as parameters (they cannot be perturbed through feeds)', async () => {
    await expect(
      gradcheck({
        name: 'initializer',
        build: (g) => {
          const w = g.initializer('w', { dtype: 'float64', dims: [2], data: Float64Array.of(1, 2) });
          return { output: g.op.Tanh(w), params: [w] };
        },
      }),
    ).rejects.toThrow(/parameter w must be a graph input/);
  });
});
