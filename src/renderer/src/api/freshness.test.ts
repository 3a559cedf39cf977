// A load that answers after an event must not put back the older state (seen with the engine's status: "Starting…"
// stayed on screen after the "ready" event because the status call, read before it, answered after it).
import { describe, expect, it } from 'vitest';
import { Freshness } from './freshness';

describe('Freshness', () => {
  it('keeps a load whose flight saw no pushed value', () => {
    const freshness = new Freshness();
    const mark = freshness.mark();
    expect(freshness.loadIsCurrent(mark)).toBe(true);
  });

  it('drops a load answered after an event that arrived while it was in flight', () => {
    const freshness = new Freshness();
    const mark = freshness.mark();
    freshness.pushed();
    expect(freshness.loadIsCurrent(mark)).toBe(false);
  });

  it('keeps a load that started after the last event', () => {
    const freshness = new Freshness();
    freshness.pushed();
    const mark = freshness.mark();
    expect(freshness.loadIsCurrent(mark)).toBe(true);
  });
});
