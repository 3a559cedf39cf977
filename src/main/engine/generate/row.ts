// One row of a batch while it generates: its ids, its seeded PRNG, its streaming detokenizer and stop-string
// matcher, its finish reason and timings. Once finished, the row is frozen (later tokens are ignored).
import { BugError } from '../../../shared/errors';
import { Pcg32 } from './random';
import { StopStringMatcher, tokenFinishReason, type FinishReason, type TokenCriteria } from './stopping';

/** Turns generated ids into text as they arrive (ModelTokenizer.createStreamDecoder's StreamDecoder fits). */
export interface TextStreamDecoder {
  /** The text that is now complete ('' while a character or a word boundary is still open). */
  push(...ids: number[]): string;
  /** Whatever was held back, at the end. */
  flush(): string;
}

/** What generation needs from a tokenizer (ModelTokenizer fits). */
export interface GenerationTokenizer {
  /** `context`: ids already shown (the prompt's tail), decoded for spacing only and never emitted. */
  createStreamDecoder(options: { skipSpecialTokens?: boolean; context?: readonly number[] }): TextStreamDecoder;
}

/** Streamed once per generated token of a row, and once more for a row cancelled between tokens. */
export interface TokenEvent {
  row: number;
  /** The token just generated; null only in the closing event of a cancelled row. */
  tokenId: number | null;
  /** New final text of the row ('' while text is held back); all deltas of a row add up to its result's text. */
  delta: string;
  /** Tokens this row has generated so far. */
  generatedTokens: number;
  /** Set on the row's last event, null before. */
  finishReason: FinishReason | null;
}

/** How many prompt ids the stream decoder sees as context (enough for SentencePiece's leading-space rule). */
const DECODER_CONTEXT = 6;

export class RowState {
  readonly tokenIds: number[] = [];
  /** Prompt and generated ids (never padding): the repetition penalty's set. */
  readonly seen: Set<number>;
  readonly random: Pcg32;
  text = '';
  finishReason: FinishReason | null = null;
  stopString: string | null = null;
  /** Clock readings (ms) of the first token and of the end. */
  firstTokenAt: number | null = null;
  finishedAt: number | null = null;
  private readonly decoder: TextStreamDecoder;
  private readonly matcher: StopStringMatcher;

  constructor(
    readonly index: number,
    readonly prompt: readonly number[],
    readonly seed: number,
    tokenizer: GenerationTokenizer,
    options: { skipSpecialTokens: boolean; stopStrings: readonly string[] },
  ) {
    this.seen = new Set(prompt);
    this.random = Pcg32.fromSeed(seed);
    this.decoder = tokenizer.createStreamDecoder({
      skipSpecialTokens: options.skipSpecialTokens,
      context: prompt.slice(-DECODER_CONTEXT),
    });
    this.matcher = new StopStringMatcher(options.stopStrings);
  }

  get finished(): boolean {
    return this.finishReason !== null;
  }

  /** Adds the row's next token; the event says what text became final and whether the row ended. */
  accept(tokenId: number, criteria: TokenCriteria, now: number): TokenEvent {
    if (this.finished) throw new BugError(`row ${this.index} is finished and takes no more tokens`);
    this.tokenIds.push(tokenId);
    this.seen.add(tokenId);
    this.firstTokenAt ??= now;
    let reason: FinishReason | null = tokenFinishReason(tokenId, this.tokenIds.length, this.prompt.length, criteria);
    // An EOS token is kept in the ids (as HF does) but never decoded into the text.
    let decoded = reason === 'eos' ? '' : this.decoder.push(tokenId);
    if (reason !== null) decoded += this.decoder.flush();
    const matched = this.matcher.push(decoded);
    let delta = matched.text;
    if (matched.stop !== null) {
      reason = 'stop';
      this.stopString = matched.stop;
    } else if (reason !== null) {
      delta += this.matcher.flush();
    }
    return this.emit(tokenId, delta, reason, now);
  }

  /** Ends an unfinished row: what was held back becomes final text (cut at a stop string, should it complete one). */
  cancel(now: number): TokenEvent {
    const matched = this.matcher.push(this.decoder.flush());
    this.stopString = matched.stop;
    const delta = matched.text + (matched.stop === null ? this.matcher.flush() : '');
    return this.emit(null, delta, 'cancelled', now);
  }

  private emit(tokenId: number | null, delta: string, reason: FinishReason | null, now: number): TokenEvent {
    this.text += delta;
    if (reason !== null) {
      this.finishReason = reason;
      this.finishedAt = now;
    }
    return { row: this.index, tokenId, delta, generatedTokens: this.tokenIds.length, finishReason: reason };
  }
}
