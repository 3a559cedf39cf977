// Composite ops built from primitives (docs/style.md, "each op is defined once"): they get no VJP of their own, autodiff goes through their
// parts. A fused VJP is added only where a measurement shows the composite's backward matters.
import type { GraphBuilder, Value } from '../graph';

/** SiLU (Swish): x·σ(x), as transformers' LlamaMLP act_fn. */
export function silu(g: GraphBuilder, x: Value): Value {
  return g.op.Mul(x, g.op.Sigmoid(x));
}
