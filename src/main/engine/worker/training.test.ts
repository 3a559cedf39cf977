// The `train` engine method end to end on the tiny reference model: text pairs in, progress per step, a PEFT adapter
// folder out; over-long rows are refused with their row numbers.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrainParams } from '../training-protocol';
import { trainingHandlers } from './training';

const MODEL = join(import.meta.dirname, '..', 'train', '__fixtures__', 'memorise-llama');
const ctx = (progress: unknown[]) => ({
  config: { threads: 1, spinThreads: true, testHooks: false },
  progress: (p: unknown) => void progress.push(p),
  checkpoint: async () => {},
});

describe('engine.train', () => {
  it('trains a LoRA + soft prompt from pairs and writes the PEFT adapter', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dovetail-train-method-'));
    try {
      const params = TrainParams.parse({
        modelFolder: MODEL,
        lora: { r: 2, lora_alpha: 4, target_modules: ['q_proj', 'v_proj'] },
        softPrompt: { num_virtual_tokens: 2 },
        data: {
          pairs: [
            { prompt: 'ab', target: 'cd' },
            { prompt: 'ef', target: 'gh' },
          ],
        },
        hyper: { epochs: 2, batchSize: 2, lr: 1e-2 },
        checkpointFolder: folder,
        seed: 3,
      });
      const progress: unknown[] = [];
      const result = await trainingHandlers.train(params, ctx(progress));
      expect(result.steps).toBe(2);
      expect(progress).toHaveLength(2);
      expect((await readdir(result.adapterFolder)).sort()).toEqual([
        'adapter_config.json',
        'adapter_model.safetensors',
        'prompt_tuning',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
  it('refuses rows over maxLength, naming them', async () => {
    const params = TrainParams.parse({
      modelFolder: MODEL,
      lora: { r: 2, lora_alpha: 4, target_modules: ['q_proj'] },
      data: {
        pairs: [
          { prompt: 'a', target: 'b' },
          { prompt: 'a much longer prompt', target: 'b' },
        ],
      },
      hyper: { maxLength: 6 },
      checkpointFolder: '/nonexistent',
    });
    await expect(trainingHandlers.train(params, ctx([]))).rejects.toThrow(
      /1 training rows are longer than 6 tokens: row 2/,
    );
  });
});
