// Each perturbation kind changes an input as its description says, and a variant depends only on (seed, kind, row).
import { describe, expect, it } from 'vitest';
import { PerturbationKind } from '../../../shared/contract/robustness';
import { DISTRACTORS, HOMOGLYPHS, LONG_REPEATS, perturb } from './perturb';
import { PROBE_KIND_FIELD, PROBE_SOURCE_FIELD, variantRows } from './probe-analysis';

const TEXT =
  'My invoice for March was charged twice, and the refund has not arrived. Please check the billing account today.';
const ONE_SENTENCE = 'The login page keeps failing after the update, and support never answered';
const KINDS = PerturbationKind.options;
const words = (t: string) => t.trim().split(/\s+/);
const sorted = (t: string) => [...t].sort().join('');
const bag = (t: string) => words(t).sort().join(' ');

describe('perturbations', () => {
  it('give the same variant for the same seed and row, and other variants for other seeds', () => {
    for (const kind of KINDS) {
      expect(perturb(kind, TEXT, 7, 'row-1')).toBe(perturb(kind, TEXT, 7, 'row-1'));
      expect(perturb(kind, TEXT, 7, 'row-1')).not.toBe(TEXT);
    }
    // The kinds with several outcomes draw differently under other seeds (two sentences have one other order).
    for (const kind of ['typos', 'whitespace', 'truncate', 'rare'] as const) {
      const variants = new Set(Array.from({ length: 20 }, (_, s) => perturb(kind, TEXT, s, 'row-1')));
      expect(variants.size, kind).toBeGreaterThan(1);
    }
  });

  it('typos swap neighbouring letters inside words: same letters, same length, a word or more changed', () => {
    const out = perturb('typos', TEXT, 1, 'k');
    expect(out.length).toBe(TEXT.length);
    expect(sorted(out)).toBe(sorted(TEXT));
    const changed = words(out).filter((w, i) => w !== words(TEXT)[i]);
    expect(changed.length).toBeGreaterThan(0);
    for (const w of changed) {
      const original = words(TEXT)[words(out).indexOf(w)] as string;
      expect(sorted(w)).toBe(sorted(original));
    }
  });

  it('casing changes only the case of letters', () => {
    const out = perturb('casing', TEXT, 2, 'k');
    expect(out).not.toBe(TEXT);
    expect(out.toLowerCase()).toBe(TEXT.toLowerCase());
  });

  it('whitespace changes only the spaces between and around words', () => {
    const out = perturb('whitespace', TEXT, 3, 'k');
    expect(out).not.toBe(TEXT);
    expect(words(out)).toEqual(words(TEXT));
    expect(/[\t\n]| {2}/.test(out)).toBe(true);
  });

  it('reorder moves sentences, or the halves of one sentence, keeping every word', () => {
    const two = perturb('reorder', TEXT, 4, 'k');
    expect(two).toBe(
      'Please check the billing account today. My invoice for March was charged twice, and the refund has not arrived.',
    );
    const one = perturb('reorder', ONE_SENTENCE, 4, 'k');
    expect(one).not.toBe(ONE_SENTENCE);
    expect(bag(one)).toBe(bag(ONE_SENTENCE));
  });

  it('truncate keeps a prefix of 40-80% of the words', () => {
    for (let seed = 0; seed < 10; seed++) {
      const out = perturb('truncate', TEXT, seed, 'k');
      expect(TEXT.startsWith(out)).toBe(true);
      const kept = words(out).length / words(TEXT).length;
      expect(kept).toBeGreaterThanOrEqual(0.35);
      expect(kept).toBeLessThanOrEqual(0.85);
    }
  });

  it('distractor adds one unrelated sentence before or after the whole text', () => {
    const out = perturb('distractor', TEXT, 5, 'k');
    expect(out.includes(TEXT)).toBe(true);
    const added = out.replace(TEXT, '').trim();
    expect(DISTRACTORS).toContain(added);
  });

  it('long repeats the text to an unusual length', () => {
    const out = perturb('long', TEXT, 6, 'k');
    expect(out).toBe(Array.from({ length: LONG_REPEATS }, () => TEXT).join(' '));
  });

  it('rare writes some words with look-alike letters of other scripts, nothing else', () => {
    const out = perturb('rare', TEXT, 8, 'k');
    expect([...out].length).toBe([...TEXT].length);
    const pairs = [...out].map((c, i) => [[...TEXT][i] as string, c] as const).filter(([a, b]) => a !== b);
    expect(pairs.length).toBeGreaterThan(0);
    for (const [a, b] of pairs) expect(HOMOGLYPHS[a]).toBe(b);
  });

  it('variant rows perturb only the input fields and record the kind and source row', () => {
    const rows = [{ idx: 0, key: 'a', split: 'test' as const, data: { message: TEXT, label: 'billing', id: 'a' } }];
    const out = variantRows(rows, { input: ['message'], key: 'id' }, ['casing', 'long'], 9);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      label: 'billing',
      id: 'a~casing',
      [PROBE_KIND_FIELD]: 'casing',
      [PROBE_SOURCE_FIELD]: 'a',
    });
    expect(out[0]?.message).toBe(perturb('casing', TEXT, 9, 'a\u0000message'));
    expect(variantRows(rows, { input: ['message'], key: 'id' }, ['casing', 'long'], 9)).toEqual(out);
  });
});
