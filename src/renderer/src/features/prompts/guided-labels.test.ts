import { describe, expect, it } from 'vitest';
import { STARTERS } from './guided';
import { labelValues, replacesText, withLabels } from './guided-labels';

const triageRows = [
  { message: 'Where is my parcel?', output: '{"category": "shipping"}', category: 'shipping' },
  { message: 'Invoice please', output: '{"category": "billing"}', category: 'billing' },
  { message: 'Cannot log in', output: '{"category": "account"}', category: 'account' },
  { message: 'Again the invoice', output: '{"category": "billing"}', category: 'billing' },
];

describe('labelValues', () => {
  it("takes the label field's distinct values, sorted", () => {
    expect(labelValues(triageRows, { label: 'category', reference: 'output' })).toEqual({
      field: 'category',
      values: ['account', 'billing', 'shipping'],
    });
  });

  it('falls back to a reference that holds a few short classes, and not to free text or JSON', () => {
    const rows = [{ s: 'noun.food' }, { s: 'verb.motion' }, { s: 'noun.food' }];
    expect(labelValues(rows, { label: null, reference: 's' })).toEqual({
      field: 's',
      values: ['noun.food', 'verb.motion'],
    });
    expect(labelValues(triageRows, { label: null, reference: 'output' })).toBeNull();
    const many = Array.from({ length: 60 }, (_v, i) => ({ s: `answer ${i}` }));
    expect(labelValues(many, { label: null, reference: 's' })).toBeNull();
    expect(labelValues([{ s: 'x '.repeat(40) }, { s: 'y' }], { label: null, reference: 's' })).toBeNull();
    expect(labelValues([], { label: 'c', reference: null })).toBeNull();
  });
});

describe('withLabels', () => {
  const classification = STARTERS.find((s) => s.id === 'classification')!.spec;
  it("puts the dataset's labels into a classification starter", () => {
    expect(withLabels(classification, { field: 'category', values: ['account', 'billing'] }).format).toEqual({
      kind: 'label',
      labels: ['account', 'billing'],
    });
    expect(withLabels(classification, null)).toBe(classification);
    const rewriting = STARTERS.find((s) => s.id === 'rewriting')!.spec;
    expect(withLabels(rewriting, { field: 'category', values: ['a', 'b'] })).toBe(rewriting);
  });
  it('no starter rule names a label the dataset may lack', () => {
    for (const s of STARTERS) for (const rule of s.spec.constraints) expect(rule).not.toMatch(/answer other/);
  });
});

describe('replacesText', () => {
  it('asks only when text would be lost', () => {
    expect(replacesText('My template {{ message }}', 'Guided {{ message }}')).toBe(true);
    expect(replacesText('  \n', 'Guided')).toBe(false);
    expect(replacesText('Guided', 'Guided')).toBe(false);
  });
});
