// Composites get no VJP of their own: their gradients come from their primitives' VJPs. SiLU is checked in float32:
// ORT's optimizer fuses x·Sigmoid(x) into com.microsoft.QuickGelu, whose CPU kernel is float32 only.
import { describe, expect, it } from 'vitest';
import { silu } from './composites';
import { gradcheck } from './gradcheck';

describe('composites', () => {
  it('SiLU x·σ(x): dx = dY·(σ + x·σ·(1-σ)), with x used twice', async () => {
    const result = await gradcheck({
      name: 'silu',
      build: (g) => {
        const x = g.input('x', 'float32', [2, 5]);
        return { output: silu(g, x), params: [x] };
      },
    });
    expect(result.failures).toEqual([]);
    const x = Array.from(result.params[0]!.analytic);
    expect(x.length).toBe(10);
  });
});
