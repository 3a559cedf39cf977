// The reverse walk: from a scalar loss back to the trainable parameters, emitting each node's VJP (vjp.ts) only on
// paths between them, summing the gradients of values used more than once; gradients become outputs "grad.<param>".
import { BugError } from '../../../shared/errors';
import {
  GraphBuilder,
  formatShape,
  verifyGraph,
  type Dim,
  type Graph,
  type Node,
  type Tensor,
  type Value,
} from '../graph';
import { isFloat } from '../graph/dtype';
import type { InferInput } from '../graph/ir';
import { knownInts } from '../graph/op-def';
import { isOpName, opDef } from '../graph/ops';
import { INFERENCE_ONLY, NONE, type VjpContext } from './context';
import { checkGradient, scalar, shapeOf } from './emit';
import { vjpOf } from './vjp';

/** The graph output holding a parameter's gradient. */
export const gradName = (param: string): string => `grad.${param}`;

/** Scope of the backward nodes: "/grad/<forward node name>/<op>". */
export const BACKWARD_SCOPE = 'grad';

export interface BackwardSpec {
  /** The value to differentiate: a float scalar ([] or all dims 1) of the forward graph. */
  readonly loss: Value;
  /** Graph inputs or initializers of float dtype that get gradients; everything else stays frozen. */
  readonly params: readonly Value[];
}

/**
 * The forward graph plus backward nodes and one output `grad.<name>` per parameter (same dtype and shape; zeros
 * for a parameter the loss does not depend on). Nodes off every loss-to-parameter path get no backward nodes.
 */
export function buildBackward(forward: Graph, spec: BackwardSpec): Graph {
  checkSpec(forward, spec);
  const live = dependsOnParams(forward, spec.params);
  const needed = neededForLoss(forward, spec.loss);
  const active = (v: Value | null): v is Value => v !== null && live.has(v) && needed.has(v);
  const known = knownContents(forward);
  const producers = new Map(forward.nodes.flatMap((n) => n.outputs.map((v) => [v, n] as const)));

  const g = new GraphBuilder(`${forward.name}.backward`, forward.opset);
  const imported = new Map<Value, Value>(); // forward value -> backward-graph input of the same name
  const importValue = (v: Value): Value => {
    let b = imported.get(v);
    if (!b) imported.set(v, (b = g.input(v.name, v.dtype, v.shape)));
    return b;
  };
  const contributions = new Map<Value, Value[]>();
  const gradientOf = (v: Value): Value | undefined => {
    const parts = contributions.get(v);
    if (!parts || parts.length === 0) return undefined;
    const sum = parts.reduce((a, b) => g.op.Add(a, b)); // accumulation over every use of v
    contributions.set(v, [sum]);
    return sum;
  };

  g.scope(BACKWARD_SCOPE, () => {
    const seed = scalar(g, spec.loss.dtype, 1);
    contributions.set(spec.loss, [
      spec.loss.shape.length === 0 ? seed : g.op.Expand(seed, spec.loss.shape as number[]),
    ]);
  });
  for (const node of [...forward.nodes].reverse()) {
    if (!node.outputs.some(active)) continue;
    const entry = vjpOf(node.op);
    if (entry === undefined)
      throw new BugError(`autodiff: ${node.op} (node ${node.name}) is not an op of the graph builder`);
    if (entry === INFERENCE_ONLY) {
      throw new BugError(
        `autodiff: ${node.name}: ${node.op} has no gradient (inference only); build training graphs with the decomposed forms`,
      );
    }
    if (entry === NONE) continue;
    g.scope(`${BACKWARD_SCOPE}${node.name}`, () => {
      const out = node.outputs[0] as Value;
      const dY = gradientOf(out) ?? g.op.Expand(scalar(g, out.dtype, 0), shapeOf(g, importValue(out)));
      const context: VjpContext = {
        g,
        node,
        attrs: node.attrs,
        dY,
        x: (i) => importValue(node.inputs[i] ?? fail(node, `input ${i} is omitted`)),
        y: (i = 0) => importValue(node.outputs[i] ?? fail(node, `has no output ${i}`)),
        needs: (i) => active(node.inputs[i] ?? null),
        producer: (i) => {
          const v = node.inputs[i];
          return v ? producers.get(v) : undefined;
        },
        value: importValue,
        ints: (i) => {
          const v = node.inputs[i];
          return v ? known.get(v) : undefined;
        },
      };
      const grads = entry(context);
      node.inputs.forEach((v, i) => {
        if (!active(v)) return;
        const d = grads[i] ?? fail(node, `its VJP gives no gradient for input ${i} (${v.name})`);
        checkGradient(`the gradient of ${node.name} input ${i}`, d, v);
        contributions.set(v, [...(contributions.get(v) ?? []), d]);
      });
    });
  }
  g.scope(BACKWARD_SCOPE, () => {
    for (const p of spec.params)
      g.output(gradName(p.name), gradientOf(p) ?? g.op.Expand(scalar(g, p.dtype, 0), shapeOf(g, importValue(p))));
  });
  return merge(forward, g.build(), imported);
}

function fail(node: Node, what: string): never {
  throw new BugError(`autodiff: node ${node.name} (${node.op}) ${what}`);
}

function checkSpec(forward: Graph, { loss, params }: BackwardSpec): void {
  const values = new Set<Value>([
    ...forward.inputs,
    ...forward.initializers.map((i) => i.value),
    ...forward.nodes.flatMap((n) => n.outputs),
  ]);
  if (!values.has(loss)) throw new BugError(`autodiff: the loss ${loss.name} is not a value of graph ${forward.name}`);
  if (!isFloat(loss.dtype) || !loss.shape.every((d) => d === 1)) {
    throw new BugError(
      `autodiff: the loss must be a float scalar, ${loss.name} is ${loss.dtype} ${formatShape(loss.shape)}`,
    );
  }
  const leaves = new Set<Value>([...forward.inputs, ...forward.initializers.map((i) => i.value)]);
  for (const p of params) {
    if (!leaves.has(p))
      throw new BugError(`autodiff: parameter ${p.name} is not an input or initializer of graph ${forward.name}`);
    if (!isFloat(p.dtype))
      throw new BugError(`autodiff: parameter ${p.name} is ${p.dtype}; only float values have gradients`);
  }
  if (new Set(params).size !== params.length) throw new BugError('autodiff: a parameter is listed twice');
  if (forward.nodes.some((n) => n.name.startsWith(`/${BACKWARD_SCOPE}/`))) {
    throw new BugError(`autodiff: graph ${forward.name} already has nodes in the /${BACKWARD_SCOPE}/ scope`);
  }
}

/** Float values computed from a parameter through differentiable ops. */
function dependsOnParams(forward: Graph, params: readonly Value[]): Set<Value> {
  const live = new Set<Value>(params);
  for (const node of forward.nodes) {
    if (vjpOf(node.op) === NONE || !node.inputs.some((v) => v && live.has(v))) continue;
    for (const out of node.outputs) if (isFloat(out.dtype)) live.add(out);
  }
  return live;
}

/** Values the loss is computed from. */
function neededForLoss(forward: Graph, loss: Value): Set<Value> {
  const needed = new Set<Value>([loss]);
  for (const node of [...forward.nodes].reverse()) {
    if (node.outputs.some((v) => needed.has(v))) for (const v of node.inputs) if (v) needed.add(v);
  }
  return needed;
}

/** Contents of small int64 values known while building (constants, Shape-derived dims), as the builder knew them. */
function knownContents(forward: Graph): Map<Value, readonly Dim[]> {
  const constants = new Map<Value, Tensor>();
  const known = new Map<Value, readonly Dim[]>();
  for (const { value, data } of forward.initializers) if ('data' in data) constants.set(value, data);
  const describe = (v: Value): InferInput => {
    const value = known.get(v);
    return { dtype: v.dtype, shape: v.shape, constant: constants.get(v), ...(value ? { value } : {}) };
  };
  const remember = (v: Value): void => {
    const ints = knownInts(describe(v));
    if (ints) known.set(v, ints);
  };
  forward.initializers.forEach(({ value }) => remember(value));
  for (const node of forward.nodes) {
    const value = node.attrs['value'];
    if (node.op === 'Constant' && value?.kind === 'tensor') constants.set(node.outputs[0] as Value, value.value);
    else if (isOpName(node.op)) {
      const types = opDef(node.op).infer(
        node.inputs.map((v) => v && describe(v)),
        node.attrs,
      );
      types.forEach((t, i) => t.value && known.set(node.outputs[i] as Value, t.value));
    }
    node.outputs.forEach(remember);
  }
  return known;
}

/** One graph: the forward's nodes, then the backward's, whose imported inputs are the forward values again. */
function merge(forward: Graph, backward: Graph, imported: ReadonlyMap<Value, Value>): Graph {
  const original = new Map<Value, Value>([...imported].map(([f, b]) => [b, f]));
  const remap = (v: Value): Value => original.get(v) ?? v;
  const graph: Graph = {
    ...forward,
    nodes: [...forward.nodes, ...backward.nodes.map((n) => ({ ...n, inputs: n.inputs.map((v) => v && remap(v)) }))],
    outputs: [...forward.outputs, ...backward.outputs.map(remap)],
  };
  verifyGraph(graph);
  return graph;
}
