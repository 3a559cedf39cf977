import { describe, expect, it } from 'vitest';
import { previewDataset, type DatasetCandidate } from './preview-dataset';

const roles = (input: string[], reference: string | null) => ({ input, reference });
const wordnet: DatasetCandidate = {
  versionId: 'wn',
  shape: { fields: ['id', 'sentence', 'word', 'supersense'], roles: roles(['sentence', 'word'], 'supersense') },
};
const triage: DatasetCandidate = {
  versionId: 'st',
  shape: { fields: ['id', 'message', 'output', 'category'], roles: roles(['message'], 'output') },
};
const known = ['wn', 'st'];
const none = { byTemplate: {}, last: null };

describe('previewDataset', () => {
  it('opens a template on a dataset that has the fields it reads, not on the first one listed', () => {
    expect(previewDataset('t1', ['message', 'examples'], none, known, [wordnet, triage])).toBe('st');
    expect(previewDataset('t2', ['sentence', 'word'], none, known, [wordnet, triage])).toBe('wn');
  });

  it('keeps what the user chose for the template, even a dataset that does not fit', () => {
    expect(previewDataset('t1', ['message'], { byTemplate: { t1: 'wn' }, last: 'wn' }, known, [wordnet, triage])).toBe(
      'wn',
    );
  });

  it('prefers the last chosen version when it fits too', () => {
    const triage2: DatasetCandidate = { ...triage, versionId: 'st2' };
    expect(
      previewDataset('t1', ['message'], { byTemplate: {}, last: 'st2' }, [...known, 'st2'], [wordnet, triage, triage2]),
    ).toBe('st2');
  });

  it('takes the one that lacks the fewest fields when none fits, and the first listed without any known fields', () => {
    expect(previewDataset('t1', ['message', 'tone'], none, known, [wordnet, triage])).toBe('st');
    expect(previewDataset('t1', ['message'], none, known, [])).toBe('wn');
    expect(previewDataset('new', null, none, known, [wordnet, triage])).toBe('wn');
    expect(previewDataset('t1', ['message'], none, [], [])).toBeNull();
  });
});
