// The queue's keyboard map (pure): which action a key press means in a pairwise or single-output round.
import type { ReviewMode, Verdict } from '../../../../shared/contract';

export type QueueAction =
  { kind: 'vote'; verdict: Verdict } | { kind: 'tags' | 'comment' | 'undo' | 'next' | 'previous' | 'diff' };

export const VERDICT_KEYS: Readonly<Record<ReviewMode, readonly { key: string; verdict: Verdict; label: string }[]>> = {
  pairwise: [
    { key: '1', verdict: 'left', label: 'Left better' },
    { key: '2', verdict: 'right', label: 'Right better' },
    { key: '3', verdict: 'tie', label: 'Tie' },
    { key: '4', verdict: 'both-bad', label: 'Both bad' },
  ],
  single: [
    { key: '1', verdict: 'pass', label: 'Pass' },
    { key: '2', verdict: 'fail', label: 'Fail' },
  ],
};

const OTHER: Readonly<Record<string, QueueAction>> = {
  t: { kind: 'tags' },
  c: { kind: 'comment' },
  u: { kind: 'undo' },
  j: { kind: 'next' },
  k: { kind: 'previous' },
  d: { kind: 'diff' },
};

/** The action of a plain key press (modifiers excluded by the caller), or null. */
export function queueAction(mode: ReviewMode, key: string): QueueAction | null {
  const verdict = VERDICT_KEYS[mode].find((v) => v.key === key);
  if (verdict) return { kind: 'vote', verdict: verdict.verdict };
  return OTHER[key.toLowerCase()] ?? null;
}

/** The first item after `from` (wrapping) that has no vote; null when all have one. */
export function nextUndone(items: readonly { done: boolean }[], from: number): number | null {
  for (let step = 1; step <= items.length; step++) {
    const i = (from + step) % items.length;
    if (!items[i]?.done) return i;
  }
  return null;
}
