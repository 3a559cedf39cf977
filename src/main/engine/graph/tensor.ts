// The engine's plain tensor: a dtype, static dims and a typed array (row-major). Used for initializers and
// constants in graphs and for session inputs/outputs in runtime/. No arithmetic here: that happens in ONNX.
import { BugError } from '../../../shared/errors';
import { DTYPES, type DType, type DataOf } from './dtype';
import { formatShape, numel } from './shape';

export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly dims: readonly number[];
  readonly data: DataOf[D];
}

export function tensor<D extends DType>(dtype: D, dims: readonly number[], data: DataOf[D]): Tensor<D> {
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new BugError(`Tensor dims must be non-negative integers, got ${formatShape(dims)}`);
  }
  if (data.length !== numel(dims)) {
    throw new BugError(`Tensor ${dtype} ${formatShape(dims)} needs ${numel(dims)} elements, got ${data.length}`);
  }
  return { dtype, dims: [...dims], data };
}

/** float32 tensor from numbers; dims [rows, cols] etc. */
export function f32(dims: readonly number[], values: ArrayLike<number>): Tensor<'float32'> {
  return tensor('float32', dims, Float32Array.from(values));
}

/** int64 tensor from numbers (ids, axes, shapes). */
export function i64(dims: readonly number[], values: readonly number[]): Tensor<'int64'> {
  return tensor(
    'int64',
    dims,
    BigInt64Array.from(values, (v) => BigInt(v)),
  );
}

/** Little-endian bytes of the tensor's elements (ONNX raw_data layout). */
export function rawBytes(t: Tensor): Uint8Array {
  const { data } = t;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(bytes);
}

export function byteLength(dtype: DType, dims: readonly number[]): number {
  return numel(dims) * DTYPES[dtype].bytes;
}
