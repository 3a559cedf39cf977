import { describe, expect, it } from 'vitest';
import { chrf } from './chrf';

describe('chrf', () => {
  it('matches a hand computation with equal lengths: "the cat" vs "the hat"', () => {
    // Whitespace removed: h = "thecat", r = "thehat".
    // n=1: h {t:2,h,e,c,a}, r {t:2,h:2,e,a}; clipped matches t2+h1+e1+a1 = 5 of 6 and 6 -> P1 = R1 = 5/6
    // n=2: h {th,he,ec,ca,at}, r {th,he,eh,ha,at}; matches th,he,at = 3 of 5 -> 3/5
    // n=3: h {the,hec,eca,cat}, r {the,heh,eha,hat}; matches the = 1 of 4 -> 1/4
    // n=4..6: no matches (3, 2, 1 n-grams each side) -> 0
    // P = R = (5/6 + 3/5 + 1/4) / 6 = (50 + 36 + 15) / 60 / 6 = 101/360; F2 of P = R is P.
    const result = chrf('the cat', 'the hat');
    expect(result.precision).toBeCloseTo(101 / 360, 15);
    expect(result.recall).toBeCloseTo(101 / 360, 15);
    expect(result.score).toBeCloseTo(101 / 360, 15); // 0.280556
  });

  it('averages only the effective orders and weights recall by beta^2 = 4: "ab" vs "abc"', () => {
    // n=1: h {a,b}, r {a,b,c}: 2 matches -> P1 = 1, R1 = 2/3
    // n=2: h {ab}, r {ab,bc}: 1 match -> P2 = 1, R2 = 1/2
    // n=3: h has no 3-gram -> not effective (nor n=4..6). E = 2.
    // P = 1, R = (2/3 + 1/2)/2 = 7/12; chrF = 5 P R / (4 P + R) = (35/12) / (55/12) = 7/11
    expect(chrf('ab', 'abc').score).toBeCloseTo(7 / 11, 15);
    // Swapping roles: P = 7/12, R = 1: 5 (7/12) / (4 (7/12) + 1) = (35/12) / (40/12) = 7/8
    expect(chrf('abc', 'ab').score).toBeCloseTo(7 / 8, 15);
  });

  it("reproduces sacrebleu's published sentence example (61.576379378113785)", () => {
    // The HF `chrf` metric card (a wrapper of sacrebleu CHRF): a single sentence, so corpus score = sentence score.
    const result = chrf(
      'The relationship between Obama and Netanyahu is not exactly friendly.',
      'The ties between Obama and Netanyahu are not particularly friendly.',
    );
    expect(result.score).toBeCloseTo(61.576379378113785 / 100, 12);
  });

  it('is 1 for identical text, ignores whitespace, keeps case, and is 0 with nothing in common or nothing at all', () => {
    expect(chrf('hello world', 'hello world').score).toBe(1);
    expect(chrf('hel lo', 'hello').score).toBe(1);
    expect(chrf('Hello', 'hello').score).toBeLessThan(1);
    expect(chrf('xyz', 'abc').score).toBe(0);
    expect(chrf('', 'abc').score).toBe(0);
    expect(chrf('', '').score).toBe(0); // sacrebleu: no effective order -> 0
  });

  it('counts code points, not UTF-16 units', () => {
    // "😀a" has 2 code points: n=1 matches 2/2 and n=2 matches 1/1.
    expect(chrf('😀a', '😀a').score).toBe(1);
    expect(chrf('😀', '😁').score).toBe(0); // the surrogate halves share a high surrogate; code points do not match
  });
});
