// `npm run demo`: Dovetail's main job, headless, on the bundled demo model. Opens (or creates) the demo workspace,
// trains a LoRA and a soft prompt together on the support-triage train split (rendered through the demo template),
// runs the full ablation (template x LoRA x soft prompt) on the test split, prints the table with CIs and the
// verdict, and writes a self-contained HTML summary. Every step is reused when already done, and a killed run
// resumes where it stopped (training from its checkpoint, the ablation from its stored outputs).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Api, ExperimentSpecIn, TrainingJob, TrainingSpecIn } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { DEMO_TEMPLATES } from '../services/demo/demo-service';
import { formatResults } from './print-results';
import { waitForExperiment, waitForJob } from './wait';

export const DEMO_DATASET = 'Support triage';
const DEMO_TEMPLATE = DEMO_TEMPLATES[0] as (typeof DEMO_TEMPLATES)[number];

export interface DemoOptions {
  /** The demo workspace folder (default: the app's "Dovetail demo"). */
  workspace?: string;
  /** A short run (a few training steps, a few test rows) for smoke tests. */
  quick: boolean;
  log: (...lines: string[]) => void;
}

export async function runDemo(api: Api, o: DemoOptions): Promise<{ reportPath: string; passed: boolean | null; significant: boolean }> {
  const t0 = performance.now();
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const demo = await api.demo.openDemoWorkspace(o.workspace === undefined ? {} : { path: o.workspace });
  o.log(`Workspace: ${demo.workspace.path} (${demo.reopened ? 'reopened' : 'created'})`);
  const modelId = demo.modelIds[0];
  if (modelId === undefined) throw new UserError('The demo workspace has no model', { hint: 'Reinstall Dovetail: the bundled demo model is missing.' });
  const dataset = (await api.datasets.list({})).find((d) => d.name === DEMO_DATASET);
  const version = dataset?.versions[0];
  if (!dataset || !version) throw new UserError(`The demo workspace has no "${DEMO_DATASET}" dataset`, { hint: 'Reinstall Dovetail: the bundled demo datasets are missing.' });
  o.log(`Dataset: ${dataset.name} v${version.version} (${version.rowCount} rows)`);

  const template = (await api.templates.list({})).find((t) => t.name === DEMO_TEMPLATE.name)?.latest
    ?? (await api.templates.save({ name: DEMO_TEMPLATE.name, source: DEMO_TEMPLATE.source, message: DEMO_TEMPLATE.message }));

  // 1. Train (or reuse) the joint LoRA + soft prompt adapter.
  const spec: TrainingSpecIn = {
    modelId,
    name: o.quick ? 'Demo adapter (quick)' : 'Demo adapter: LoRA + soft prompt',
    data: { kind: 'dataset', datasetVersionId: version.id },
    template: { inputField: 'message', outputField: 'output', prompt: DEMO_TEMPLATE.source, templateVersionId: template.id, validationRows: 64 },
    method: 'both',
    lora: { r: 8, alpha: 16, targets: ['q_proj', 'v_proj'] },
    softPrompt: { n: 8, init: 'text', initText: 'Triage this support message as JSON.' },
    hyper: { epochs: 1, batchSize: 8, lr: 2e-3, warmupSteps: 10, schedule: 'cosine', evalEvery: 50, checkpointEvery: 25, seed: 0, ...(o.quick ? { maxSteps: 6, evalEvery: 3, checkpointEvery: 3, warmupSteps: 1 } : {}) },
  };
  const job = await trainedJob(api, spec, o.log);
  if (job.state !== 'completed' || job.adapterId === null) throw new UserError(`Training ended ${job.state}: ${job.error?.message ?? ''}`, { hint: job.error?.hint ?? 'Run npm run demo again to resume.' });
  o.log(`Adapter ready (${elapsed()}): final loss ${job.progress?.loss?.toFixed(3) ?? '-'}, validation ${job.progress?.valLoss?.toFixed(3) ?? '-'}`);

  // 2. The specialization and its ablation.
  const full = await api.specializations.create({
    name: o.quick ? 'Triage demo (quick)' : 'Triage demo', modelId, loraAdapterId: job.adapterId, softPromptAdapterId: job.adapterId, templateVersionId: template.id,
    decoding: { do_sample: false, max_new_tokens: 64, seed: 0 },
  });
  const experimentSpec: ExperimentSpecIn = {
    name: o.quick ? 'Demo ablation (quick)' : 'Demo ablation', datasetVersionId: version.id, split: 'test', limit: o.quick ? 12 : null,
    design: { kind: 'ablation', specializationId: full.id }, seed: 0, batchSize: 32,
    metrics: [
      { kind: 'classification', field: 'category', name: 'Category accuracy' },
      { kind: 'json_valid' },
      { kind: 'json_fields', fields: ['category', 'priority'] },
      { kind: 'classification', field: 'priority', name: 'Priority accuracy' },
    ],
  };
  const existing = (await api.experiments.list({})).find((e) => e.name === experimentSpec.name && e.cells.at(-1)?.specializationId === full.id && e.spec.limit === (experimentSpec.limit ?? null));
  const experiment = existing ?? (await api.experiments.create(experimentSpec));
  if (experiment.state !== 'completed') {
    o.log(`${existing ? 'Resuming' : 'Running'} the ablation: ${experiment.cells.length} cells x ${experiment.spec.limit ?? 'all'} test rows`);
    await api.experiments.run({ id: experiment.id });
  }
  const ran = await waitForExperiment(api, experiment.id, 'Ablation');
  if (ran.state !== 'completed') throw new UserError(`The ablation ended ${ran.state}: ${ran.error?.message ?? ''}`, { hint: ran.error?.hint ?? 'Run npm run demo again to resume.' });

  // 3. Results.
  const results = await api.experiments.results({ id: experiment.id });
  o.log('', ...formatResults(results), '');
  const p = job.progress;
  const preface = [{
    title: 'How the adapter was trained',
    lines: [
      `Base model: the bundled demo model; data: ${dataset.name} v${version.version}, train split (validation split for the validation loss)`,
      `Template: ${template.name} v${template.version}, the same one the specialization is served with`,
      `Method: a LoRA (r ${spec.lora?.r ?? '-'}, alpha ${spec.lora?.alpha ?? '-'}, on ${(spec.lora?.targets ?? []).join(', ')}) and a soft prompt (${spec.softPrompt?.n ?? '-'} virtual tokens) trained together`,
      `Steps: ${p?.step ?? '-'} (batch ${spec.hyper?.batchSize ?? '-'}, seed ${spec.hyper?.seed ?? 0}); final training loss ${p?.loss?.toFixed(3) ?? '-'}, validation loss ${p?.valLoss?.toFixed(3) ?? '-'}`,
      `Decoding: greedy, at most 64 new tokens; outputs stored per (specialization, example, decoding, seed) and reused on reruns`,
    ],
  }];
  const { html } = await api.experiments.report({ id: experiment.id, preface });
  const folder = join(demo.workspace.path, 'reports');
  await mkdir(folder, { recursive: true });
  const reportPath = join(folder, o.quick ? 'demo-summary-quick.html' : 'demo-summary.html');
  await writeFile(reportPath, html);
  o.log(`Summary: ${reportPath}`, `Done in ${elapsed()}.`);
  const whole = results.ablation?.fullVsBase;
  return { reportPath, passed: results.passed, significant: whole !== undefined && whole.ci[0] > 0 && whole.p < 0.05 };
}

async function trainedJob(api: Api, spec: TrainingSpecIn, log: (...lines: string[]) => void): Promise<TrainingJob> {
  const jobs = (await api.adapters.jobs({})).filter((j) => j.name === spec.name && j.modelId === spec.modelId);
  const done = jobs.find((j) => j.state === 'completed' && j.adapterId !== null);
  if (done) {
    log(`Reusing the trained adapter of job ${done.id.slice(0, 8)}`);
    return done;
  }
  const resumable = jobs.find((j) => j.state === 'interrupted' || j.state === 'paused');
  if (resumable) {
    log(`Resuming training from step ${resumable.progress?.step ?? 0}`);
    await api.adapters.resume({ id: resumable.id });
    return waitForJob(api, resumable.id, 'Training');
  }
  const estimate = await api.adapters.estimate(spec);
  log(`Training a LoRA and a soft prompt together: ${estimate.rows} rows, ${estimate.steps} steps, about ${Math.ceil(estimate.seconds / 60)} min`);
  const job = await api.adapters.startTraining(spec);
  return waitForJob(api, job.id, 'Training');
}
