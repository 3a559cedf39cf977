// Checkpoint tensors as graph initializers: ONNX external data pointing straight into the safetensors files at their
// byte ranges (nothing copied), cast to float32 inside the graph for F16/BF16 (ORT folds the Cast at session creation).
import type { DType, GraphBuilder, Value } from '../graph';
import type { TensorDtype, TensorInfo } from './safetensors';

const GRAPH_DTYPE: Record<TensorDtype, DType> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/** One initializer per checkpoint tensor, however often the graph uses it (a tied lm_head reuses embed_tokens). */
export class GraphWeights {
  private readonly raw = new Map<string, Value>();
  private readonly f32 = new Map<string, Value>();
  private readonly transposed = new Map<string, Value>();

  constructor(private readonly g: GraphBuilder) {}

  /** The tensor in its stored dtype (Gather takes bf16/f16 rows, then only the rows are cast). */
  stored(info: TensorInfo): Value {
    let v = this.raw.get(info.name);
    if (!v) {
      v = this.g.initializer(info.name, {
        dtype: GRAPH_DTYPE[info.dtype],
        dims: info.shape,
        location: info.file,
        offset: info.offset,
        length: info.length,
      });
      this.raw.set(info.name, v);
    }
    return v;
  }

  /** The tensor as float32. */
  float(info: TensorInfo): Value {
    let v = this.f32.get(info.name);
    if (!v) {
      const stored = this.stored(info);
      v = stored.dtype === 'float32' ? stored : this.g.scope(info.name, () => this.g.op.Cast(stored, 'float32'));
      this.f32.set(info.name, v);
    }
    return v;
  }

  /**
   * W^T [in, out] of an nn.Linear weight [out, in], float32 (a constant: ORT folds it into a copy per session). The
   * decoder uses FusedMatMul(x, W, transB = 1) on the stored W instead; kept for graphs that need W^T itself.
   */
  transposedFloat(info: TensorInfo): Value {
    let v = this.transposed.get(info.name);
    if (!v) {
      const w = this.float(info);
      v = this.g.scope(info.name, () => this.g.op.Transpose(w));
      this.transposed.set(info.name, v);
    }
    return v;
  }
}
