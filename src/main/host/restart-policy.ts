// When to restart a crashed engine worker: after a delay that doubles with each recent crash, and not at all once
// it has crashed too often within a window (a crash loop), until someone asks for a restart explicitly.
export interface RestartPolicyOptions {
  /** Delay before the first restart; doubles per crash in the window. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** More crashes than this within windowMs stops automatic restarts. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  maxCrashes: 5,
  windowMs: 60_000,
};

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly options: RestartPolicyOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; returns the delay before restarting, or null when the crash loop cap is reached. */
  onCrash(): number | null {
    const t = this.now();
    this.crashes = [...this.crashes.filter((c) => t - c < this.options.windowMs), t];
    if (this.crashes.length > this.options.maxCrashes) return null;
    return Math.min(this.options.initialDelayMs * 2 ** (this.crashes.length - 1), this.options.maxDelayMs);
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }

  get windowSeconds(): number {
    return Math.round(this.options.windowMs / 1000);
  }

  /** An explicit restart starts a fresh count. */
  reset(): void {
    this.crashes = [];
  }
}
