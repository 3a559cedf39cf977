// The warpers' core: the tokens still in play as a compact set in reusable buffers (ids in increasing order, their
// logits and weights exp(logit - max)), so after top-k the rest costs O(k), and a full vocabulary costs one exp
// pass shared by top-p and sampling. HF semantics; logits.ts wraps these for whole rows [V].
import { BugError } from '../../../shared/errors';
import { kthLargest } from './select';

/** Sets of more tokens than this find the top-p boundary by bucketing instead of sorting. */
const SORT_LIMIT = 2048;
/** Top-p buckets: BUCKETS equal slices of BUCKET_RANGE nats below the max logit (the last one takes the rest). */
const BUCKETS = 1024;
const BUCKET_RANGE = 32;

export class CandidateSet {
  /** [capacity] token ids, strictly increasing over [0, size) */
  readonly ids: Int32Array;
  /** [capacity] their logits (finite) */
  readonly logits: Float32Array;
  /** [capacity] exp(logit - max), valid while `weighted` */
  private readonly weights: Float64Array;
  /** [capacity] top-p bucket of each token, for sets over SORT_LIMIT */
  private readonly buckets: Uint16Array;
  private readonly bucketMass = new Float64Array(BUCKETS);
  size = 0;
  private max = -Infinity;
  private weighted = false;

  /** `capacity`: the vocabulary size V; one set serves every row and step of a generation. */
  constructor(readonly capacity: number) {
    this.ids = new Int32Array(capacity);
    this.logits = new Float32Array(capacity);
    this.weights = new Float64Array(capacity);
    this.buckets = new Uint16Array(capacity);
  }

  /** Loads every token of `row` [V] with a finite logit >= threshold (-Infinity: all not removed). */
  load(row: Float32Array, threshold = -Infinity): this {
    if (row.length > this.capacity)
      throw new BugError(`candidate set of ${this.capacity} cannot hold a row of ${row.length}`);
    let n = 0;
    let max = -Infinity;
    for (let i = 0; i < row.length; i++) {
      const l = row[i]!;
      if (l >= threshold && l > -Infinity) {
        this.ids[n] = i;
        this.logits[n++] = l;
        if (l > max) max = l;
      }
    }
    this.size = n;
    this.max = max;
    this.weighted = false;
    return this;
  }

  /**
   * HF TopKLogitsWarper (min_tokens_to_keep 1): loads the tokens whose logit is at least the k-th largest, so ties
   * with the k-th are all kept (HF removes `scores < topk(scores, k)[0][..., -1]`). k = 0 or k >= V loads all.
   */
  loadTopK(row: Float32Array, k: number): this {
    return this.load(row, k > 0 && k < row.length ? kthLargest(row, k) : -Infinity);
  }

  /**
   * HF TopPLogitsWarper (min_tokens_to_keep 1): keeps the smallest set of most likely tokens whose probability
   * reaches topP; a token stays while the mass ranked above it is below topP. Ranking: logit descending, then lower
   * id first (torch.sort leaves ties unordered). Large sets sort only the bucket where the mass crosses topP.
   */
  topP(topP: number): this {
    const n = this.size;
    if (topP >= 1 || n <= 1) return this;
    const total = this.weigh();
    const target = topP * total;
    let members: number[]; // indices that may straddle the boundary
    let before = 0; // mass ranked above all of `members`
    if (n <= SORT_LIMIT) {
      members = Array.from({ length: n }, (_, j) => j);
    } else {
      const mass = this.bucketMass.fill(0);
      const scale = BUCKETS / BUCKET_RANGE;
      for (let j = 0; j < n; j++) {
        const bucket = Math.min(BUCKETS - 1, Math.floor((this.max - this.logits[j]!) * scale));
        this.buckets[j] = bucket;
        mass[bucket]! += this.weights[j]!;
      }
      let boundary = 0;
      while (boundary < BUCKETS - 1 && before + mass[boundary]! < target) before += mass[boundary++]!;
      members = [];
      for (let j = 0; j < n; j++) if (this.buckets[j] === boundary) members.push(j);
    }
    members.sort((a, b) => this.logits[b]! - this.logits[a]! || a - b);
    let last = members[0]!; // the top member is always kept: the mass above it is below the target
    for (const j of members) {
      if (before >= target) break;
      before += this.weights[j]!;
      last = j;
    }
    return this.keepFrom(this.logits[last]!, this.ids[last]!);
  }

  /**
   * HF MinPLogitsWarper (min_tokens_to_keep 1): removes tokens less likely than minP times the most likely one,
   * tested as logit - max < ln(minP) (the same inequality without the softmax). The top token always stays.
   */
  minP(minP: number): this {
    if (minP <= 0 || this.size <= 1) return this;
    return this.keepFrom(this.max + Math.log(minP), Infinity);
  }

  /** Draws from softmax over the set with u in [0, 1): inverse CDF in increasing id order, on unnormalized weights. */
  sample(u: number): number {
    if (this.size === 0) throw new BugError('sampling: every token was removed from the distribution');
    const target = u * this.weigh();
    let acc = 0;
    for (let j = 0; j < this.size; j++) {
      acc += this.weights[j]!;
      if (acc > target) return this.ids[j]!;
    }
    return this.ids[this.size - 1]!; // u * total rounded up to the full total
  }

  /** Writes the set back into `row` [V]: every other token becomes -Infinity. */
  writeBack(row: Float32Array): void {
    row.fill(-Infinity);
    for (let j = 0; j < this.size; j++) row[this.ids[j]!] = this.logits[j]!;
  }

  /** Fills the weights (once per load; filters keep the max token, so they stay valid) and returns their sum. */
  private weigh(): number {
    let total = 0;
    if (this.weighted) {
      for (let j = 0; j < this.size; j++) total += this.weights[j]!;
      return total;
    }
    for (let j = 0; j < this.size; j++) total += this.weights[j] = Math.exp(this.logits[j]! - this.max);
    this.weighted = true;
    return total;
  }

  /**
   * Compacts the set in place to the tokens ranked at or above (logit, id) in the order logit descending, id
   * ascending (order, max and weights preserved). id = Infinity keeps every token with logit >= `logit`.
   */
  private keepFrom(logit: number, id: number): this {
    let n = 0;
    for (let j = 0; j < this.size; j++) {
      const l = this.logits[j]!;
      if (l < logit || (l === logit && this.ids[j]! > id)) continue;
      this.ids[n] = this.ids[j]!;
      this.logits[n] = l;
      this.weights[n++] = this.weights[j]!;
    }
    this.size = n;
    return this;
  }
}
