// Conversion between the engine's Tensor and onnxruntime's Tensor. Inputs are wrapped without copying; ORT copies
// outputs into fresh ArrayBuffers on every run, so output tensors are ours to keep.
import { Tensor as OrtTensor } from 'onnxruntime-node';
import { UserError } from '../../../shared/errors';
import { isDType, type TensorData } from '../graph/dtype';
import { tensor, type Tensor } from '../graph/tensor';

export function toOrt(t: Tensor): OrtTensor {
  if (t.dtype === 'bfloat16') {
    throw new UserError('bfloat16 tensors cannot be passed to onnxruntime from JavaScript', {
      code: 'unsupported-dtype',
      hint: 'Cast bfloat16 values to float32 inside the graph.',
    });
  }
  return new OrtTensor(t.dtype, t.data, t.dims);
}

export function fromOrt(name: string, t: OrtTensor): Tensor {
  const dtype: string = t.type;
  if (!isDType(dtype) || dtype === 'bfloat16') {
    throw new UserError(`Output ${name} has element type ${dtype}, which Dovetail does not read`, {
      code: 'unsupported-dtype',
    });
  }
  return tensor(dtype, t.dims, t.data as TensorData);
}
