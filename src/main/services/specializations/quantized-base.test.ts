// A LoRA and soft prompt (trained here, f32) on the demo model at 8-bit and 4-bit, through the composed app: the
// Playground's try runs them, and an experiment cell generates with them at the model's format and records it.
// (Their numerical parity with the f32 base is tested in the engine: quantized-adapters.test.ts, int8-prefill.test.ts.)
import { describe, expect, it } from 'vitest';
import type { Api, GenerationFinished } from '../../../shared/contract';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('quantized-base');
const TEMPLATE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';

async function trained(api: Api, jobId: string): Promise<string> {
  for (;;) {
    const job = await api.adapters.job({ id: jobId });
    if (job.state === 'completed') return job.adapterId ?? '';
    if (['failed', 'cancelled', 'interrupted'].includes(job.state))
      throw new Error(`training ended ${job.state}: ${JSON.stringify(job.error)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function tried(api: Api, start: () => Promise<{ runId: string }>): Promise<GenerationFinished> {
  const ended = new Map<string, GenerationFinished>();
  const waiters = new Map<string, (f: GenerationFinished) => void>();
  const off = api.generation.onFinished((f) => (waiters.get(f.runId)?.(f), ended.set(f.runId, f)));
  try {
    const { runId } = await start();
    return ended.get(runId) ?? (await new Promise<GenerationFinished>((resolve) => waiters.set(runId, resolve)));
  } finally {
    off();
  }
}

describe('adapters on a quantized base, in the app', () => {
  it('the Playground and an experiment run a LoRA and soft prompt at 8-bit and 4-bit', async () => {
    const { api, demo } = ctx;
    const modelId = demo.modelIds[0] as string;
    const triage = await ctx.triageVersionId();
    const template = await api.templates.save({ name: 'Quantized triage', source: TEMPLATE });
    const job = await api.adapters.startTraining({
      modelId,
      data: { kind: 'dataset', datasetVersionId: triage },
      method: 'both',
      name: 'Quantized base',
      template: {
        inputField: 'message',
        outputField: 'output',
        prompt: TEMPLATE,
        templateVersionId: template.id,
        maxRows: 16,
        validationRows: 0,
      },
      hyper: { lr: 5e-3, maxSteps: 4, batchSize: 4, evalEvery: null, checkpointEvery: null },
    });
    const adapterId = await trained(api, job.id);
    const parts = {
      modelId,
      loraAdapterId: adapterId,
      softPromptAdapterId: adapterId,
      templateVersionId: template.id,
      decoding: { do_sample: false, max_new_tokens: 6, ignore_eos: true },
    };
    const spec = await api.specializations.create({ name: 'Quantized base', ...parts });
    const experiment = await api.experiments.create({
      name: 'Quantized base',
      datasetVersionId: triage,
      split: 'test',
      limit: 2,
      batchSize: 2,
      design: { kind: 'compare', specializationIds: [spec.id] },
      metrics: [{ kind: 'json_valid' }],
    });
    try {
      for (const format of ['q8', 'q4'] as const) {
        await api.models.setWeightFormat({ id: modelId, format });
        const finished = await tried(api, () =>
          api.specializations.tryParts({ parts, fields: { message: 'My invoice is wrong.' } }),
        );
        if (!finished.ok) throw new Error(finished.error.message);
        expect(finished.result.rows[0]?.generatedTokens).toBe(6);

        await api.experiments.run({ id: experiment.id });
        const { progress } = await ctx.app.services.experiments.settled(experiment.id);
        expect(progress).toMatchObject({ done: 2, total: 2, reused: 0 });
        expect((await api.experiments.get({ id: experiment.id })).state).toBe('completed');
        expect((await api.experiments.get({ id: experiment.id })).cells.map((c) => c.weightFormat)).toEqual([format]);
        const outputs = (await api.experiments.outputs({ id: experiment.id, limit: 10 })).rows;
        expect(outputs.map((r) => r.outputs[0]?.text ?? null).every((t) => typeof t === 'string')).toBe(true);
      }
    } finally {
      await api.models.setWeightFormat({ id: modelId, format: 'stored' });
    }
  }, 300_000);
});
