// Slowing down guessing: after a few free failures, each further failed try of a key (a remote address, a profile's
// passphrase) makes it wait twice as long as the last before it is even checked. Bounded in memory. Used by the
// servers for tokens and by the users service for passphrases.

export interface ThrottleOptions {
  /** Failed tokens an address may send before it must wait. */
  readonly freeFailures: number;
  /** The first wait; each further failure doubles it, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** An address with no failure for this long starts afresh. */
  readonly forgetAfterMs: number;
  /** Addresses remembered at most (the oldest go first), so a flood of addresses cannot grow memory. */
  readonly maxTracked: number;
  readonly clock: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  forgetAfterMs: 15 * 60_000,
  maxTracked: 10_000,
  clock: () => Date.now(),
};

interface Failures {
  count: number;
  blockedUntil: number;
  last: number;
}

/** Failed guesses per key (a remote address, a profile), with exponential backoff. */
export class FailureThrottle {
  private readonly options: ThrottleOptions;
  private readonly entries = new Map<string, Failures>();

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...DEFAULT_THROTTLE, ...options };
  }

  /** Milliseconds the address must still wait before its token is even looked at (0: it may try). */
  waitMs(remote: string): number {
    const entry = this.current(remote);
    return entry === undefined ? 0 : Math.max(0, entry.blockedUntil - this.options.clock());
  }

  /** A right answer: the key starts afresh. */
  succeeded(key: string): void {
    this.entries.delete(key);
  }

  fail(remote: string): void {
    const now = this.options.clock();
    const entry = this.current(remote) ?? { count: 0, blockedUntil: 0, last: now };
    entry.count += 1;
    entry.last = now;
    const over = entry.count - this.options.freeFailures;
    if (over > 0)
      entry.blockedUntil =
        now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over - 1, 30));
    this.entries.delete(remote); // re-inserted last: the Map's order is oldest first
    this.entries.set(remote, entry);
    while (this.entries.size > this.options.maxTracked) this.entries.delete(this.entries.keys().next().value as string);
  }

  private current(remote: string): Failures | undefined {
    const entry = this.entries.get(remote);
    if (
      entry !== undefined &&
      this.options.clock() - entry.last > this.options.forgetAfterMs &&
      entry.blockedUntil <= this.options.clock()
    ) {
      this.entries.delete(remote);
      return undefined;
    }
    return entry;
  }
}
