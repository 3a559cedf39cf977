import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize';

describe('normalizeText', () => {
  it('trims, collapses whitespace and case-folds', () => {
    expect(normalizeText('  New\n\tYork   City ')).toBe('new york city');
    expect(normalizeText('STRASSE')).toBe(normalizeText('straße'));
  });

  it('strips surrounding quotes and punctuation, repeatedly', () => {
    expect(normalizeText('"Paris."')).toBe('paris');
    expect(normalizeText('\u201cParis!\u201d ')).toBe('paris');
    expect(normalizeText("'yes'")).toBe('yes');
    expect(normalizeText('`42`.')).toBe('42');
    expect(normalizeText('...')).toBe('');
  });

  it('keeps inner punctuation, brackets and signs', () => {
    expect(normalizeText('Paris, France.')).toBe('paris, france');
    expect(normalizeText('-5')).toBe('-5');
    expect(normalizeText('(a)')).toBe('(a)');
    expect(normalizeText("don't")).toBe("don't");
  });

  it('folds compatibility forms', () => {
    expect(normalizeText('\uff21\uff22\uff23')).toBe('abc'); // fullwidth ABC
  });
});
