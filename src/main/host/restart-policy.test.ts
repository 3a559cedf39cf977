import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  it('doubles the delay per recent crash, caps it, and gives up on a crash loop until reset', () => {
    let t = 0;
    const policy = new RestartPolicy(
      { initialDelayMs: 100, maxDelayMs: 500, maxCrashes: 4, windowMs: 10_000 },
      () => t,
    );
    expect([policy.onCrash(), policy.onCrash(), policy.onCrash(), policy.onCrash()]).toEqual([100, 200, 400, 500]);
    expect(policy.onCrash()).toBeNull();
    policy.reset();
    expect(policy.onCrash()).toBe(100);
    t = 20_000; // the earlier crash has left the window
    expect(policy.onCrash()).toBe(100);
  });
});
