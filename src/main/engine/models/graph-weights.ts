// Checkpoint tensors as graph initializers: ONNX external data pointing straight into the safetensors files at their
// byte ranges (nothing copied), cast to float32 inside the graph for F16/BF16 (ORT folds the Cast at session creation);
// nn.Linear products on block-quantized weights (a weight cache's codes and scales) as com.microsoft.MatMulNBits, or
// in a prefill graph on the cache's per-column int8 copy as com.microsoft.DynamicQuantizeMatMul, with activations on a
// scale per position (so a row's result does not depend on its batch).
import { tensor, type DType, type GraphBuilder, type Value } from '../graph';
import type { QuantBits } from './quantize';
import type { TensorDtype, TensorInfo } from './safetensors';

/** One linear weight [N, K] quantized block-wise (models/quantize.ts), as external data in a weight cache file. */
export interface QuantizedLinearRef {
  N: number;
  K: number;
  bits: QuantBits;
  blockSize: number;
  /** [N, k_blocks, blockSize * bits / 8] uint8 codes. */
  codes: ExternalRange;
  /** [N * k_blocks] float32 scales. */
  scales: ExternalRange;
  /** The same weights re-rounded to int8 per column for prefill graphs: codes [K, N] int8, scales [N] float32. */
  int8?: { codes: ExternalRange; scales: ExternalRange };
}

export interface ExternalRange {
  /** File name relative to the session's external-data folder. */
  file: string;
  offset: number;
  length: number;
}

/**
 * Quantized linears by the weight key they replace ('lm_head.weight' also when the head is tied to the embeddings,
 * whose Gather keeps reading the unquantized table), and the MatMulNBits accuracy level to run them at.
 */
export interface QuantizedLinears {
  linears: ReadonlyMap<string, QuantizedLinearRef>;
  /** 0: activations in fp32; 4: activations quantized to int8 per block (MLAS's int8 kernels). */
  accuracyLevel: 0 | 4;
  /** Prefill graphs quantize activations on one scale per call instead of per position (a benchmark's comparison). */
  perCallScale?: boolean;
}

/** The columns every position of an int8 prefill product gets: ±1 fix the call's range; four keep K a multiple of 4. */
const ANCHOR = [1, -1, 0, 0];

const GRAPH_DTYPE: Record<TensorDtype, DType> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/** One initializer per checkpoint tensor, however often the graph uses it (a tied lm_head reuses embed_tokens). */
export class GraphWeights {
  private readonly raw = new Map<string, Value>();
  private readonly f32 = new Map<string, Value>();
  private readonly transposed = new Map<string, Value>();
  private tinyValue: Value | undefined;
  private anchorValue: Value | undefined;
  /** Per input of int8 prefill linears: the input scaled per position, with its anchor columns, and the scales. */
  private readonly scaled = new Map<Value, { a: Value; amax: Value }>();

  constructor(
    private readonly g: GraphBuilder,
    private readonly quantized: QuantizedLinears | null = null,
    /** A prefill graph: linears with an int8 copy run DynamicQuantizeMatMul (MLAS's int8 GEMM, fast at many rows). */
    private readonly prefill = false,
  ) {}

  /**
   * x [..., K] W^T -> [..., N] for an nn.Linear weight W [N, K]: MatMulNBits when the weight cache quantized it
   * (`key`: the weight key it is filed under, e.g. 'lm_head.weight' for a tied head), DynamicQuantizeMatMul on its
   * int8 copy in a prefill graph, else FusedMatMul(transB) on W as stored (memory-mapped for F32: no folded
   * transposed copy per session).
   */
  linear(x: Value, info: TensorInfo, key = info.name): Value {
    const q = this.quantized?.linears.get(key);
    if (!q || !this.quantized) return this.g.op.FusedMatMul(x, this.float(info));
    if (this.prefill && q.int8) {
      const codes = this.g.initializer(`${key}.int8`, {
        dtype: 'int8',
        dims: [q.K, q.N],
        location: q.int8.codes.file,
        offset: q.int8.codes.offset,
        length: q.int8.codes.length,
      });
      const scales = this.g.initializer(`${key}.int8_scales`, {
        dtype: 'float32',
        dims: [q.N],
        location: q.int8.scales.file,
        offset: q.int8.scales.offset,
        length: q.int8.scales.length,
      });
      return this.quantized.perCallScale
        ? this.g.op.DynamicQuantizeMatMul(x, codes, scales)
        : this.perPositionInt8(x, codes, scales, q.N);
    }
    const kBlocks = Math.ceil(q.K / q.blockSize);
    const codes = this.g.initializer(`${key}.codes`, {
      dtype: 'uint8',
      dims: [q.N, kBlocks, (q.blockSize * q.bits) / 8],
      location: q.codes.file,
      offset: q.codes.offset,
      length: q.codes.length,
    });
    const scales = this.g.initializer(`${key}.scales`, {
      dtype: 'float32',
      dims: [q.N * kBlocks],
      location: q.scales.file,
      offset: q.scales.offset,
      length: q.scales.length,
    });
    return this.g.op.MatMulNBits(x, codes, scales, {
      N: q.N,
      K: q.K,
      bits: q.bits,
      blockSize: q.blockSize,
      accuracyLevel: this.quantized.accuracyLevel,
    });
  }

  /**
   * x [..., K] times the int8 copy, each position's activations quantized on a scale of their own, so a row's product
   * depends on that position alone, not on the other rows of its batch or their padding. DynamicQuantizeMatMul
   * quantizes its whole A on one scale per call, (max(0, max A) - min(0, min A)) / 255. Here every position is first
   * divided by its own max |a| (then spanning at most [-1, 1]) and given ANCHOR columns 1, -1, 0, 0 against zero rows
   * of B: every call's range is then exactly [-1, 1] (scale 2 / 255, zero point 128) whatever else it holds, and the
   * columns add nothing (their codes are 0; the sums are exact int32). The product is multiplied back by each
   * position's max |a|. The scaled input is made once per x (q, k and v share it; so do gate and up), and ORT folds
   * each padded B into one initializer when the session is created.
   */
  private perPositionInt8(x: Value, codes: Value, scales: Value, N: number): Value {
    const g = this.g;
    let scaled = this.scaled.get(x);
    if (!scaled) {
      const amax = g.op.Add(g.op.ReduceMax(g.op.Abs(x), [-1]), this.tiny()); // [..., 1]; > 0 for a zero position
      const anchor = g.op.Mul(g.op.Div(amax, amax), this.anchorColumns()); // [..., 4]: 1, -1, 0, 0
      scaled = { a: g.op.Concat([g.op.Div(x, amax), anchor], -1), amax }; // [..., K + 4]
      this.scaled.set(x, scaled);
    }
    const zeros = g.constant(tensor('int8', [ANCHOR.length, N], new Int8Array(ANCHOR.length * N)));
    const b = g.op.Concat([codes, zeros], 0); // [K + 4, N]
    return g.op.Mul(g.op.DynamicQuantizeMatMul(scaled.a, b, scales), scaled.amax); // [..., N]
  }

  private anchorColumns(): Value {
    this.anchorValue ??= this.g.constant(tensor('float32', [ANCHOR.length], Float32Array.from(ANCHOR)));
    return this.anchorValue;
  }

  private tiny(): Value {
    this.tinyValue ??= this.g.constant(tensor('float32', [], Float32Array.of(1e-30)));
    return this.tinyValue;
  }

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
