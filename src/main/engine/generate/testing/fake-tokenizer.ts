// Test helper: a tiny byte-level tokenizer (no model files). Pieces are strings or raw UTF-8 bytes, so a character
// can be split across tokens; decoding joins the bytes as a real byte-level BPE does.
import { StreamDecoder } from '../../models/stream-decoder';
import type { GenerationTokenizer } from '../row';

export class FakeTokenizer implements GenerationTokenizer {
  private readonly bytes: Uint8Array[];

  /** `special`: ids left out when decoding with skipSpecialTokens. */
  constructor(
    readonly pieces: readonly (string | number[])[],
    readonly special: ReadonlySet<number> = new Set(),
  ) {
    this.bytes = pieces.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  /** The id of a string piece. */
  id(piece: string): number {
    const id = this.pieces.indexOf(piece);
    if (id < 0) throw new Error(`fake tokenizer: no piece ${JSON.stringify(piece)}`);
    return id;
  }

  ids(...pieces: string[]): number[] {
    return pieces.map((p) => this.id(p));
  }

  decode(ids: readonly number[], skipSpecialTokens = false): string {
    const kept = ids.filter((id) => !(skipSpecialTokens && this.special.has(id)));
    const parts = kept.map((id) => {
      const piece = this.bytes[id];
      if (piece === undefined) throw new Error(`fake tokenizer: no id ${id}`);
      return piece;
    });
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    return new TextDecoder('utf-8').decode(joined);
  }

  createStreamDecoder(options: { skipSpecialTokens?: boolean; context?: readonly number[] } = {}): StreamDecoder {
    return new StreamDecoder((ids) => this.decode(ids, options.skipSpecialTokens ?? false), options.context ?? []);
  }
}
