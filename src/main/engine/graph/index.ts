// The graph builder's public surface: build a Graph with typed ops, verify it, write ONNX bytes.
export { DEFAULT_OPSET, GraphBuilder, type OpCalls } from './builder';
export { DTYPES, isDType, type DType, type TensorData } from './dtype';
export {
  attr,
  type Attr,
  type Attrs,
  type ExternalTensor,
  type Graph,
  type Initializer,
  type Node,
  type Value,
} from './ir';
export { ONNX_IR_VERSION, encodeModel, toModelProto, type WriteOptions } from './onnx-writer';
export { isOpName, ops, type OpName } from './ops';
export { SLICE_END } from './ops-shape';
export { canonicalDim } from './dims';
export { formatShape, type Dim, type Shape } from './shape';
export { f32, i64, tensor, type Tensor } from './tensor';
export { findProblems, verifyGraph } from './verify';
