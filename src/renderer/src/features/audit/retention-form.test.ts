// The retention form: blank means kept for ever, whole days from 1 to 36,500, and the box at fault named.
import { describe, expect, it } from 'vitest';
import { policyFromDraft, policyToDraft } from './retention-form';

describe('the retention form', () => {
  it('round-trips a policy, blank meaning kept for ever', () => {
    const policy = { outputsDays: 30, reviewCommentDays: null, datasetRowDays: 365 };
    expect(policyToDraft(policy)).toEqual({ outputsDays: '30', reviewCommentDays: '', datasetRowDays: '365' });
    expect(policyFromDraft({ outputsDays: ' 30 ', reviewCommentDays: '', datasetRowDays: '365' })).toEqual(policy);
  });

  it('names the box that is not a whole number of days in range', () => {
    for (const bad of ['0', '1.5', '-3', 'ten', '36501']) {
      expect(policyFromDraft({ outputsDays: '', reviewCommentDays: bad, datasetRowDays: '' })).toMatch(
        /^Review comments \(days\): a whole number/,
      );
    }
  });
});
