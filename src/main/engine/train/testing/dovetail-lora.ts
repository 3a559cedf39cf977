// Test helper: the recipe of the Dovetail-trained LoRA fixture (__fixtures__/dovetail-lora): 10 AdamW steps of a
// rank-4 LoRA on q/v of the reference llama (models/__fixtures__/reference/llama) on 4 rows, written as PEFT files.
// Shared by tools/reference/train_dovetail_lora.ts (writes the fixture) and the test that re-trains and compares.
import { join } from 'node:path';
import { loadCheckpoint, loraScaling, type Checkpoint, type LoraModule } from '../../models';
import { trainedLora } from '../adapter-tensors';
import { ADAMW_DEFAULTS } from '../adamw';
import { IGNORE_INDEX, type TokenizedRow } from '../collate';
import { initLora } from '../init';
import type { Param } from '../params';
import type { TrainedLora } from '../peft-write';
import { SessionBackend } from '../session-backend';
import { train } from '../trainer';

export const REFERENCE_LLAMA = join(import.meta.dirname, '..', '..', 'models', '__fixtures__', 'reference', 'llama');
export const DOVETAIL_LORA = join(import.meta.dirname, '..', '__fixtures__', 'dovetail-lora');
export const DOVETAIL_LORA_ADAPTER = join(DOVETAIL_LORA, 'adapter');
export const DOVETAIL_LORA_HYPER = {
  r: 4,
  lora_alpha: 8,
  use_rslora: false,
  target_modules: ['q_proj', 'v_proj'] as LoraModule[],
};

const row = (i: number, prompt: number[], target: number[]): TokenizedRow => ({
  row: i,
  ids: [...prompt, ...target],
  labels: [...prompt.map(() => IGNORE_INDEX), ...target],
});
const ROWS = [
  row(0, [1, 281, 223, 112], [59, 209, 151]),
  row(1, [1, 16, 349], [0, 333]),
  row(2, [1, 13, 14, 15], [60, 61, 2]),
  row(3, [1, 16], [70, 71, 72, 2]),
];

/** Trains the fixture's LoRA with the app's trainer (1 thread, seeded: the same numbers on every run of one build). */
export async function trainDovetailLora(): Promise<{
  checkpoint: Checkpoint;
  lora: TrainedLora;
  params: Param[];
  losses: number[];
}> {
  const checkpoint = await loadCheckpoint(REFERENCE_LLAMA);
  const h = DOVETAIL_LORA_HYPER;
  const backend = await SessionBackend.create(checkpoint, {
    spec: { loraTargets: h.target_modules, softPrompt: false },
    loraScaling: loraScaling(h.r, h.lora_alpha),
    threads: 1,
    folder: checkpoint.folder,
  });
  try {
    const result = await train(backend, initLora(checkpoint, { r: h.r, targets: h.target_modules }, 11), ROWS, [], {
      seed: 11,
      epochs: 10,
      maxSteps: null,
      batchSize: 4,
      gradientAccumulationSteps: 1,
      lr: 3e-2,
      schedule: 'cosine',
      warmupSteps: 2,
      adamw: ADAMW_DEFAULTS,
      maxGradNorm: 1,
      evalEvery: null,
      patience: null,
      checkpointEvery: null,
      checkpointFolder: null,
      numVirtualTokens: 0,
      padId: 0,
    });
    const lora = trainedLora(result.params, checkpoint.config.num_hidden_layers, h);
    return { checkpoint, lora, params: result.params, losses: result.losses.map((l) => l.loss) };
  } finally {
    await backend.dispose();
  }
}
