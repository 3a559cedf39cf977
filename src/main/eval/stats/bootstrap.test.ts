import { describe, expect, it } from 'vitest';
import { bootstrapMeanCI, bootstrapMeansCI, pairedBootstrapDiffCI } from './bootstrap';
import { Rng } from './prng';

/** Standard normal draws by Box-Muller from the seeded generator. */
function normals(n: number, seed: number): number[] {
  const rng = new Rng(seed, 99);
  return Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat()),
  );
}

describe('bootstrapMeanCI', () => {
  it('is deterministic for a seed and records it', () => {
    const values = normals(50, 1);
    const first = bootstrapMeanCI(values, { seed: 123 });
    expect(bootstrapMeanCI(values, { seed: 123 })).toEqual(first);
    expect(bootstrapMeanCI(values, { seed: 124 }).ci).not.toEqual(first.ci);
    expect(first).toMatchObject({ seed: 123, resamples: 2000, level: 0.95 });
  });

  it('gives a constant vector the constant as its CI', () => {
    expect(bootstrapMeanCI([0.75, 0.75, 0.75, 0.75], { seed: 1 })).toMatchObject({ estimate: 0.75, ci: [0.75, 0.75] });
    const { ci } = bootstrapMeanCI(new Array<number>(30).fill(0.1), { seed: 1, resamples: 200 });
    expect(ci[0]).toBeCloseTo(0.1, 14);
    expect(ci[1]).toBeCloseTo(0.1, 14);
  });

  it('agrees with mean ± 1.96 sd/sqrt(n) on a large normal sample', () => {
    const n = 2000;
    const values = normals(n, 2);
    const m = values.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
    const half = (1.96 * sd) / Math.sqrt(n);
    const { estimate, ci } = bootstrapMeanCI(values, { seed: 3, resamples: 4000 });
    expect(estimate).toBeCloseTo(m, 12);
    expect(Math.abs(ci[0] - (m - half))).toBeLessThan(0.1 * half);
    expect(Math.abs(ci[1] - (m + half))).toBeLessThan(0.1 * half);
  });

  it('covers the true mean about 95% of the time', () => {
    // 300 samples of n = 40 from N(0, 1); the percentile bootstrap slightly under-covers at small n (~93-94%).
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const { ci } = bootstrapMeanCI(normals(40, 1000 + t), { seed: t, resamples: 1000 });
      if (ci[0] <= 0 && 0 <= ci[1]) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('narrows with a lower level', () => {
    const values = normals(100, 4);
    const wide = bootstrapMeanCI(values, { seed: 5, level: 0.99 }).ci;
    const narrow = bootstrapMeanCI(values, { seed: 5, level: 0.8 }).ci;
    expect(narrow[0]).toBeGreaterThan(wide[0]);
    expect(narrow[1]).toBeLessThan(wide[1]);
  });
});

describe('pairedBootstrapDiffCI and bootstrapMeansCI', () => {
  it('resamples examples jointly, so a constant shift has a zero-width CI', () => {
    const a = normals(60, 5);
    const b = a.map((v) => v + 0.5);
    const result = pairedBootstrapDiffCI(a, b, { seed: 9 });
    expect(result.estimate).toBeCloseTo(-0.5, 12);
    expect(result.ci[0]).toBeCloseTo(-0.5, 12);
    expect(result.ci[1]).toBeCloseTo(-0.5, 12);
    const [x, y] = bootstrapMeansCI([a, a], { seed: 9 });
    expect(x).toEqual(y);
    expect(() => pairedBootstrapDiffCI([1], [1, 2], { seed: 1 })).toThrow();
  });
});
