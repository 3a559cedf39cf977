// Test helper: slow, obviously-correct versions of the warpers (full sort, float64), to check the partial-selection
// ones against on large random rows.

/** Ids sorted best first, ties by lower id (the order Dovetail's warpers rank in). */
export function rankAll(logits: ArrayLike<number>): number[] {
  return Array.from(logits, (_, i) => i)
    .filter((i) => logits[i]! > -Infinity)
    .sort((a, b) => logits[b]! - logits[a]! || a - b);
}

export function referenceTopK(logits: Float32Array, k: number): Float32Array {
  const out = Float32Array.from(logits);
  const ranked = rankAll(logits);
  if (k <= 0 || ranked.length <= k) return out;
  const threshold = logits[ranked[k - 1]!]!;
  for (let i = 0; i < out.length; i++) if (out[i]! < threshold) out[i] = -Infinity;
  return out;
}

export function referenceTopP(logits: Float32Array, topP: number): Float32Array {
  const out = Float32Array.from(logits);
  const ranked = rankAll(logits);
  const max = logits[ranked[0]!]!;
  const weights = ranked.map((i) => Math.exp(logits[i]! - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let before = 0;
  ranked.forEach((id, j) => {
    if (j > 0 && before >= topP * total) out[id] = -Infinity;
    before += weights[j]!;
  });
  return out;
}

/** The ids a row still has (finite logits). */
export function kept(logits: ArrayLike<number>): number[] {
  return Array.from(logits, (_, i) => i).filter((i) => logits[i]! > -Infinity);
}

export function referenceMinP(logits: Float32Array, minP: number): Float32Array {
  const out = Float32Array.from(logits);
  const probs = referenceSoftmax(logits);
  const top = Math.max(...probs);
  probs.forEach((p, i) => {
    if (p < minP * top) out[i] = -Infinity;
  });
  return out;
}

export function referenceSoftmax(logits: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(logits));
  const weights = Array.from(logits, (l) => Math.exp(l - max));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** The probabilities HF's sampling chain gives: temperature, top-k, top-p, min-p, softmax (float64, full sorts). */
export function referenceDistribution(
  logits: Float32Array,
  s: { temperature: number; top_k: number; top_p: number; min_p?: number },
): number[] {
  let row: Float32Array = Float32Array.from(logits, (l) => l / s.temperature);
  if (s.top_k > 0) row = referenceTopK(row, s.top_k);
  if (s.top_p < 1) row = referenceTopP(row, s.top_p);
  if (s.min_p !== undefined) row = referenceMinP(row, s.min_p);
  return referenceSoftmax(row);
}

/** Inverse-CDF draw in id order from probabilities. */
export function referenceDraw(probs: readonly number[], u: number): number {
  let acc = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! === 0) continue;
    acc += probs[i]!;
    last = i;
    if (acc > u) return i;
  }
  return last;
}
