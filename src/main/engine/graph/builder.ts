// Builds a Graph op by op, inferring each output's dtype and shape as it goes, so a mistake fails at the line
// that made it with the shapes involved. Written by hand: no JS library builds typed ONNX graphs.
import { BugError } from '../../../shared/errors';
import type { DType } from './dtype';
import type { ExternalTensor, Graph, Initializer, InferInput, Node, Value } from './ir';
import { InferError, type ApplyContext } from './op-def';
import { opDef, ops, type OpName, type Ops } from './ops';
import { canonicalDim } from './dims';
import { formatShape, isValidDim, UNKNOWN_DIM, type Dim, type Shape } from './shape';
import type { Tensor } from './tensor';
import { verifyGraph } from './verify';

/** Opset of the default domain unless a builder asks otherwise (ORT 1.30 accepts up to 26; 23 has RMSNormalization). */
export const DEFAULT_OPSET = 23;

type ArgsOf<D> = D extends { apply(ctx: ApplyContext, ...args: infer A): unknown } ? A : never;

/** One typed function per op of the table: g.op.MatMul(a, b), g.op.ReduceSum(x, [1], { keepdims: false }). */
export type OpCalls = { readonly [K in OpName]: (...args: ArgsOf<Ops[K]>) => Value };

interface MutableValue extends Value {
  name: string;
}

export class GraphBuilder implements ApplyContext {
  readonly op: OpCalls;
  private readonly inputs: Value[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly nodes: Node[] = [];
  private readonly outputs: Value[] = [];
  /** Value names and node names: two namespaces, as in ONNX. */
  private readonly names = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** Values whose data is known while building (inline initializers, Constant outputs): for shape inference. */
  private readonly constants = new Map<Value, Tensor>();
  /** Known (possibly symbolic) contents of small int64 values, e.g. Shape outputs: see ValueType.value. */
  private readonly known = new Map<Value, readonly Dim[]>();
  private unknownDims = 0;
  private readonly producers = new Map<Value, Node>();
  private readonly scopes: string[] = [];
  private built = false;

  constructor(
    readonly name: string,
    readonly opset: number = DEFAULT_OPSET,
  ) {
    const calls: Record<string, (...args: unknown[]) => Value> = {};
    for (const op of Object.keys(ops) as OpName[]) calls[op] = (...args) => this.apply(op, args);
    this.op = calls as unknown as OpCalls;
  }

  /** A graph input, fed at run time; symbolic dims ("B", "T") become ONNX dim_params. */
  input(name: string, dtype: DType, shape: Shape): Value {
    const value = this.newValue(name, dtype, this.checkShape(name, shape));
    this.inputs.push(value);
    return value;
  }

  /** A named weight: inline data, or external data pointing into a file (e.g. safetensors). */
  initializer(name: string, data: Tensor | ExternalTensor): Value {
    const value = this.newValue(name, data.dtype, this.checkShape(name, data.dims));
    this.initializers.push({ value, data });
    if ('data' in data) this.constants.set(value, data);
    return value;
  }

  /** A Constant node (small values the graph needs, such as axes). */
  constant(value: Tensor): Value {
    return this.op.Constant(value);
  }

  /** Marks a value as a graph output named `name` (renaming a fresh node output, else through Identity). */
  output(name: string, value: Value): Value {
    this.checkOwned(value, `output ${name}`);
    if (value.name !== name) {
      const renamable = this.producers.has(value) && !this.outputs.includes(value);
      if (renamable) {
        this.claimName(name);
        this.names.delete(value.name);
        (value as MutableValue).name = name;
      } else {
        return this.output(name, this.op.Identity(value));
      }
    }
    this.outputs.push(value);
    return value;
  }

  /** Every output of the node that produced `value` (ops return their first output; e.g. Attention's present_key). */
  outputsOf(value: Value): readonly Value[] {
    this.checkOwned(value, 'outputsOf');
    const node = this.producers.get(value);
    if (!node) throw new BugError(`Graph ${this.name}: ${value.name} is not a node output`);
    return node.outputs;
  }

  /** Runs fn with node names prefixed by `name` ("/layers.0/self_attn/MatMul"). */
  scope<T>(name: string, fn: () => T): T {
    if (name !== '') this.scopes.push(name);
    try {
      return fn();
    } finally {
      if (name !== '') this.scopes.pop();
    }
  }

  /** Verifies and freezes the graph; the builder cannot be used afterwards. */
  build(): Graph {
    this.checkOpen();
    this.built = true;
    const graph: Graph = {
      name: this.name,
      opset: this.opset,
      inputs: [...this.inputs],
      initializers: [...this.initializers],
      nodes: [...this.nodes],
      outputs: [...this.outputs],
    };
    verifyGraph(graph);
    return graph;
  }

  private apply(op: OpName, args: unknown[]): Value {
    this.checkOpen();
    const def = opDef(op);
    const nodeName = this.nodeName(op);
    if (!def.domain && def.since > this.opset) {
      throw new BugError(
        `${op} (${nodeName}) follows opset ${def.since} but graph ${this.name} targets opset ${this.opset}`,
      );
    }
    const { inputs, attrs = {}, dimNames = [] } = def.apply(this, ...args);
    inputs.forEach((v, i) => v && this.checkOwned(v, `${nodeName} input ${def.inputNames[i] ?? i}`));
    const known: (InferInput | null)[] = inputs.map((v) => v && this.describe(v));
    let types;
    try {
      types = def.infer(known, attrs);
    } catch (error) {
      if (!(error instanceof InferError)) throw error;
      throw shapeError(nodeName, op, def.inputNames, inputs, error.message);
    }
    // Dims that depend on data get the names the op's caller chose, else fresh ones (as ONNX's "unk__N").
    let named = 0;
    const nameUnknown = (d: Dim): Dim => (d === UNKNOWN_DIM ? (dimNames[named++] ?? `unk__${this.unknownDims++}`) : d);
    const outputs = types.map((t, i) => this.newValue(`${nodeName}_output_${i}`, t.dtype, t.shape.map(nameUnknown)));
    types.forEach((t, i) => t.value && this.known.set(outputs[i] as Value, t.value));
    const node: Node = { name: nodeName, op, inputs, outputs, attrs };
    this.nodes.push(node);
    for (const v of outputs) this.producers.set(v, node);
    const first = outputs[0];
    if (!first) throw new BugError(`${op} produced no outputs`);
    const value = attrs['value'];
    if (op === 'Constant' && value?.kind === 'tensor') this.constants.set(first, value.value);
    return first;
  }

  /** What shape inference may know about a value: type, shape, constant data and propagated contents. */
  private describe(v: Value): InferInput {
    const value = this.known.get(v);
    return { dtype: v.dtype, shape: v.shape, constant: this.constants.get(v), ...(value ? { value } : {}) };
  }

  private nodeName(op: string): string {
    const base = `/${[...this.scopes, op].join('/')}`;
    let name = base;
    for (let n = 1; this.nodeNames.has(name); n++) name = `${base}_${n}`;
    this.nodeNames.add(name);
    return name;
  }

  private newValue(name: string, dtype: DType, shape: Shape): Value {
    this.checkOpen();
    this.claimName(name);
    const value: MutableValue = { name, dtype, shape: [...shape], owner: this };
    return value;
  }

  private claimName(name: string): void {
    if (name === '') throw new BugError(`Graph ${this.name}: value names must not be empty`);
    if (this.names.has(name)) throw new BugError(`Graph ${this.name}: the name "${name}" is already used`);
    this.names.add(name);
  }

  private checkShape(name: string, shape: Shape): Shape {
    const bad = shape.find((d) => !isValidDim(d));
    if (bad !== undefined)
      throw new BugError(
        `Graph ${this.name}: ${name} has an invalid dim ${JSON.stringify(bad)} in ${formatShape(shape)}`,
      );
    return shape.map(canonicalDim);
  }

  private checkOwned(value: Value, where: string): void {
    if (value.owner !== this)
      throw new BugError(`Graph ${this.name}: ${where} is ${value.name}, a value of another graph`);
  }

  private checkOpen(): void {
    if (this.built) throw new BugError(`Graph ${this.name} is already built`);
  }
}

export function shapeError(
  node: string,
  op: string,
  inputNames: readonly string[],
  inputs: readonly (Pick<Value, 'name' | 'dtype' | 'shape'> | null)[],
  reason: string,
): BugError {
  const described = inputs
    .map((v, i) => `${inputNames[i] ?? `#${i}`} = ${v ? `${v.name} ${v.dtype} ${formatShape(v.shape)}` : '(omitted)'}`)
    .join('; ');
  return new BugError(`Shape error at ${node} (${op}): ${reason}. Inputs: ${described || 'none'}`, {
    code: 'graph-shape',
  });
}
