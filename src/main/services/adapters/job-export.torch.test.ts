// Needs torch (npm run test:torch; DOVETAIL_PYTHON, default python3): exports a job of the demo model, runs the
// exported script's data loading and first optimizer steps on the CPU with transformers + PEFT, checks its step-0
// loss against Dovetail's (1e-4 relative), imports its output back and writes the run record as the fixture that
// job-export.test.ts reads (DOVETAIL_WRITE_FIXTURE=1).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../../testing/demo-app';
import { demoJointSpec } from '../../testing/demo-job';

const ctx = useDemoApp('job-export-torch');
const python = process.env.DOVETAIL_PYTHON ?? 'python3';
const FIXTURE = path.join(import.meta.dirname, '__fixtures__', 'job-export-cpu-run.json');

describe('an exported job run by transformers + PEFT on the CPU', () => {
  it('loads the data, takes the first optimizer steps at Dovetail step-0 loss, and imports back', async () => {
    const spec = await demoJointSpec(ctx, 3);
    const to = path.join(ctx.dir, 'job');
    const exported = await ctx.api.adapters.exportJob({ spec, to });
    const output = path.join(ctx.dir, 'job-output');
    const { stdout } = await promisify(execFile)(
      python,
      [path.join(to, 'train_peft.py'), '--max-steps', '3', '--output', output, '--attn', 'eager'],
      { cwd: to, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CUDA_VISIBLE_DEVICES: '' } },
    );
    process.stdout.write(stdout);
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.find((l) => 'summary' in l)?.summary as { step0_loss: number; steps: number };
    const dovetail = exported.step0Loss as number;
    const relative = Math.abs(summary.step0_loss - dovetail) / dovetail;
    process.stdout.write(
      `step-0 loss: transformers+PEFT ${summary.step0_loss}, Dovetail ${dovetail}, relative ${relative}\n`,
    );
    expect(relative).toBeLessThan(1e-4);
    expect(summary.steps).toBe(3);
    const modelId = spec.modelId;
    const adapter = await ctx.api.adapters.importPeft({ folder: output, modelId, name: 'Exported job, CPU run' });
    expect(adapter.check.active).toBe(true);
    const details = await ctx.api.adapters.get({ id: adapter.id });
    expect(details.lineage).toMatchObject({ hyper_parameters: { trained_with: 'exported job (transformers + PEFT)' } });
    expect(details.history.train).toHaveLength(3);
    if (process.env.DOVETAIL_WRITE_FIXTURE === '1') {
      const run = JSON.parse(fs.readFileSync(path.join(output, 'dovetail_job_run.json'), 'utf8')) as {
        summary: Record<string, unknown>;
        losses: unknown;
      };
      const fixture = { summary: run.summary, losses: run.losses, dovetail_step0_loss: dovetail };
      fs.writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);
    }
  });
});
