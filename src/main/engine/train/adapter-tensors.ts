// Trained parameters (training-graph input names) -> the PEFT writer's shapes (peft-write.ts): TrainedLora layers of
// A [r, in] / B [out, r] per target module, and TrainedSoftPrompt embeddings [n, C].
import { tensor } from '../graph';
import { loraInputName, type LoraModule, type LoraWeights } from '../models';
import type { Param } from './params';
import type { TrainedLora, TrainedSoftPrompt } from './peft-write';
import { TRAIN_NAMES } from './training-graph';

export function trainedLora(params: readonly Param[], layers: number, h: Omit<TrainedLora, 'layers'>): TrainedLora {
  const byName = new Map(params.map((p) => [p.name, p]));
  const weights = Array.from({ length: layers }, (_, i) => {
    const layer: Partial<Record<LoraModule, LoraWeights>> = {};
    for (const m of h.target_modules) {
      const A = byName.get(loraInputName(i, m, 'A'));
      const B = byName.get(loraInputName(i, m, 'B'));
      if (A && B) layer[m] = { A: tensor('float32', A.dims, A.data), B: tensor('float32', B.dims, B.data) };
    }
    return layer;
  });
  return { ...h, layers: weights };
}

export function trainedSoftPrompt(
  params: readonly Param[],
  init: Omit<TrainedSoftPrompt, 'embeddings'>,
): TrainedSoftPrompt | null {
  const p = params.find((q) => q.name === TRAIN_NAMES.softPrompt);
  return p ? { ...init, embeddings: tensor('float32', p.dims, p.data) } : null;
}
