import { describe, expect, it } from 'vitest';
import { lcsLength, rougeL, rougeTokens } from './rouge-l';

describe('rougeL', () => {
  it("reproduces Lin (2004)'s example sentences", () => {
    // Reference S1 = "police killed the gunman".
    // S2 = "police kill the gunman": LCS = police, the, gunman = 3; P = R = 3/4 -> F = 0.75
    // S3 = "the gunman kill police": LCS = the, gunman = 2; P = R = 2/4 -> F = 0.5
    const reference = 'police killed the gunman';
    expect(rougeL('police kill the gunman', reference).score).toBeCloseTo(0.75, 15);
    expect(rougeL('the gunman kill police', reference).score).toBeCloseTo(0.5, 15);
  });

  it('matches a hand computation with unequal lengths and punctuation', () => {
    // h = [the, cat] (punctuation and case dropped), r = [the, cat, is, on, the, mat]
    // LCS = 2; P = 2/2 = 1, R = 2/6 = 1/3; F1 = 2 (1)(1/3) / (4/3) = 1/2
    const result = rougeL('The cat!', 'the cat is on the mat');
    expect(result).toEqual({ score: 0.5, precision: 1, recall: 1 / 3, lcs: 2 });
    // h = [the, cat, sat, on, the, mat], r = [the, cat, is, on, the, mat]: LCS = 5, P = R = 5/6
    expect(rougeL('The cat sat on the mat.', 'the cat is on the mat').score).toBeCloseTo(5 / 6, 15);
  });

  it('is 0 when a side has no tokens and 1 for the same tokens', () => {
    expect(rougeL('', 'a b').score).toBe(0);
    expect(rougeL('...', '...').score).toBe(0);
    expect(rougeL('A, b.', 'a b').score).toBe(1);
  });

  it('tokenises letters and digits of any script', () => {
    expect(rougeTokens("Größe: 42 cm, l'été")).toEqual(['größe', '42', 'cm', 'l', 'été']);
    expect(lcsLength(['a', 'b', 'c', 'b', 'd', 'a', 'b'], ['b', 'd', 'c', 'a', 'b', 'a'])).toBe(4); // CLRS 15.4
  });
});
