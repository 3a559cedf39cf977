// The decoder's SiLU (x·Sigmoid(x), models/decoder-graph.ts) has no VJP of its own: its gradient comes from Mul's and
// Sigmoid's, with x used twice. Checked in float32: ORT's optimizer fuses x·Sigmoid(x) into com.microsoft.QuickGelu,
// whose CPU kernel is float32 only.
import { describe, expect, it } from 'vitest';
import { gradcheck } from './gradcheck';

describe('SiLU from primitives', () => {
  it('SiLU x·σ(x): dx = dY·(σ + x·σ·(1-σ)), with x used twice', async () => {
    const result = await gradcheck({
      name: 'silu',
      build: (g) => {
        const x = g.input('x', 'float32', [2, 5]);
        return { output: g.op.Mul(x, g.op.Sigmoid(x)), params: [x] };
      },
    });
    expect(result.failures).toEqual([]);
    const x = Array.from(result.params[0]!.analytic);
    expect(x.length).toBe(10);
  });
});
