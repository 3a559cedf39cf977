// The demo's three trainings from one recipe (src/shared/demo-recipes.ts): a LoRA and a soft prompt trained
// together, a LoRA trained alone and a soft prompt trained alone, so the demo can answer "prompt vs adapter vs both"
// with parts that were each trained for the job, not only the joint parts switched off. Each training is reused
// when done and resumed from its checkpoint when a run was stopped.
import type { Api, TrainingJob, TrainingMethod, TrainingSpecIn } from '../../shared/contract';
import type { DemoRecipe } from '../../shared/demo-recipes';
import { UserError } from '../../shared/errors';
import { waitForJob } from './wait';

export interface DemoTraining {
  method: TrainingMethod;
  spec: TrainingSpecIn;
  job: TrainingJob & { adapterId: string };
}

const METHOD_NAMES: Record<TrainingMethod, string> = {
  both: 'LoRA + soft prompt',
  lora: 'LoRA alone',
  'soft-prompt': 'soft prompt alone',
};

/** The demo trains these, in this order (the joint one first: the specialization the ablation takes apart). */
export const DEMO_METHODS: readonly TrainingMethod[] = ['both', 'lora', 'soft-prompt'];

export function demoTrainingSpec(
  recipe: DemoRecipe,
  method: TrainingMethod,
  parts: { modelId: string; datasetVersionId: string; templateVersionId: string; templateSource: string },
  quick: boolean,
): TrainingSpecIn {
  return {
    modelId: parts.modelId,
    name: `Demo adapter: ${METHOD_NAMES[method]}${quick ? ' (quick)' : ''}`,
    data: { kind: 'dataset', datasetVersionId: parts.datasetVersionId },
    template: {
      inputField: 'message',
      outputField: recipe.outputField,
      prompt: parts.templateSource,
      templateVersionId: parts.templateVersionId,
      validationRows: 64,
    },
    method,
    lora: recipe.lora,
    softPrompt: recipe.softPrompt,
    hyper: {
      evalEvery: 100,
      checkpointEvery: 25,
      ...recipe.hyper,
      lr: recipe.lr[method],
      ...(quick ? { maxSteps: 4, evalEvery: 2, checkpointEvery: 2, warmupSteps: 1 } : {}),
    },
  };
}

export async function trainForDemo(
  api: Api,
  method: TrainingMethod,
  spec: TrainingSpecIn,
  log: (...lines: string[]) => void,
): Promise<DemoTraining> {
  const job = await trainedJob(api, spec, log);
  if (job.state !== 'completed' || job.adapterId === null)
    throw new UserError(`Training "${spec.name ?? ''}" ended ${job.state}: ${job.error?.message ?? ''}`, {
      hint: job.error?.hint ?? 'Run npm run demo again to resume.',
    });
  log(
    `${spec.name ?? ''}: final loss ${job.progress?.loss?.toFixed(3) ?? '-'}, validation ${job.progress?.valLoss?.toFixed(3) ?? '-'}`,
  );
  return { method, spec, job: { ...job, adapterId: job.adapterId } };
}

async function trainedJob(api: Api, spec: TrainingSpecIn, log: (...lines: string[]) => void): Promise<TrainingJob> {
  const jobs = (await api.adapters.jobs({})).filter((j) => j.name === spec.name && j.modelId === spec.modelId);
  const done = jobs.find((j) => j.state === 'completed' && j.adapterId !== null);
  if (done) {
    log(`Reusing the trained adapter of job ${done.id.slice(0, 8)} (${spec.name ?? ''})`);
    return done;
  }
  const resumable = jobs.find((j) => j.state === 'interrupted' || j.state === 'paused');
  if (resumable) {
    log(`Resuming "${spec.name ?? ''}" from step ${resumable.progress?.step ?? 0}`);
    await api.adapters.resume({ id: resumable.id });
    return waitForJob(api, resumable.id, 'Training');
  }
  const estimate = await api.adapters.estimate(spec);
  log(
    `Training "${spec.name ?? ''}": ${estimate.rows} rows, ${estimate.steps} steps, about ${Math.ceil(estimate.seconds / 60)} min`,
  );
  const job = await api.adapters.startTraining(spec);
  return waitForJob(api, job.id, 'Training');
}
