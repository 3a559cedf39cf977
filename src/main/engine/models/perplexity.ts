// Per-document negative log-likelihood under a model (the full-sequence forward): what perplexity and the paired
// comparison of weight formats are computed from.
import type { ModelRunner } from './model-runner';

export interface DocumentNll {
  /** Summed negative log-likelihood (nats) of every token after the first. */
  sum: number;
  /** Tokens scored: the document's length - 1. */
  count: number;
}

/** One forward per document (token ids, at least 2), scoring each next token. */
export async function documentNll(runner: ModelRunner, docs: readonly (readonly number[])[]): Promise<DocumentNll[]> {
  const out: DocumentNll[] = [];
  for (const ids of docs) {
    const logits = await runner.forward({ inputIds: { data: BigInt64Array.from(ids, BigInt), dims: [1, ids.length] } });
    const V = logits.dims[2] as number;
    let sum = 0;
    for (let t = 0; t + 1 < ids.length; t++) {
      const row = logits.data.subarray(t * V, (t + 1) * V);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let z = 0;
      for (const v of row) z += Math.exp(v - max);
      sum -= (row[ids[t + 1] as number] as number) - max - Math.log(z);
    }
    out.push({ sum, count: ids.length - 1 });
  }
  return out;
}
