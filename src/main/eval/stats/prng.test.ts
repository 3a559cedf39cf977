import { describe, expect, it } from 'vitest';
import { Rng } from './prng';

describe('Rng (xoshiro128**)', () => {
  it('reproduces the reference implementation from state {1, 2, 3, 4}', () => {
    // xoshiro128starstar.c next() from s = {1, 2, 3, 4}: 11520 = rotl(2 * 5, 7) * 9, then the rest.
    const rng = Rng.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('is deterministic per (seed, stream) and differs across them', () => {
    const draw = (seed: number, stream?: number) => {
      const rng = new Rng(seed, stream);
      return Array.from({ length: 4 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42, 1)).not.toEqual(draw(42, 2));
  });

  it('draws uniform integers (chi-square over 10 bins) and floats in [0, 1)', () => {
    const rng = new Rng(7);
    const counts = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const k = rng.nextInt(10);
      counts[k] = (counts[k] as number) + 1;
    }
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.88); // chi-square(9) 0.999 quantile
    for (let i = 0; i < 1000; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});
