// Stopping criteria: EOS ids, max new tokens / context length (token level), and stop strings matched on the decoded
// text stream, holding back any tail that could still become a stop string (as vLLM's detokenizer and HF's
// StopStringCriteria with a text streamer do), so streamed text never shows part of a stop string.

export type FinishReason = 'eos' | 'stop' | 'length' | 'cancelled';

export interface TokenCriteria {
  /** Ids that end a row (the token is kept in the row's ids but not decoded). Empty: never. */
  eosTokenIds: ReadonlySet<number>;
  maxNewTokens: number;
  /** Prompt + generated tokens a row may reach (the model's context length); null: no limit. */
  maxLength: number | null;
}

/** The token-level reason a row ends after `tokenId`, its `generated`-th new token; null to go on. */
export function tokenFinishReason(
  tokenId: number,
  generated: number,
  promptLength: number,
  criteria: TokenCriteria,
): 'eos' | 'length' | null {
  if (criteria.eosTokenIds.has(tokenId)) return 'eos';
  if (generated >= criteria.maxNewTokens) return 'length';
  if (criteria.maxLength !== null && promptLength + generated >= criteria.maxLength) return 'length';
  return null;
}

export interface StopStringResult {
  /** Text that is now final and may be shown (never any part of a stop string). */
  text: string;
  /** The stop string found, or null. Once found, the row is over and the text after it is dropped. */
  stop: string | null;
}

/**
 * Finds stop strings in text that arrives in pieces. Emitted text never ends with a proper prefix of a stop string
 * (that tail is held back), so a stop string can only start inside the held-back text plus the new piece.
 */
export class StopStringMatcher {
  private readonly stops: readonly string[];
  private pending = '';
  private stopped = false;

  constructor(stopStrings: readonly string[]) {
    this.stops = stopStrings.filter((s) => s.length > 0);
  }

  push(delta: string): StopStringResult {
    if (this.stopped) return { text: '', stop: null };
    const text = this.pending + delta;
    let at = -1;
    let found: string | null = null;
    for (const stop of this.stops) {
      const index = text.indexOf(stop);
      // Earliest start wins; at the same start the shorter one, which completes first.
      if (index >= 0 && (at < 0 || index < at || (index === at && stop.length < (found?.length ?? 0)))) {
        at = index;
        found = stop;
      }
    }
    if (found !== null) {
      this.stopped = true;
      this.pending = '';
      return { text: text.slice(0, at), stop: found };
    }
    const hold = this.heldBackLength(text);
    this.pending = text.slice(text.length - hold);
    return { text: text.slice(0, text.length - hold), stop: null };
  }

  /** At the end of the row (EOS, length, cancel): the held-back text was not a stop string after all. */
  flush(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }

  /** Length of the longest tail of `text` that is a proper prefix of some stop string. */
  private heldBackLength(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
