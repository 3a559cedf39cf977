// Picking, ordering and showing demonstration rows.
import { describe, expect, it } from 'vitest';
import { cellText, MAX_DEMONSTRATIONS, movePick, pickOf, togglePick, type PickedRow } from './picks';

const row = (n: number): PickedRow => ({ key: `k${n}`, idx: n, input: `in ${n}`, reference: `out ${n}` });

describe('demonstration picks', () => {
  it('toggles rows in the order they are picked, up to the limit', () => {
    let picks = togglePick(togglePick([], row(3)), row(1));
    expect(picks.map((p) => p.key)).toEqual(['k3', 'k1']);
    picks = togglePick(picks, row(3));
    expect(picks.map((p) => p.key)).toEqual(['k1']);
    const full = Array.from({ length: MAX_DEMONSTRATIONS }, (_, i) => row(i));
    expect(togglePick(full, row(999))).toBe(full);
    expect(togglePick(full, row(0))).toHaveLength(MAX_DEMONSTRATIONS - 1);
  });

  it('moves a pick up and down, and ignores moves past either end', () => {
    const picks = [row(1), row(2), row(3)];
    expect(movePick(picks, 2, -1).map((p) => p.idx)).toEqual([1, 3, 2]);
    expect(movePick(picks, 0, 1).map((p) => p.idx)).toEqual([2, 1, 3]);
    expect(movePick(picks, 0, -1)).toBe(picks);
    expect(movePick(picks, 2, 1)).toBe(picks);
  });

  it('shows a row as its inputs and its reference on one line each', () => {
    const data = { message: 'Hello\n  there', output: { category: 'billing' }, id: 'x' };
    expect(pickOf({ key: 'x', idx: 4, data }, { input: ['message'], reference: 'output' })).toEqual({
      key: 'x',
      idx: 4,
      input: 'Hello there',
      reference: '{"category":"billing"}',
    });
    expect(cellText(null)).toBe('');
  });
});
