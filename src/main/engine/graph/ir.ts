// The graph as data: values, nodes, initializers and attributes. The builder produces it, the verifier checks it,
// the writer turns it into an ONNX ModelProto, and autodiff (../autodiff) walks it backwards.
import type { DType } from './dtype';
import type { Dim, Shape } from './shape';
import type { Tensor } from './tensor';

/** An edge of the graph: a graph input, an initializer or a node output. Created only by a GraphBuilder. */
export interface Value {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  /** The builder that created it; values of different graphs never mix. */
  readonly owner: object;
}

/** What shape inference knows about an input: type, shape and, for constants, the data. */
export interface ValueType {
  readonly dtype: DType;
  /** May hold UNKNOWN_DIM ("?") where a dim depends on data; the builder names such dims. */
  readonly shape: Shape;
  /**
   * Known contents of a small int64 tensor of rank 0 or 1, possibly symbolic (ONNX shape-inference "data
   * propagation"): Shape(x) holds x's dims, so Reshape, Expand and Range downstream get exact symbolic shapes.
   */
  readonly value?: readonly Dim[];
}
export interface InferInput extends ValueType {
  readonly constant: Tensor | undefined;
}

export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: Tensor };
export type Attrs = Readonly<Record<string, Attr>>;

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value: [...value] }),
  floats: (value: readonly number[]): Attr => ({ kind: 'floats', value: [...value] }),
  tensor: (value: Tensor): Attr => ({ kind: 'tensor', value }),
};

export interface Node {
  /** Unique, scoped like torch.onnx names nodes: "/mlp/layer0/MatMul". */
  readonly name: string;
  /** The ONNX operator (op_type, default domain); also the key of the op table. */
  readonly op: string;
  /** null marks an omitted optional input (written as the empty name). */
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attrs: Attrs;
}

/** Weights stored outside the model bytes, e.g. straight inside a safetensors file (ONNX external data). */
export interface ExternalTensor {
  readonly dtype: DType;
  readonly dims: readonly number[];
  /** Relative to the folder given to the session; no absolute paths or "..": ORT >= 1.24 rejects them. */
  readonly location: string;
  readonly offset: number;
  readonly length: number;
}

export interface Initializer {
  readonly value: Value;
  readonly data: Tensor | ExternalTensor;
}

export interface Graph {
  readonly name: string;
  /** Opset version of the default ONNX domain. */
  readonly opset: number;
  readonly inputs: readonly Value[];
  readonly initializers: readonly Initializer[];
  /** In topological order. */
  readonly nodes: readonly Node[];
  readonly outputs: readonly Value[];
}

export function isExternal(data: Tensor | ExternalTensor): data is ExternalTensor {
  return 'location' in data;
}
