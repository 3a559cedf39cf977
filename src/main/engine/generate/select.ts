// Partial selection for the logits warpers: the k-th largest logit of a row without sorting the vocabulary (a
// bounded min-heap of values, O(V log k); most of the V entries are rejected by one comparison with the heap's root).

/**
 * The k-th largest finite value of `values` [V]; -Infinity when fewer than k are finite or k < 1 (NaN never counts).
 */
export function kthLargest(values: Float32Array, k: number): number {
  const capacity = Math.min(Math.floor(k), values.length);
  if (capacity < 1) return -Infinity;
  const heap = new Float64Array(capacity); // min-heap: heap[0] is the smallest of the best `size` values seen
  let size = 0;
  let root = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > -Infinity)) continue;
    if (size < capacity) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (heap[parent]! <= v) break;
        heap[at] = heap[parent]!;
        at = parent;
      }
      heap[at] = v;
      root = heap[0]!;
    } else if (v > root) {
      root = siftDownRoot(heap, size, v);
    }
  }
  return size < capacity ? -Infinity : root;
}

/** Replaces the root with `v`, restores the heap, returns the new root. */
function siftDownRoot(heap: Float64Array, size: number, v: number): number {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= v) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = v;
  return heap[0]!;
}
