// What one VJP rule sees of its forward node while the reverse walk (backward.ts) emits its backward nodes: the
// forward values (imported into the backward builder), the upstream gradient dY, and which inputs need a gradient.
import type { Attrs, Dim, GraphBuilder, Node, Value } from '../graph';

export interface VjpContext {
  /** The builder the backward nodes go into (scoped "/grad/<forward node name>/"). */
  readonly g: GraphBuilder;
  /** The forward node; its values belong to the forward graph: use x() and y() to refer to them. */
  readonly node: Node;
  readonly attrs: Attrs;
  /** Forward input i as a value of the backward builder. */
  x(i: number): Value;
  /** Forward output i (default 0) as a value of the backward builder (Y of Exp, Sigmoid, Softmax, ...). */
  y(i?: number): Value;
  /** dY: the gradient of output 0, summed over every use. Same dtype and shape as output 0. */
  readonly dY: Value;
  /** True when input i is on a path from a trainable parameter: only those gradients are emitted. */
  needs(i: number): boolean;
  /** The forward node that computes input i (undefined for graph inputs and initializers): for peepholes. */
  producer(i: number): Node | undefined;
  /** Any forward value (e.g. an input of producer(i)) as a value of the backward builder. */
  value(v: Value): Value;
  /** Contents of int64 input i known while building (axes, starts, ends: constants, or dims from Shape). */
  ints(i: number): readonly Dim[] | undefined;
}

/** A vector-Jacobian product: one gradient per forward input, null where not needed (or not differentiable). */
export type Vjp = (c: VjpContext) => readonly (Value | null)[];

/** An op's row of the table: its VJP, or NONE when its outputs carry no gradient (shapes, comparisons, constants). */
export const NONE = 'non-differentiable';
/**
 * The row of an op that only inference graphs use (fused or quantized kernels): it has no gradient, and a training
 * graph that puts one between the loss and a parameter is a bug (training builds the decomposed forms).
 */
export const INFERENCE_ONLY = 'inference-only';
export type VjpEntry = Vjp | typeof NONE | typeof INFERENCE_ONLY;
