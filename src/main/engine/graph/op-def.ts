// How one ONNX operator is described to the builder: how a call becomes node inputs and attributes, and how its
// output types follow from its inputs (shape inference). Each op's vector-Jacobian product is in ../autodiff/vjp*.ts.
import { DTYPES, type DType } from './dtype';
import type { Attr, Attrs, InferInput, Value, ValueType } from './ir';
import { broadcast, formatShape, type Dim, type Shape } from './shape';
import type { Tensor } from './tensor';

/** What an op's `apply` may use from the builder: constants for inputs that ONNX takes as tensors (e.g. axes). */
export interface ApplyContext {
  constant(value: Tensor): Value;
}

export interface OpDef<Args extends unknown[] = unknown[]> {
  /** ONNX opset version whose definition this follows (must not exceed the graph's opset; default domain only). */
  readonly since: number;
  /** Operator domain other than ONNX's default, e.g. 'com.microsoft' (imported at version `since`). */
  readonly domain?: string;
  /** Input names from the ONNX spec, for error messages ("A", "B", "data", "axes"). */
  readonly inputNames: readonly string[];
  // Method syntax on purpose: an OpDef<[Value, Value]> must also be usable as the erased OpDef<unknown[]>.
  /** dimNames: names for the output dims that infer() reports as UNKNOWN_DIM (data-dependent), in order. */
  apply(ctx: ApplyContext, ...args: Args): { inputs: (Value | null)[]; attrs?: Attrs; dimNames?: readonly string[] };
  /** Output types from the inputs (null = omitted optional input); calls fail() with a sentence on a mismatch. */
  readonly infer: (inputs: readonly (InferInput | null)[], attrs: Attrs) => ValueType[];
}

export function defineOp<Args extends unknown[]>(def: OpDef<Args>): OpDef<Args> {
  return def;
}

/** Thrown by infer(); the builder and verifier add the node, op and input shapes to the message. */
export class InferError extends Error {
  override readonly name = 'InferError';
}

export function fail(message: string): never {
  throw new InferError(message);
}

export function input(inputs: readonly (InferInput | null)[], index: number, name: string): InferInput {
  const value = inputs[index];
  if (!value) fail(`input ${name} is required`);
  return value;
}

export function requireDType(what: string, value: ValueType, allowed: readonly DType[]): void {
  if (!allowed.includes(value.dtype)) fail(`${what} has dtype ${value.dtype}; allowed: ${allowed.join(', ')}`);
}

export function sameDType(a: ValueType, b: ValueType): void {
  if (a.dtype !== b.dtype) fail(`input dtypes differ: ${a.dtype} and ${b.dtype} (insert a Cast)`);
}

export function broadcastOrFail(a: Shape, b: Shape): Shape {
  const result = broadcast(a, b);
  if (typeof result === 'string') fail(`shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast: ${result}`);
  return result;
}

export function intAttr(attrs: Attrs, name: string, fallback: number): number {
  const a = attrs[name];
  if (a === undefined) return fallback;
  if (a.kind !== 'int') fail(`attribute ${name} must be an int, got ${a.kind}`);
  return a.value;
}

export function intsAttr(attrs: Attrs, name: string): readonly number[] | undefined {
  const a: Attr | undefined = attrs[name];
  if (a === undefined) return undefined;
  if (a.kind !== 'ints') fail(`attribute ${name} must be ints, got ${a.kind}`);
  return a.value;
}

export function onnxCode(dtype: DType): number {
  return DTYPES[dtype].onnx;
}

/** Type constraint lists, as the ONNX spec names them per op. */
export const T = {
  float: ['float32', 'float16', 'float64', 'bfloat16'],
  numeric: ['float32', 'float16', 'float64', 'bfloat16', 'int8', 'uint8', 'int32', 'int64'],
  signed: ['float32', 'float16', 'float64', 'bfloat16', 'int8', 'int32', 'int64'],
  all: Object.keys(DTYPES) as DType[],
} as const satisfies Record<string, readonly DType[]>;

/**
 * The contents of an int64 input of rank 0 or 1 when known while building: constant data, or values propagated
 * from Shape (possibly symbolic dims). undefined when they depend on run-time data.
 */
export function knownInts(value: InferInput | null | undefined): readonly Dim[] | undefined {
  if (!value || value.dtype !== 'int64' || value.shape.length > 1) return undefined;
  if (value.value) return value.value;
  if (value.constant) return Array.from(value.constant.data as BigInt64Array, (v) => Number(v));
  return undefined;
}

/** Constant int64 values (axes, starts): known numbers only. */
export function knownNumbers(value: InferInput | null | undefined): number[] | undefined {
  const ints = knownInts(value);
  return ints && ints.every((d) => typeof d === 'number') ? (ints as number[]) : undefined;
}

/** Normalized axes (each in [0, rank)) or a failure naming the axis and the shape. */
export function axesOf(axes: readonly number[], rank: number, shape: Shape, what = 'data'): number[] {
  return axes.map((raw) => {
    const a = raw < 0 ? raw + rank : raw;
    if (!Number.isInteger(a) || a < 0 || a >= rank)
      fail(`axis ${raw} is out of range for ${what} ${formatShape(shape)} (rank ${rank})`);
    return a;
  });
}
