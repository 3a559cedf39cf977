import { describe, expect, it } from 'vitest';
import { cohensKappa, krippendorffAlpha } from './agreement';

describe('cohensKappa', () => {
  it("reproduces Wikipedia's example: 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> 0.4", () => {
    // p_o = (20 + 15) / 50 = 0.7; rater A says yes 25 times, B 30 times:
    // p_e = 0.5 · 0.6 + 0.5 · 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    const a = [...Array<string>(25).fill('yes'), ...Array<string>(25).fill('no')];
    const b = [
      ...Array<string>(20).fill('yes'),
      ...Array<string>(5).fill('no'),
      ...Array<string>(10).fill('yes'),
      ...Array<string>(15).fill('no'),
    ];
    expect(cohensKappa(a, b)).toBeCloseTo(0.4, 14);
  });

  it('is 1 for perfect agreement, negative below chance, NaN when undefined', () => {
    expect(cohensKappa(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    expect(cohensKappa(['a', 'b'], ['b', 'a'])).toBe(-1);
    expect(cohensKappa(['a', 'a'], ['a', 'a'])).toBeNaN();
    expect(() => cohensKappa(['a'], [])).toThrow();
  });
});

describe('krippendorffAlpha', () => {
  it("reproduces Krippendorff (2011)'s nominal example with missing data: alpha = 0.743", () => {
    // 4 observers (A-D) x 12 units; "." = missing. Unit 12 has one value and is not pairable.
    //   A: 1 2 3 3 2 1 4 1 2 . . .
    //   B: 1 2 3 3 2 2 4 1 2 5 . 3
    //   C: . 3 3 3 2 3 4 2 2 5 1 .
    //   D: 1 2 3 3 2 4 4 1 2 5 1 .
    // Coincidence totals n_1..n_5 = 9, 13, 10, 5, 3 (n = 40, Σ n_c² = 384); disagreements Σ_{c≠k} o_ck = 8
    // (unit 2: C's 3 against three 2s, 6 ordered pairs / (4 - 1) = 2; unit 6: four distinct values, 12 / 3 = 4;
    // unit 8: C's 2 against three 1s, 6 / 3 = 2; all other pairable units agree);
    // alpha = 1 - 39 · 8 / (1600 - 384) = 1 - 312/1216 = 0.743421 (cross-checked in numpy).
    const raw = [
      '1 2 3 3 2 1 4 1 2 . . .',
      '1 2 3 3 2 2 4 1 2 5 . 3',
      '. 3 3 3 2 3 4 2 2 5 1 .',
      '1 2 3 3 2 4 4 1 2 5 1 .',
    ].map((r) => r.split(' '));
    const units = Array.from({ length: 12 }, (_, u) =>
      raw.map((rater) => (rater[u] === '.' ? null : (rater[u] as string))),
    );
    expect(krippendorffAlpha(units, 'nominal')).toBeCloseTo(1 - 312 / 1216, 14);
    expect(krippendorffAlpha(units)).toBeCloseTo(0.743, 3);
  });

  it('equals 1 for perfect agreement and is NaN without pairable variation', () => {
    expect(
      krippendorffAlpha([
        ['a', 'a'],
        ['b', 'b', null],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlpha([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNaN();
    expect(
      krippendorffAlpha([
        ['a', null],
        [null, 'b'],
      ]),
    ).toBeNaN();
  });
});
