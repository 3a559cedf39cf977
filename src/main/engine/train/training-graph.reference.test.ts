// The training graph against PyTorch (tools/reference/make_train_reference.py) on the reference Llama checkpoint with
// its PEFT LoRA and soft prompt: loss and gradients for LoRA only, soft prompt only and both; 5 AdamW steps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SEPARATE_PROJECTIONS,
  loadCheckpoint,
  loraInputName,
  readSafetensorsHeader,
  readTensorF32,
  type Checkpoint,
} from '../models';
import { ADAMW_DEFAULTS } from './adamw';
import { collate, IGNORE_INDEX, type TokenizedRow } from './collate';
import type { Param } from './params';
import { loraKey, PROMPT_EMBEDDINGS } from './peft-names';
import { SessionBackend } from './session-backend';
import { train } from './trainer';
import { TRAIN_NAMES } from './training-graph';

const MODEL = join(import.meta.dirname, '..', 'models', '__fixtures__', 'reference', 'llama');
const REF = join(import.meta.dirname, '__fixtures__', 'training-reference');
interface Expected {
  pad_token_id: number;
  lora_scaling: number;
  rows: { prompt: number[]; target: number[] }[];
  cases: { name: string; lora: boolean; soft_prompt: boolean; loss: number }[];
  adamw: { lr: number; betas: [number, number]; eps: number; weight_decay: number; steps: number; losses: number[] };
}
const expected = JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Expected;

async function tensors(path: string): Promise<Map<string, { dims: number[]; data: Float32Array }>> {
  const file = await readSafetensorsHeader(path);
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of file.tensors) out.set(t.name, { dims: [...t.shape], data: await readTensorF32(t) });
  return out;
}

/** Graph input name -> PEFT key, for the params of one case. */
function peftNames(checkpoint: Checkpoint, lora: boolean, soft: boolean): Map<string, string> {
  const names = new Map<string, string>();
  if (soft) names.set(TRAIN_NAMES.softPrompt, PROMPT_EMBEDDINGS);
  if (lora) {
    for (let i = 0; i < checkpoint.config.num_hidden_layers; i++) {
      for (const m of SEPARATE_PROJECTIONS)
        for (const part of ['A', 'B'] as const) names.set(loraInputName(i, m, part), loraKey(i, m, part));
    }
  }
  return names;
}

/** Worst |a - b| / max(|b|_inf, tiny) over a tensor: relative to the tensor's scale. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

describe('training graph vs PyTorch', () => {
  let checkpoint: Checkpoint;
  let peft: Map<string, { dims: number[]; data: Float32Array }>;
  let ref: Map<string, { dims: number[]; data: Float32Array }>;
  const rows: TokenizedRow[] = expected.rows.map((r, row) => ({
    row,
    ids: [...r.prompt, ...r.target],
    labels: [...r.prompt.map(() => IGNORE_INDEX), ...r.target],
  }));
  beforeAll(async () => {
    checkpoint = await loadCheckpoint(MODEL);
    peft = new Map([
      ...(await tensors(join(MODEL, 'lora', 'adapter_model.safetensors'))),
      ...(await tensors(join(MODEL, 'soft-prompt', 'adapter_model.safetensors'))),
    ]);
    ref = await tensors(join(REF, 'expected.safetensors'));
  });
  const paramsOf = (names: Map<string, string>): Param[] =>
    [...names].map(([name, key]) => {
      const t = peft.get(key)!;
      return { name, dims: t.dims, data: Float32Array.from(t.data) };
    });

  for (const c of expected.cases) {
    it(`${c.name}: loss and gradients within 1e-4 relative`, async () => {
      const names = peftNames(checkpoint, c.lora, c.soft_prompt);
      const spec = { loraTargets: c.lora ? SEPARATE_PROJECTIONS : [], softPrompt: c.soft_prompt };
      const backend = await SessionBackend.create(checkpoint, {
        spec,
        loraScaling: expected.lora_scaling,
        threads: 1,
        folder: checkpoint.folder,
      });
      try {
        const n = c.soft_prompt ? 3 : 0;
        const batch = collate(rows, n, expected.pad_token_id);
        const { loss, grads } = await backend.lossAndGrads(batch, paramsOf(names), 1 / batch.targets);
        expect(Math.abs(loss - c.loss) / c.loss).toBeLessThan(1e-5);
        let worst = 0;
        for (const [name, key] of names) {
          const want = ref.get(`${c.name}/grad/${key}`)!;
          worst = Math.max(worst, relativeError(grads.get(name)!, want.data));
        }
        expect(worst).toBeLessThan(1e-4);
        console.log(
          `${c.name}: loss ${loss} (torch ${c.loss}), worst gradient error ${worst.toExponential(2)} of the tensor's max`,
        );
      } finally {
        await backend.dispose();
      }
    });
  }

  it('5 AdamW steps on LoRA + soft prompt give torch.optim.AdamW parameters within 1e-4', async () => {
    const names = peftNames(checkpoint, true, true);
    const backend = await SessionBackend.create(checkpoint, {
      spec: { loraTargets: SEPARATE_PROJECTIONS, softPrompt: true },
      loraScaling: expected.lora_scaling,
      threads: 1,
      folder: checkpoint.folder,
    });
    const a = expected.adamw;
    try {
      const result = await train(backend, paramsOf(names), rows, [], {
        seed: 1,
        epochs: a.steps,
        maxSteps: null,
        batchSize: 2,
        gradientAccumulationSteps: 1,
        lr: a.lr,
        schedule: 'constant',
        warmupSteps: 0,
        adamw: { ...ADAMW_DEFAULTS, betas: a.betas, eps: a.eps, weightDecay: a.weight_decay },
        maxGradNorm: null,
        evalEvery: null,
        patience: null,
        checkpointEvery: null,
        checkpointFolder: null,
        numVirtualTokens: 3,
        padId: expected.pad_token_id,
      });
      result.losses.forEach((l, i) =>
        expect(Math.abs(l.loss - (a.losses[i] as number)) / (a.losses[i] as number)).toBeLessThan(1e-4),
      );
      let worst = 0;
      for (const p of result.params)
        worst = Math.max(worst, relativeError(p.data, ref.get(`adamw/${names.get(p.name)!}`)!.data));
      console.log(`AdamW x5: worst parameter error ${worst.toExponential(2)} of the tensor's max`);
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await backend.dispose();
    }
  });
});
