// Static and symbolic shapes. A dim is a number (static) or a name such as "B" or "T" (symbolic, fixed per run).
// Two different names are treated as different sizes: the builder refuses to guess that "T" equals "S".
export type Dim = number | string;
export type Shape = readonly Dim[];

/** A dim that shape inference cannot know (it depends on data); the builder gives it a fresh name. */
export const UNKNOWN_DIM = '?';

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Element count of a static shape (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isValidDim(d: Dim): boolean {
  return typeof d === 'string' ? /^[A-Za-z_][\w.+\-*/ ]*$/.test(d) : Number.isInteger(d) && d >= 0;
}

/**
 * Numpy-style (multidirectional) broadcast as ONNX defines it. Returns the result shape, or a sentence saying which
 * dims clash (the caller adds the op and node name).
 */
export function broadcast(a: Shape, b: Shape): Shape | string {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else return `dim ${i - rank} is ${da} in one and ${db} in the other (each must equal the other or be 1)`;
  }
  return out;
}

/** Normalizes a possibly negative axis for a tensor of the given rank; undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}
