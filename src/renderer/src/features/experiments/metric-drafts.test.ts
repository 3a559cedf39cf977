// The metric picker: presets from a dataset's references and drafts -> MetricSpec.
import { describe, expect, it } from 'vitest';
import { draftFromSpec, draftLabel, draftOf, presetDrafts, referenceShape, specOf } from './metric-drafts';

const triage = (category: string, priority: string, summary: string) => JSON.stringify({ category, priority, summary });

describe('metric presets', () => {
  it('suggests classification on a class-like field, validity and fields for JSON references', () => {
    const refs = [
      triage('billing', 'low', 'Invoice copy'),
      triage('returns', 'urgent', 'Refund missing'),
      triage('billing', 'high', 'Card declined'),
      triage('returns', 'low', 'Label'),
    ];
    const shape = referenceShape(refs);
    expect(shape).toEqual({ kind: 'json', keys: ['category', 'priority', 'summary'], classKey: 'category' });
    expect(presetDrafts(shape).map((d) => [d.kind, d.field, d.fields])).toEqual([
      ['classification', 'category', ''],
      ['json_valid', '', ''],
      ['json_fields', '', 'category, priority, summary'],
    ]);
  });

  it('suggests exact match, chrF and ROUGE-L for text references', () => {
    const shape = referenceShape(['noun.artifact', 'noun.location', null]);
    expect(shape.kind).toBe('text');
    expect(presetDrafts(shape).map((d) => d.kind)).toEqual(['exact_match', 'chrf', 'rouge_l']);
  });

  it('falls back to reference-free metrics without references', () => {
    expect(presetDrafts(referenceShape([null, ''])).map((d) => d.kind)).toEqual(['json_valid', 'length']);
  });
});

describe('specOf', () => {
  it('turns a percentage threshold into a fraction', () => {
    expect(specOf(draftOf('exact_match', { threshold: '72.5' }))).toEqual({
      spec: { kind: 'exact_match', threshold: 0.725 },
    });
    expect(specOf(draftOf('length', { threshold: '40', unit: 'chars' }))).toEqual({
      spec: { kind: 'length', threshold: 40, unit: 'chars' },
    });
    expect(specOf(draftOf('chrf', { threshold: '0.45' }))).toEqual({ spec: { kind: 'chrf', threshold: 0.45 } });
    expect(specOf(draftOf('chrf', { threshold: '45' }))).toEqual({ error: 'The threshold is a score from 0 to 1' });
  });

  it('reports bad values in words', () => {
    expect(specOf(draftOf('exact_match', { threshold: '120' }))).toEqual({
      error: 'The threshold is a percentage from 0 to 100',
    });
    expect(specOf(draftOf('json_fields', { fields: '' }))).toEqual({ error: 'fields must name at least one field' });
    expect('error' in specOf(draftOf('regex', { pattern: '(' }))).toBe(true);
  });

  it('reads lists and labels the metric as tables do', () => {
    const d = draftOf('classification', { field: 'category', labels: 'billing, returns' });
    expect(specOf(d)).toEqual({ spec: { kind: 'classification', field: 'category', labels: ['billing', 'returns'] } });
    expect(draftLabel(d)).toBe('Classification accuracy (category)');
  });
});

describe('imported metrics', () => {
  it('keep the settings the form has no field for, with the threshold as the form shows it and edits applied', () => {
    const verbatim = draftFromSpec({ kind: 'exact_match', name: 'Exact answer', normalize: false, threshold: 1 });
    expect(verbatim.threshold).toBe('100');
    expect(specOf(verbatim)).toEqual({
      spec: { kind: 'exact_match', name: 'Exact answer', normalize: false, threshold: 1 },
    });
    expect(specOf({ ...verbatim, threshold: '' })).toEqual({
      spec: { kind: 'exact_match', name: 'Exact answer', normalize: false },
    });
    const pattern = draftFromSpec({ kind: 'regex', pattern: 'capital', flags: 'i' });
    expect(specOf({ ...pattern, pattern: 'Capital' })).toEqual({
      spec: { kind: 'regex', pattern: 'Capital', flags: 'i' },
    });
    expect(draftLabel(draftFromSpec({ kind: 'rouge_l', name: 'ROUGE-L overlap', threshold: 0.6 }))).toBe(
      'ROUGE-L overlap',
    );
  });
});
