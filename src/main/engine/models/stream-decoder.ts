// Incremental detokenization for streaming: decode a growing id list and emit only the new text. Holds text back
// while the newest tokens end in an incomplete UTF-8 character (decoded as U+FFFD), and decodes a small window that
// starts one emission back so decoders that strip a leading space (SentencePiece Metaspace) stay correct.
// Same scheme as TGI's decode_token and vLLM's detokenize_incrementally.

export type DecodeFn = (ids: readonly number[]) => string;

export class StreamDecoder {
  private readonly ids: number[];
  /** Start of the window decoded as context. */
  private prefixOffset: number;
  /** End of the text already emitted. */
  private readOffset: number;

  /**
   * @param decode decodes ids to text (the tokenizer's decode with the caller's options)
   * @param context ids already shown before streaming starts (e.g. the prompt's last few tokens); never emitted
   */
  constructor(
    private readonly decode: DecodeFn,
    context: readonly number[] = [],
  ) {
    this.ids = [...context];
    this.prefixOffset = Math.max(0, this.ids.length - 6);
    this.readOffset = this.ids.length;
  }

  /** Adds generated ids; returns the text that is now complete ('' while a character is still split). */
  push(...ids: number[]): string {
    this.ids.push(...ids);
    return this.emit(false);
  }

  /** At the end of generation: returns whatever was held back (an incomplete character comes out as U+FFFD). */
  flush(): string {
    return this.emit(true);
  }

  private emit(final: boolean): string {
    const prefixText = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const newText = this.decode(this.ids.slice(this.prefixOffset));
    if (newText.length <= prefixText.length || (!final && newText.endsWith('\uFFFD'))) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return newText.slice(prefixText.length);
  }
}
