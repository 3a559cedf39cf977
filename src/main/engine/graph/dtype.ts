// Element types of graph values and tensors, named as onnxruntime's JS API names them, with their ONNX
// TensorProto.DataType codes. bfloat16 exists only inside graphs: ORT's JS API has no bf16 tensor to cross with.
export const DTYPES = {
  float32: { onnx: 1, bytes: 4, float: true },
  uint8: { onnx: 2, bytes: 1, float: false },
  int8: { onnx: 3, bytes: 1, float: false },
  int32: { onnx: 6, bytes: 4, float: false },
  int64: { onnx: 7, bytes: 8, float: false },
  bool: { onnx: 9, bytes: 1, float: false },
  float16: { onnx: 10, bytes: 2, float: true },
  float64: { onnx: 11, bytes: 8, float: true },
  bfloat16: { onnx: 16, bytes: 2, float: true },
} as const;

export type DType = keyof typeof DTYPES;

/** The typed array that holds each dtype's elements (float16/bfloat16 as raw 16-bit patterns, bool as 0/1 bytes). */
export interface DataOf {
  float32: Float32Array;
  uint8: Uint8Array;
  int8: Int8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
  float16: Uint16Array;
  float64: Float64Array;
  bfloat16: Uint16Array;
}
export type TensorData = DataOf[DType];

export function isDType(name: string): name is DType {
  return Object.hasOwn(DTYPES, name);
}

export function dtypeFromOnnx(code: number): DType | undefined {
  for (const [name, info] of Object.entries(DTYPES)) if (info.onnx === code) return name as DType;
  return undefined;
}

export function isFloat(dtype: DType): boolean {
  return DTYPES[dtype].float;
}
