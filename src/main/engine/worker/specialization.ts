// The adapter and soft prompt of a generate request, as they crossed the process boundary (float arrays), turned
// into ModelRunner's Specialization after checking every shape against the model: A [r, in], B [out, r], soft [n, C].
import { UserError } from '../../../shared/errors';
import { tensor, type Tensor } from '../graph';
import {
  LORA_MODULES,
  loraModules,
  loraFeatures,
  type DecoderConfig,
  type LoraAdapter,
  type LoraModule,
  type LoraWeights,
  type Specialization,
} from '../models';
import type { AdapterTensors, FloatTensor } from '../generation-protocol';

export function toSpecialization(
  config: DecoderConfig,
  adapter: AdapterTensors | null,
  softPrompt: FloatTensor | null,
): Specialization {
  return {
    adapter: adapter === null ? null : toAdapter(config, adapter),
    softPrompt: softPrompt === null ? null : f32(softPrompt, [null, config.hidden_size], 'soft prompt'),
  };
}

function toAdapter(config: DecoderConfig, adapter: AdapterTensors): LoraAdapter {
  const L = config.num_hidden_layers;
  if (adapter.layers.length !== L) {
    throw shapeError(`The adapter has ${adapter.layers.length} layers, the model ${L}.`, 'adapter: layers');
  }
  const layers = adapter.layers.map((layer, i) => {
    const out: Partial<Record<LoraModule, LoraWeights>> = {};
    const extra = LORA_MODULES.find((m) => layer[m] && !loraModules(config).includes(m));
    if (extra) throw shapeError(`${extra} is not a projection of this ${config.architecture}.`, `adapter: layer ${i}`);
    for (const module of loraModules(config)) {
      const pair = layer[module];
      if (!pair) continue;
      const f = loraFeatures(config, module);
      const where = `adapter: layer ${i} ${module}`;
      const A = f32(pair.A, [null, f.in], `${where} A`);
      const B = f32(pair.B, [f.out, A.dims[0] ?? 0], `${where} B`);
      out[module] = { A, B };
    }
    return out;
  });
  return { layers, scaling: adapter.scaling };
}

/** A float32 tensor checked against expected dims (null = any size). */
function f32(t: FloatTensor, expected: readonly (number | null)[], where: string): Tensor<'float32'> {
  const fits = t.dims.length === expected.length && expected.every((d, k) => d === null || t.dims[k] === d);
  const size = t.dims.reduce((a, b) => a * b, 1);
  if (!fits || t.data.length !== size) {
    const want = expected.map((d) => d ?? 'n').join(', ');
    throw shapeError(
      `${where} is [${t.dims.join(', ')}] with ${t.data.length} values; the model needs [${want}].`,
      where,
    );
  }
  return tensor('float32', t.dims, t.data instanceof Float32Array ? t.data : Float32Array.from(t.data));
}

function shapeError(message: string, where: string): UserError {
  return new UserError(message, {
    where,
    hint: 'The adapter or soft prompt was trained for another base model; choose one made for this model.',
    code: 'adapter-shape',
  });
}
