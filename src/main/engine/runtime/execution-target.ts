// Which execution provider this worker's sessions use: the one requested in settings when it works here, otherwise
// CPU with the reason recorded (ORT does not fall back by itself). One per worker: the worker entry configures it.
import { DEFAULT_PROVIDER, PROVIDER_LABELS, probeProvider, type ExecutionProvider } from './providers';

export interface ProviderOutcome {
  readonly requested: ExecutionProvider;
  /** Provider the latest sessions run on. */
  readonly used: ExecutionProvider;
  /** Why `used` is CPU although `requested` is not; null without a fallback. */
  readonly fallbackReason: string | null;
}

export class ExecutionTarget {
  private requested: ExecutionProvider = DEFAULT_PROVIDER;
  /** Set when the requested provider cannot start at all: sessions then go straight to CPU. */
  private unusable: string | null = null;
  /** Set when one session could not be created on the requested provider and was created on CPU instead. */
  private lastFallback: string | null = null;
  private readonly listeners = new Set<(outcome: ProviderOutcome) => void>();

  /** Requests a provider and probes it once, so that sessions do not retry a provider that cannot start. */
  async configure(requested: ExecutionProvider): Promise<ProviderOutcome> {
    this.requested = requested;
    this.unusable = null;
    this.lastFallback = null;
    if (requested !== DEFAULT_PROVIDER) {
      const probe = await probeProvider(requested);
      if (!probe.available) this.unusable = probe.reason ?? `${PROVIDER_LABELS[requested]} is unavailable`;
    }
    this.changed();
    return this.outcome;
  }

  get outcome(): ProviderOutcome {
    const fallbackReason = this.unusable ?? this.lastFallback;
    return {
      requested: this.requested,
      used: fallbackReason === null ? this.requested : DEFAULT_PROVIDER,
      fallbackReason,
    };
  }

  /** The provider a new session tries first. */
  get preferred(): ExecutionProvider {
    return this.unusable === null ? this.requested : DEFAULT_PROVIDER;
  }

  /** A session was created on CPU because the requested provider failed for it. */
  recordFallback(reason: string): void {
    if (this.lastFallback === reason) return;
    this.lastFallback = reason;
    this.changed();
  }

  onChange(listener: (outcome: ProviderOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    const outcome = this.outcome;
    for (const listener of this.listeners) listener(outcome);
  }
}

/** The worker's target; sessions use it unless given another (tests). */
export const executionTarget = new ExecutionTarget();
