// "Export job" on the demo model through the composed app: the exported plan and initial weights give Dovetail's own
// step-0 loss, a planned spec exports the same, files match the manifest, an existing folder is refused, and the
// output of the exported script (committed fixture of a CPU run with transformers + PEFT) matches within 1e-4.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainingJob } from '../../../shared/contract';
import { useDemoApp } from '../../testing/demo-app';
import { demoJointSpec } from '../../testing/demo-job';

const ctx = useDemoApp('job-export');
const FIXTURE = path.join(import.meta.dirname, '__fixtures__', 'job-export-cpu-run.json');

async function finished(id: string): Promise<TrainingJob> {
  for (;;) {
    const job = await ctx.api.adapters.job({ id });
    if (!['running', 'pausing', 'checking'].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('adapters.exportJob', () => {
  it('exports a trained job whose plan reproduces the step-0 loss the job recorded', async () => {
    const started = await ctx.api.adapters.startTraining(await demoJointSpec(ctx, 2));
    const job = await finished(started.id);
    expect(job.state).toBe('completed');
    const to = path.join(ctx.dir, 'exports', 'trained');
    const out = await ctx.api.adapters.exportJob({ jobId: job.id, to });
    expect(out.path).toBe(to);
    expect(out.totalSteps).toBe(2);
    const recorded = job.history.train[0]?.loss as number;
    expect(Math.abs((out.step0Loss as number) - recorded) / recorded).toBeLessThan(1e-5);
    for (const file of ['train_peft.py', 'job.json', 'hyperparameters.json', 'README.md', 'data/plan.json'])
      expect(out.files).toContain(file);
    expect(out.files).toContain('init/adapter_config.json');
    expect(out.files).toContain('init/prompt_tuning/adapter_config.json');
    const lora = readJson(path.join(to, 'init', 'adapter_config.json'));
    expect(lora).toMatchObject({ peft_type: 'LORA', r: 16, lora_alpha: 32 });
    const soft = readJson(path.join(to, 'init', 'prompt_tuning', 'adapter_config.json'));
    expect(soft).toMatchObject({ peft_type: 'PROMPT_TUNING', num_virtual_tokens: 8, prompt_tuning_init: 'TEXT' });
    const manifest = readJson(path.join(to, 'manifest.json')) as { files: Record<string, string> };
    for (const [rel, digest] of Object.entries(manifest.files))
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(to, rel)))
          .digest('hex'),
      ).toBe(digest);
    const first = fs.readFileSync(path.join(to, 'data', 'train.jsonl'), 'utf8').split('\n')[0] as string;
    const row = JSON.parse(first) as { input_ids: number[]; labels: number[]; prompt: string };
    expect(row.input_ids.length).toBe(row.labels.length);
    expect(row.labels[0]).toBe(-100);
    expect(row.prompt.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(to, 'accelerate', 'multi_gpu.yaml'), 'utf8')).toContain('num_processes: 2');
  }, 600_000);

  it('exports a planned job (a spec, never run) with the same step-0 loss, and refuses an existing folder', async () => {
    const spec = await demoJointSpec(ctx, 2);
    const to = path.join(ctx.dir, 'exports', 'planned');
    const out = await ctx.api.adapters.exportJob({ spec, to });
    const job = readJson(path.join(to, 'job.json')) as { state: string; job_id: string | null };
    expect(job).toMatchObject({ state: 'planned', job_id: null });
    const trained = readJson(path.join(ctx.dir, 'exports', 'trained', 'job.json')) as {
      reference: { step0_loss: number };
    };
    expect(out.step0Loss).toBeCloseTo(trained.reference.step0_loss, 6);
    await expect(ctx.api.adapters.exportJob({ spec, to })).rejects.toMatchObject({ code: 'export-exists' });
    const leftovers = fs.readdirSync(path.dirname(to)).filter((name) => name.includes('.tmp-'));
    expect(leftovers).toEqual([]);
  }, 600_000);

  it('matches the step-0 loss that the exported script computed on the CPU with transformers + PEFT', async () => {
    const run = readJson(FIXTURE) as { summary: { step0_loss: number }; losses: { step: number; loss: number }[] };
    const spec = await demoJointSpec(ctx, 2);
    const out = await ctx.api.adapters.exportJob({ spec, to: path.join(ctx.dir, 'exports', 'fixture-check') });
    const dovetail = out.step0Loss as number;
    expect(Math.abs(run.summary.step0_loss - dovetail) / dovetail).toBeLessThan(1e-4);
  }, 600_000);
});
