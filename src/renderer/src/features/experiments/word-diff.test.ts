// The word-level diff the side-by-side grid marks outputs with.
import { describe, expect, it } from 'vitest';
import { outputSegments, tokenize, wordDiff } from './word-diff';

const join = (segments: { text: string }[]) => segments.map((s) => s.text).join('');

describe('wordDiff', () => {
  it('marks words added and removed, keeping the texts intact', () => {
    const d = wordDiff('the cat sat on the mat', 'the dog sat on the mat');
    expect(d).toEqual([
      { kind: 'same', text: 'the ' },
      { kind: 'removed', text: 'cat ' },
      { kind: 'added', text: 'dog ' },
      { kind: 'same', text: 'sat on the mat' },
    ]);
    expect(join(d.filter((s) => s.kind !== 'added'))).toBe('the cat sat on the mat');
    expect(join(d.filter((s) => s.kind !== 'removed'))).toBe('the dog sat on the mat');
  });

  it('ignores differences in trailing whitespace between words', () => {
    expect(wordDiff('a  b', 'a b').map((s) => s.kind)).toEqual(['same']);
  });

  it('handles empty sides and identical texts', () => {
    expect(wordDiff('', 'new words')).toEqual([{ kind: 'added', text: 'new words' }]);
    expect(wordDiff('old', '')).toEqual([{ kind: 'removed', text: 'old' }]);
    expect(wordDiff('same', 'same')).toEqual([{ kind: 'same', text: 'same' }]);
  });

  it('diffs JSON outputs field by field', () => {
    const segs = outputSegments(
      '{"category": "billing", "priority": "low"}',
      '{"category": "billing", "priority": "high"}',
    );
    expect(segs).toEqual([
      { kind: 'same', text: '{"category": "billing", "priority": ' },
      { kind: 'added', text: '"high"}' },
    ]);
  });

  it('keeps leading whitespace as its own token', () => {
    expect(tokenize('  a b\n')).toEqual(['  ', 'a ', 'b\n']);
  });

  it('compares very long texts as a whole', () => {
    const long = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    expect(wordDiff(long, `${long} x`)).toEqual([
      { kind: 'removed', text: long },
      { kind: 'added', text: `${long} x` },
    ]);
  });
});
