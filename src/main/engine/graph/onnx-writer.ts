// Serializes a verified Graph into ONNX ModelProto bytes with onnx-proto (protobufjs static code for the ONNX
// schema). Weights are raw_data little-endian, or external data (location/offset/length) never copied.
import onnxProto from 'onnx-proto';
import { BugError } from '../../../shared/errors';
import { DTYPES } from './dtype';
import { opDef, isOpName } from './ops';
import { isExternal, type Attr, type ExternalTensor, type Graph, type Node, type Value } from './ir';
import type { Shape } from './shape';
import { rawBytes, type Tensor } from './tensor';

// onnx-proto is CommonJS: Node's ESM loader exposes it only as the default export.
const { onnx } = onnxProto;

/** IR version 11 goes with opsets 23-24 (ONNX 1.18); ORT 1.30 reads up to IR 11. */
export const ONNX_IR_VERSION = 11;
export const PRODUCER_NAME = 'dovetail';

export interface WriteOptions {
  producerVersion?: string;
  docString?: string;
}

export function toModelProto(graph: Graph, options: WriteOptions = {}): onnxProto.onnx.ModelProto {
  const graphOutputs = new Set(graph.outputs);
  const intermediates = graph.nodes.flatMap((n) => n.outputs).filter((v) => !graphOutputs.has(v));
  return onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: opsetImports(graph),
    producerName: PRODUCER_NAME,
    producerVersion: options.producerVersion ?? '',
    docString: options.docString ?? '',
    graph: {
      name: graph.name,
      node: graph.nodes.map(nodeProto),
      initializer: graph.initializers.map(({ value, data }) =>
        isExternal(data) ? externalTensorProto(value.name, data) : tensorProto(value.name, data),
      ),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
      valueInfo: intermediates.map(valueInfo),
    },
  });
}

/** The model as bytes, ready for InferenceSession.create. */
export function encodeModel(graph: Graph, options: WriteOptions = {}): Uint8Array {
  const bytes = onnx.ModelProto.encode(toModelProto(graph, options)).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The default domain at the graph's opset, plus each other domain its nodes use (e.g. com.microsoft). */
function opsetImports(graph: Graph): { domain: string; version: number }[] {
  const imports = new Map<string, number>([['', graph.opset]]);
  for (const node of graph.nodes) {
    const def = isOpName(node.op) ? opDef(node.op) : null;
    if (def?.domain) imports.set(def.domain, Math.max(imports.get(def.domain) ?? 0, def.since));
  }
  return [...imports].map(([domain, version]) => ({ domain, version }));
}

function nodeProto(node: Node): onnxProto.onnx.INodeProto {
  return {
    name: node.name,
    opType: node.op,
    domain: (isOpName(node.op) ? opDef(node.op).domain : undefined) ?? '',
    input: node.inputs.map((v) => v?.name ?? ''),
    output: node.outputs.map((v) => v.name),
    attribute: Object.entries(node.attrs).map(([name, a]) => attributeProto(name, a)),
  };
}

function attributeProto(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto('', a.value) };
  }
}

function tensorProto(name: string, t: Tensor): onnxProto.onnx.ITensorProto {
  if (!littleEndian) throw new BugError('ONNX raw_data is little-endian; this machine is big-endian');
  return { name, dims: [...t.dims], dataType: DTYPES[t.dtype].onnx, rawData: rawBytes(t) };
}

function externalTensorProto(name: string, t: ExternalTensor): onnxProto.onnx.ITensorProto {
  return {
    name,
    dims: [...t.dims],
    dataType: DTYPES[t.dtype].onnx,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: t.location },
      { key: 'offset', value: String(t.offset) },
      { key: 'length', value: String(t.length) },
    ],
  };
}

function valueInfo(value: Value): onnxProto.onnx.IValueInfoProto {
  return {
    name: value.name,
    type: { tensorType: { elemType: DTYPES[value.dtype].onnx, shape: shapeProto(value.shape) } },
  };
}

function shapeProto(shape: Shape): onnxProto.onnx.ITensorShapeProto {
  return { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
