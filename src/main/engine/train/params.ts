// Trainable parameters as plain float32 tensors, named by their training-graph input (soft_prompt, lora.{i}.{m}.A/B),
// in a fixed order so optimizer state, gradients and checkpoints line up.
import { tensor, type Tensor } from '../graph';

export interface Param {
  /** Training-graph input name. */
  name: string;
  dims: number[];
  data: Float32Array;
}

export type Grads = ReadonlyMap<string, Float32Array>;

export function paramTensor(p: Param): Tensor<'float32'> {
  return tensor('float32', p.dims, p.data);
}

export function cloneParams(params: readonly Param[]): Param[] {
  return params.map((p) => ({ name: p.name, dims: [...p.dims], data: Float32Array.from(p.data) }));
}
