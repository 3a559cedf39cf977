// Logits processors and warpers on one row of logits [V], in place with HF semantics (a removed token gets
// -Infinity), plus softmax, greedy argmax and sampling. The warpers' work is done on candidate sets (candidates.ts);
// the order they run in during generation is in sampler.ts.
import { BugError } from '../../../shared/errors';
import { CandidateSet } from './candidates';

/**
 * HF RepetitionPenaltyLogitsProcessor: for every distinct id already seen (prompt included), a positive logit is
 * divided by `penalty` and a negative one multiplied by it (so > 1 always makes the token less likely).
 */
export function applyRepetitionPenalty(logits: Float32Array, seenIds: Iterable<number>, penalty: number): void {
  if (penalty === 1) return;
  const distinct = seenIds instanceof Set ? (seenIds as Set<number>) : new Set(seenIds);
  for (const id of distinct) {
    const score = logits[id];
    if (score === undefined)
      throw new BugError(`repetition penalty: token id ${id} is outside the vocabulary of ${logits.length}`);
    logits[id] = score < 0 ? score * penalty : score / penalty;
  }
}

/** HF TemperatureLogitsWarper: logits / temperature. */
export function applyTemperature(logits: Float32Array, temperature: number): void {
  if (temperature === 1) return;
  for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! / temperature;
}

/** HF TopKLogitsWarper: removes every logit below the k-th largest (ties with the k-th stay); 0 is off. */
export function applyTopK(logits: Float32Array, k: number): void {
  if (k > 0 && k < logits.length) new CandidateSet(logits.length).loadTopK(logits, k).writeBack(logits);
}

/** HF TopPLogitsWarper: keeps the smallest set of most likely tokens whose probability reaches topP; 1 is off. */
export function applyTopP(logits: Float32Array, topP: number): void {
  if (topP < 1) new CandidateSet(logits.length).load(logits).topP(topP).writeBack(logits);
}

/** HF MinPLogitsWarper: removes tokens less likely than minP times the most likely one; 0 is off. */
export function applyMinP(logits: Float32Array, minP: number): void {
  if (minP > 0) new CandidateSet(logits.length).load(logits).minP(minP).writeBack(logits);
}

/** Greedy decoding: the id of the largest logit; ties go to the lowest id, as torch.argmax does. */
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Numerically stable softmax [V] -> [V] (in float64); removed tokens (-Infinity) get probability 0. */
export function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === -Infinity) throw new BugError('softmax: every token was removed from the distribution');
  const probs = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += probs[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < logits.length; i++) probs[i] = probs[i]! / sum;
  return probs;
}

/** Draws a token from softmax(logits) with u in [0, 1): inverse CDF over the remaining ids in increasing order. */
export function sampleToken(logits: Float32Array, u: number): number {
  return new CandidateSet(logits.length).load(logits).sample(u);
}

/** Throws when a row holds NaN or +Infinity (a broken model or an fp16 overflow), which no warper can handle. */
export function checkLogits(logits: Float32Array, where: string): void {
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v !== v || v === Infinity) throw badLogit(where, v, i);
  }
}

/** checkLogits and then temperature, in one pass over the row (the sampling path's only full pass before top-k). */
export function checkAndApplyTemperature(logits: Float32Array, temperature: number, where: string): void {
  if (temperature === 1) return checkLogits(logits, where);
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v !== v || v === Infinity) throw badLogit(where, v, i);
    logits[i] = v / temperature;
  }
}

/** checkLogits and argmax in one pass (the greedy path). */
export function checkedArgmax(logits: Float32Array, where: string): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v !== v || v === Infinity) throw badLogit(where, v, i);
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

function badLogit(where: string, value: number, id: number): BugError {
  return new BugError(`${where}: the model returned ${value} as the logit of token ${id}`);
}
