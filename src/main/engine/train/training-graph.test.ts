// The training graph's gradients (masked cross-entropy through the whole Llama decoder) against central finite
// differences on the tiny float32 fixture: LoRA only, soft prompt only, and both, with a right-padded batch.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck, randomTensor, SeededRandom } from '../autodiff';
import { tensor, type Tensor } from '../graph';
import { loadCheckpoint, LORA_SCALING, type Checkpoint, type LoraModule } from '../models';
import { collate, IGNORE_INDEX } from './collate';
import { batchFeeds, emitTrainingLoss, TRAIN_NAMES } from './training-graph';

const FIXTURE = join(import.meta.dirname, '..', 'models', '__fixtures__', 'tiny-llama-f32');

async function check(checkpoint: Checkpoint, targets: readonly LoraModule[], n: number): Promise<void> {
  const rng = new SeededRandom(5);
  const batch = collate(
    [
      { row: 0, ids: [5, 17, 42, 7, 9], labels: [IGNORE_INDEX, IGNORE_INDEX, 42, 7, 9] },
      { row: 1, ids: [3, 8, 99], labels: [3, IGNORE_INDEX, 99] }, // label 0 counts only with a soft prompt (HF shift)
    ],
    n,
    0,
  );
  const feeds: Record<string, Tensor> = {
    ...batchFeeds(batch, 1 / batch.targets),
    [LORA_SCALING]: tensor('float32', [], Float32Array.of(2)),
  };
  const result = await gradcheck({
    name: `training ${targets.join(',')} n=${n}`,
    externalDataFolder: checkpoint.folder,
    build: (g) => {
      const { loss, params } = emitTrainingLoss(g, checkpoint, { loraTargets: targets, softPrompt: n > 0 });
      for (const p of params)
        feeds[p.name] = randomTensor(
          'float32',
          p.shape.map((d) => (typeof d === 'number' ? d : p.name === TRAIN_NAMES.softPrompt ? n : 2)),
          rng,
          -0.5,
          0.5,
        );
      return { output: loss, params };
    },
    feeds,
  });
  expect(result.failures).toEqual([]);
  expect(result.params.length).toBe((n > 0 ? 1 : 0) + 2 * targets.length * checkpoint.config.num_hidden_layers);
  expect(result.backward.outputs.filter((v) => v.name.startsWith('grad.model.'))).toEqual([]);
}

describe('training graph gradients (finite differences)', () => {
  let checkpoint: Checkpoint;
  beforeAll(async () => {
    checkpoint = await loadCheckpoint(FIXTURE);
  });
  it('LoRA only (q, v, down)', async () => check(checkpoint, ['q_proj', 'v_proj', 'down_proj'], 0));
  it('soft prompt only', async () => check(checkpoint, [], 2));
  it('LoRA (k, o, up) and soft prompt together', async () => check(checkpoint, ['k_proj', 'o_proj', 'up_proj'], 2));
});
