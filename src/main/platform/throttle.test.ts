// The guess throttle on its own clock: free failures, doubling waits up to the cap, a right answer clearing the key.
import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './throttle';

describe('FailureThrottle', () => {
  it('lets the free failures through, then doubles the wait up to its cap, and forgets a key that succeeded', () => {
    let now = 0;
    const t = new FailureThrottle({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 3000, clock: () => now });
    for (let i = 0; i < 3; i++) t.fail('k');
    expect(t.waitMs('k')).toBe(0);
    t.fail('k');
    expect(t.waitMs('k')).toBe(1000);
    now += 1000;
    t.fail('k');
    expect(t.waitMs('k')).toBe(2000);
    now += 2000;
    t.fail('k');
    expect(t.waitMs('k')).toBe(3000); // capped
    expect(t.waitMs('other')).toBe(0); // per key
    t.succeeded('k');
    expect(t.waitMs('k')).toBe(0);
  });
});
