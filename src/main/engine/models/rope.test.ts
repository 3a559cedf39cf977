// RoPE inverse frequencies and cos/sin against transformers' formulas evaluated in torch float32
// (tools/reference/make_model_fixtures.py writes __fixtures__/rope-reference.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Llama3RopeScaling } from './config';
import { ropeCosSin, ropeInverseFrequencies } from './rope';

interface RopeCase {
  name: string;
  head_dim: number;
  rope_theta: number;
  rope_scaling: Llama3RopeScaling | null;
  inv_freq: number[]; // [D/2]
  positions: number[]; // [P]
  cos: number[][]; // [P, D/2]
  sin: number[][]; // [P, D/2]
}

const cases = JSON.parse(
  readFileSync(new URL('./__fixtures__/rope-reference.json', import.meta.url), 'utf-8'),
) as RopeCase[];

/** Distance in float32 units in the last place. */
function ulps(a: number, b: number): number {
  const buf = new Float32Array([a, b]);
  const bits = new Int32Array(buf.buffer);
  return Math.abs((bits[0] ?? 0) - (bits[1] ?? 0));
}

describe('ropeInverseFrequencies', () => {
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s matches torch (bit-exact here; 1 ulp allowed for pow)',
    (_name, c) => {
      const inv = ropeInverseFrequencies(c);
      expect(inv.length).toBe(c.head_dim / 2);
      let worst = 0;
      c.inv_freq.forEach((expected, i) => (worst = Math.max(worst, ulps(inv[i] ?? NaN, expected))));
      expect(worst).toBeLessThanOrEqual(1);
    },
  );

  it('the llama3 case of Llama 3.2 has all three regimes (kept, smoothed, divided by factor)', () => {
    const c = cases.find((x) => x.name.includes('Llama 3.2'));
    if (!c) throw new Error('reference case missing');
    const plain = ropeInverseFrequencies({ ...c, rope_scaling: null });
    const scaled = ropeInverseFrequencies(c);
    const ratios = [...scaled].map((v, i) => (plain[i] ?? 0) / v);
    expect(ratios[0]).toBe(1);
    expect(ratios.at(-1)).toBeCloseTo(32, 4);
    expect(ratios.some((r) => r > 1.01 && r < 31.9)).toBe(true);
  });
});

describe('ropeCosSin', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s cos/sin [P, D/2] match torch', (_name, c) => {
    const inv = new Float32Array(c.inv_freq);
    const maxPosition = Math.max(...c.positions) + 1;
    const { cos, sin } = ropeCosSin(inv, maxPosition);
    const half = c.head_dim / 2;
    expect(cos.length).toBe(maxPosition * half);
    let worst = 0;
    c.positions.forEach((p, row) => {
      for (let j = 0; j < half; j++) {
        worst = Math.max(worst, Math.abs((cos[p * half + j] ?? NaN) - (c.cos[row]?.[j] ?? NaN)));
        worst = Math.max(worst, Math.abs((sin[p * half + j] ?? NaN) - (c.sin[row]?.[j] ?? NaN)));
      }
    });
    expect(worst).toBeLessThan(1e-6);
  });
});
