import { describe, expect, it } from 'vitest';
import { holm } from './holm';

describe('holm', () => {
  it('adjusts [0.01, 0.04, 0.03, 0.005] to [0.03, 0.06, 0.06, 0.02]', () => {
    // sorted: 0.005 x4 = 0.02, 0.01 x3 = 0.03, 0.03 x2 = 0.06, 0.04 x1 = 0.04 -> running max 0.06
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 15));
  });

  it('caps at 1, keeps a single p, and handles none', () => {
    expect(holm([0.6, 0.9])).toEqual([1, 1]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(holm([])).toEqual([]);
    expect(() => holm([1.5])).toThrow();
  });

  it('is monotone in the raw p-values', () => {
    const raw = [0.001, 0.2, 0.012, 0.04, 0.011, 0.5];
    const adjusted = holm(raw);
    const byRaw = raw.map((p, i) => [p, adjusted[i] as number]).sort((x, y) => (x[0] as number) - (y[0] as number));
    for (let i = 1; i < byRaw.length; i++)
      expect((byRaw[i] as number[])[1]).toBeGreaterThanOrEqual((byRaw[i - 1] as number[])[1] as number);
    adjusted.forEach((p, i) => expect(p).toBeGreaterThanOrEqual(raw[i] as number));
  });
});
