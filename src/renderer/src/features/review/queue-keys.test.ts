import { describe, expect, it } from 'vitest';
import { nextUndone, queueAction } from './queue-keys';

describe('queue keys', () => {
  it('maps digits to verdicts by mode and letters to actions', () => {
    expect(queueAction('pairwise', '1')).toEqual({ kind: 'vote', verdict: 'left' });
    expect(queueAction('pairwise', '4')).toEqual({ kind: 'vote', verdict: 'both-bad' });
    expect(queueAction('single', '2')).toEqual({ kind: 'vote', verdict: 'fail' });
    expect(queueAction('single', '3')).toBeNull();
    expect(queueAction('pairwise', 'U')).toEqual({ kind: 'undo' });
    expect(queueAction('pairwise', 'j')).toEqual({ kind: 'next' });
    expect(queueAction('pairwise', 'x')).toBeNull();
  });

  it('finds the next item without a vote, wrapping around', () => {
    const items = [{ done: false }, { done: true }, { done: true }];
    expect(nextUndone(items, 0)).toBe(0);
    expect(nextUndone(items, 1)).toBe(0);
    expect(nextUndone([{ done: true }], 0)).toBeNull();
  });
});
