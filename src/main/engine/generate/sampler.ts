// Picks the next token of a row: the logits processors and warpers in HF's order (repetition penalty; then, when
// sampling, temperature, top-k, top-p, min-p), then greedy argmax or a draw with the row's seeded PCG32. About two
// passes over the row [V] with top-k; without top-k one more pass of exp, shared by top-p and the draw.
import { CandidateSet } from './candidates';
import { applyRepetitionPenalty, checkAndApplyTemperature, checkedArgmax } from './logits';
import type { Pcg32 } from './random';
import type { DecodingSettings } from './settings';

export type SamplingSettings = Pick<
  DecodingSettings,
  'do_sample' | 'temperature' | 'top_k' | 'top_p' | 'min_p' | 'repetition_penalty'
>;

export class Sampler {
  /** Scratch for the warpers, reused by every row and step (no V-sized garbage per token). */
  private readonly candidates: CandidateSet;

  constructor(
    readonly settings: SamplingSettings,
    readonly vocabSize: number,
  ) {
    this.candidates = new CandidateSet(vocabSize);
  }

  /**
   * The next token id of one row. `logits` [V] is the model's last-position row and is modified in place (pass a
   * copy to keep it); `seenIds` holds the row's prompt and generated ids (no padding), for the repetition penalty.
   * Greedy draws no random numbers; sampling draws exactly one per token.
   */
  next(logits: Float32Array, seenIds: ReadonlySet<number>, random: Pcg32, where = 'logits'): number {
    const s = this.settings;
    applyRepetitionPenalty(logits, seenIds, s.repetition_penalty);
    if (!s.do_sample) return checkedArgmax(logits, where);
    checkAndApplyTemperature(logits, s.temperature, where);
    const candidates = this.candidates.loadTopK(logits, s.top_k).topP(s.top_p);
    if (s.min_p !== undefined) candidates.minP(s.min_p);
    return candidates.sample(random.nextFloat());
  }
}
