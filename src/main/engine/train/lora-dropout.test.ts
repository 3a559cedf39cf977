// LoRA dropout (PEFT's lora_dropout on the LoRA input path): the training graph's gradients with a fixed keep mask
// against finite differences, dropout 0 unchanged, validation unaffected, and masks that depend only on (seed, step).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck, randomTensor, SeededRandom } from '../autodiff';
import { encodeModel, tensor, type Tensor } from '../graph';
import {
  loadCheckpoint,
  LORA_DROPOUT_SCALE,
  LORA_SCALING,
  loraDropoutMaskName,
  type Checkpoint,
  type LoraModule,
} from '../models';
import { collate, IGNORE_INDEX } from './collate';
import { loraDropoutMasks } from './lora-dropout';
import { initLora } from './init';
import { SessionBackend } from './session-backend';
import { batchFeeds, buildTrainingGraphs, emitTrainingLoss, TRAIN_NAMES } from './training-graph';

const FIXTURE = join(import.meta.dirname, '..', 'models', '__fixtures__', 'tiny-llama-f32');
const TARGETS: LoraModule[] = ['q_proj', 'v_proj', 'down_proj'];
const rows = [
  { row: 0, ids: [5, 17, 42, 7, 9], labels: [IGNORE_INDEX, IGNORE_INDEX, 42, 7, 9] },
  { row: 1, ids: [3, 8, 99], labels: [3, IGNORE_INDEX, 99] },
];

describe('LoRA dropout', () => {
  let checkpoint: Checkpoint;
  beforeAll(async () => {
    checkpoint = await loadCheckpoint(FIXTURE);
  });

  it('gradients with a fixed mask match finite differences (LoRA and soft prompt)', async () => {
    const n = 2;
    const rng = new SeededRandom(7);
    const batch = collate(rows, n, 0);
    const [B, S] = batch.attentionMask.dims as [number, number];
    const masks = loraDropoutMasks(
      { config: checkpoint.config, targets: TARGETS, p: 0.5, seed: 3 },
      { step: 4, microBatch: 1 },
      B,
      S,
    );
    const feeds: Record<string, Tensor> = {
      ...batchFeeds(batch, 1 / batch.targets),
      [LORA_SCALING]: tensor('float32', [], Float32Array.of(2)),
      ...masks,
    };
    const result = await gradcheck({
      name: 'training with lora_dropout 0.5',
      externalDataFolder: checkpoint.folder,
      build: (g) => {
        const { loss, params } = emitTrainingLoss(g, checkpoint, {
          loraTargets: TARGETS,
          softPrompt: true,
          loraDropout: 0.5,
        });
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
    expect(result.params.length).toBe(1 + 2 * TARGETS.length * checkpoint.config.num_hidden_layers);
  });

  it('dropout 0 builds exactly the graph without dropout', () => {
    const plain = encodeModel(buildTrainingGraphs(checkpoint, { loraTargets: TARGETS, softPrompt: false }).training);
    const zero = encodeModel(
      buildTrainingGraphs(checkpoint, { loraTargets: TARGETS, softPrompt: false, loraDropout: 0 }).training,
    );
    expect(Buffer.from(zero).equals(Buffer.from(plain))).toBe(true);
  });

  it('changes training gradients, leaves validation loss as without dropout', async () => {
    const batch = collate(rows, 0, 0);
    const params = initLora(checkpoint, { r: 2, targets: TARGETS }, 1).map((p) =>
      p.name.endsWith('.B') ? { ...p, data: p.data.map((_, i) => Math.sin(i) * 0.1) } : p,
    );
    const make = (loraDropout: number): Promise<SessionBackend> =>
      SessionBackend.create(checkpoint, {
        spec: { loraTargets: TARGETS, softPrompt: false, loraDropout },
        loraScaling: 2,
        threads: 1,
        folder: checkpoint.folder,
        seed: 9,
      });
    const [plain, dropped] = [await make(0), await make(0.3)];
    try {
      expect(await dropped.loss(batch, params, 1)).toBeCloseTo(await plain.loss(batch, params, 1), 5);
      const a = await dropped.lossAndGrads(batch, params, 1, { step: 2, microBatch: 0 });
      const again = await dropped.lossAndGrads(batch, params, 1, { step: 2, microBatch: 0 });
      const other = await dropped.lossAndGrads(batch, params, 1, { step: 3, microBatch: 0 });
      const base = await plain.lossAndGrads(batch, params, 1);
      expect(again.loss).toBe(a.loss); // same (seed, step, micro-batch): same masks, as after a resume
      expect(other.loss).not.toBe(a.loss);
      expect(a.loss).not.toBeCloseTo(base.loss, 4);
    } finally {
      await plain.dispose();
      await dropped.dispose();
    }
  });

  it('masks depend only on (seed, step, micro-batch) and keep about 1 - p', () => {
    const o = { config: checkpoint.config, targets: ['q_proj'] as LoraModule[], p: 0.25, seed: 11 };
    const a = loraDropoutMasks(o, { step: 5, microBatch: 0 }, 4, 64);
    const b = loraDropoutMasks(o, { step: 5, microBatch: 0 }, 4, 64);
    const c = loraDropoutMasks(o, { step: 5, microBatch: 1 }, 4, 64);
    const name = loraDropoutMaskName(0, 'q_proj');
    const keep = a[name]?.data as Uint8Array;
    expect(b[name]?.data).toEqual(keep);
    expect(c[name]?.data).not.toEqual(keep);
    expect(keep.reduce((s, v) => s + v, 0) / keep.length).toBeCloseTo(0.75, 1);
    expect(a[LORA_DROPOUT_SCALE]?.data[0]).toBeCloseTo(1 / 0.75, 6);
  });
});
